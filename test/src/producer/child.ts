import { spawnRole, type RoleProcess } from '../support/role-process.ts';

/** A producer process as production runs it (`producers/src/main.ts`). */
export type ProducerProcess = RoleProcess;

export function spawnProducer(env: Record<string, string>): ProducerProcess {
  return spawnRole('producer', env);
}
