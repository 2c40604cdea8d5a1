/** One figure of the table: its value, its baseline from the same run, the ratio, the target. */
export interface Row {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: { label: string; value: number; unit: string } | undefined;
  ratio?: number | undefined;
  /** As printed, e.g. ">= 0.7x baseline". */
  target?: string | undefined;
  /** undefined: reported, no target. */
  pass?: boolean | undefined;
  /** Per-run values behind a median. */
  runs?: number[] | undefined;
}

export interface ScenarioResult {
  scenario: string;
  what: string;
  size: number;
  runs: number;
  seconds: number;
  rows: Row[];
  /** Everything else worth keeping (per-run figures, request kinds, top Redis commands, profiles). */
  details: Record<string, unknown>;
  error?: string | undefined;
}

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  redis: string;
  os: string;
}

export interface BenchReport {
  startedAt: string;
  command: string;
  commit: string;
  machine: Machine;
  results: ScenarioResult[];
}
