import type { CapacitySettings, LoadFigures } from './capacity.ts';
import type { SimCore } from './core.ts';
import type { FaultRule } from './fault-rule.ts';
import type { RunningServer } from './server.ts';
import type { RecordedRequest, Violation } from './types.ts';

export interface FaultControl {
  /** Adds a rule; answers its id. */
  add(rule: FaultRule): string;
  remove(id: string): boolean;
  clear(): void;
  /** Rules as JSON, with their `id` and `hits`. */
  list(): Array<Record<string, unknown>>;
}

/** What every simulator object offers. */
export interface SimulatorBase {
  /** Base URL including the device address, e.g. `http://127.0.0.1:PORT/CherwellAPI`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`: the control endpoints are under `${origin}/_sim/`. */
  readonly origin: string;
  readonly port: number;
  /** Every request to the device path, oldest first (a live array). */
  readonly requests: readonly RecordedRequest[];
  violations(): Violation[];
  clearViolations(): void;
  setMaxTicketsPerRequest(n: number): void;
  setLatencyMs(ms: number): void;
  /** The platform's capacity (requests in flight), hard limit (429 above) and its Retry-After. */
  setCapacity(settings: Partial<CapacitySettings>): void;
  /** Load seen since the last `resetLoad()`. */
  load(): LoadFigures;
  resetLoad(): void;
  readonly faults: FaultControl;
  /** Store, requests, violations, faults and settings back to the start; tokens revoked. */
  reset(): void;
  close(): Promise<void>;
}

export function simulatorBase(
  core: SimCore,
  server: RunningServer,
  reset: () => void,
  onClose?: () => void,
): SimulatorBase {
  return {
    url: server.url,
    origin: server.origin,
    port: server.port,
    requests: core.requests,
    violations: () => core.violations.list(),
    clearViolations: () => core.violations.clear(),
    setMaxTicketsPerRequest: (n) => core.setSettings({ maxTicketsPerRequest: n }),
    setLatencyMs: (ms) => core.setSettings({ latencyMs: ms }),
    setCapacity: (settings) => core.capacity.set(settings),
    load: () => core.capacity.figures(),
    resetLoad: () => core.capacity.resetFigures(),
    faults: {
      add: (rule) => core.faults.add(rule),
      remove: (id) => core.faults.remove(id),
      clear: () => core.faults.clear(),
      list: () => core.faults.list(),
    },
    reset,
    close: async () => {
      onClose?.();
      await server.close();
    },
  };
}
