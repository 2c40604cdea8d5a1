import { median } from '../measure/stats.ts';
import { rssBytes } from './child.ts';

export interface RssSample {
  atMs: number;
  /** What had been done when sampled (tickets queued, say). */
  progress: number;
  bytes: number;
}

/** Samples a process's RSS every `everyMs` until stopped. */
export function sampleRss(
  pid: number,
  progress: () => number,
  everyMs = 1000,
): { samples: RssSample[]; stop(): void } {
  const samples: RssSample[] = [];
  const take = (): void => {
    void rssBytes(pid).then((bytes) => {
      if (Number.isFinite(bytes)) samples.push({ atMs: Date.now(), progress: progress(), bytes });
    });
  };
  take();
  const timer = setInterval(take, everyMs);
  return { samples, stop: () => clearInterval(timer) };
}

export interface RssSummary {
  peakMB: number;
  /** Median RSS over the second fifth of the samples (after start-up). */
  earlyMB: number;
  /** Median RSS over the last fifth. */
  lateMB: number;
  /** late - early: a leak shows as growth; GC makes a sawtooth around a flat line. */
  growthMB: number;
  samples: number;
}

export function summariseRss(samples: readonly RssSample[]): RssSummary {
  const mb = samples.map((s) => s.bytes / 2 ** 20);
  const fifth = Math.max(1, Math.floor(mb.length / 5));
  const early = median(mb.slice(fifth, 2 * fifth));
  const late = median(mb.slice(-fifth));
  return {
    peakMB: Math.max(...mb),
    earlyMB: early,
    lateMB: late,
    growthMB: late - early,
    samples: mb.length,
  };
}
