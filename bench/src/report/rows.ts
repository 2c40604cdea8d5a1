import { median, ratio as ratioOf } from '../measure/stats.ts';
import type { Row } from './types.ts';

export type Comparison = '>=' | '<=' | '>';

export interface Target {
  op: Comparison;
  value: number;
  /** What is compared: the ratio to the baseline (default) or the value itself. */
  on?: 'ratio' | 'value';
  text: string;
}

export interface RowInput {
  scenario: string;
  metric: string;
  unit: string;
  /** One value per run. */
  values: number[];
  baseline?: { label: string; unit: string; values: number[] };
  /** Per-run ratios; default value / baseline of the same run. */
  ratios?: number[];
  target?: Target;
}

/** A table row from per-run figures: medians of the values, of the baselines and of the per-run ratios. */
export function row(input: RowInput): Row {
  const value = median(input.values);
  const baselineValues = input.baseline?.values ?? [];
  const ratios =
    input.ratios ??
    (input.baseline ? input.values.map((v, i) => ratioOf(v, baselineValues[i] ?? Number.NaN)) : undefined);
  const ratio = ratios ? median(ratios) : undefined;
  const target = input.target;
  const compared = target?.on === 'value' ? value : ratio;
  const pass = target
    ? compared !== undefined && Number.isFinite(compared) && meets(compared, target)
    : undefined;
  return {
    scenario: input.scenario,
    metric: input.metric,
    value,
    unit: input.unit,
    baseline: input.baseline
      ? { label: input.baseline.label, value: median(baselineValues), unit: input.baseline.unit }
      : undefined,
    ratio,
    target: target?.text,
    pass,
    runs: input.values.length > 1 ? input.values : undefined,
  };
}

function meets(compared: number, target: Target): boolean {
  switch (target.op) {
    case '>=':
      return compared >= target.value;
    case '<=':
      return compared <= target.value;
    case '>':
      return compared > target.value;
  }
}
