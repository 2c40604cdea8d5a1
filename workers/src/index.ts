export { runWorker, adapterFactory, type RunningWorker, type RunWorkerOptions } from './run.ts';
export {
  startWorkerRole,
  type WorkerRole,
  type WorkerRoleOptions,
  type AdapterFactory,
} from './runtime/worker-role.ts';
export {
  moveToDeadLetters,
  startDeadLetterWorker,
  type DeadLetterWriteDeps,
} from './runtime/dead-letters.ts';
export type * from './platform/adapter.ts';
export { Registry } from 'prom-client';
export { checkCherwellBusObs, type CherwellBusObCheck } from './cherwell/check.ts';
export { describeResolution, type BusObResolution } from './cherwell/resolve.ts';
