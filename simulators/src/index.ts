// The simulators' public API: the three starters, all three at once, and their types.
export { startWmSimulator } from './wm/server.ts';
export type { WmSimulator, WmSimulatorOptions } from './wm/server.ts';
export type { WmChange, WmPlatform, WmTicket } from './wm/ticket.ts';
export type { StatusReport, StatusUpdate } from './wm/status.ts';
export type { TrickleOptions } from './wm/trickle.ts';
export type { ChangeOptions } from './wm/store.ts';
export type { FeedEntry } from './wm/feed.ts';
export type { LongPollMode } from './wm/routes.ts';

export { startCherwellSimulator } from './cherwell/server.ts';
export type { CherwellSimulator, CherwellSimulatorOptions, CherwellStatus } from './cherwell/server.ts';
export type { CherwellRecord } from './cherwell/store.ts';
export type { CherwellCredentials, AuthMode } from './cherwell/auth.ts';
export type { BusObName } from './cherwell/busobs.ts';

export { startSfycSimulator } from './sfyc/server.ts';
export type { SfycSimulator, SfycSimulatorOptions } from './sfyc/server.ts';
export type { SfycFields, SfycNote, SfycTicket, SfycWorkOrder } from './sfyc/store.ts';
export type { SfycCredentials } from './sfyc/auth.ts';

export { startAllSimulators } from './all.ts';
export { startSimulators, simulatorEnv, simulatorVariables, SIMULATOR_NAMES } from './deployment.ts';
export type { Simulators, SimulatorName, SimulatorVariable, StartSimulatorsOptions } from './deployment.ts';
export type { AllSimulators, AllSimulatorsOptions } from './all.ts';
export { runSimulators, describeSimulators } from './main.ts';
export type { RunSimulatorsOptions } from './main.ts';

export type { SimulatorBase, FaultControl } from './common/api.ts';
export type { CapacitySettings, LoadFigures } from './common/capacity.ts';
export type { ListenOptions } from './common/server.ts';
export type { FaultRule, FaultAction, FaultMatch, ItemErrorKind } from './common/fault-rule.ts';
export { parseFaultRule } from './common/fault-rule.ts';
export type { RecordedRequest, Violation, ViolationKind } from './common/types.ts';
export { VIOLATION_KINDS } from './common/types.ts';
