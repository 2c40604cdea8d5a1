import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  /** Sampled wall time, ms. */
  totalMs: number;
  /** Share of samples by area: a package, our own source folders, GC, idle. */
  byArea: Record<string, number>;
  /** The hottest functions by self time, share of samples. */
  top: Array<{ fn: string; share: number }>;
  /**
   * Samples charged to the nearest function of our own source up the stack (a BullMQ or
   * ioredis call made synchronously from it counts as its own): which of our code costs CPU.
   * Work done later on its behalf (socket writes, script replies) is not charged.
   */
  ownInclusive: Array<{ fn: string; share: number }>;
}

/** Summaries of every `.cpuprofile` in `dir` (what `node --cpu-prof` wrote there). */
export async function summariseProfiles(dir: string, top = 15): Promise<ProfileSummary[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((file) =>
    file.endsWith('.cpuprofile'),
  );
  const summaries: ProfileSummary[] = [];
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
    const summary = summarise(join(dir, file), profile, top);
    // tsx runs its loader in a worker thread, which writes a profile of its own: nearly all idle.
    if ((summary.byArea['(idle)'] ?? 0) < 0.95) summaries.push(summary);
  }
  return summaries;
}

function summarise(file: string, profile: CpuProfile, top: number): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  let totalUs = 0;
  profile.samples.forEach((id, index) => {
    const us = profile.timeDeltas[index] ?? 0;
    self.set(id, (self.get(id) ?? 0) + us);
    totalUs += us;
  });
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const area = areaOf(frame.url, frame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const where = frame.url === '' ? '' : ` ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    const fn = `${frame.functionName || '(anonymous)'}${where}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
  }
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const own = new Map<string, number>();
  for (const [id, us] of self) {
    let at: number | undefined = id;
    while (at !== undefined) {
      const frame = byId.get(at)?.callFrame;
      if (frame && /\/(workers|shared|producers)\/src\//.test(frame.url)) {
        const fn = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
        own.set(fn, (own.get(fn) ?? 0) + us);
        break;
      }
      at = parents.get(at);
    }
  }
  const share = (us: number): number => Number((us / totalUs).toFixed(3));
  return {
    file,
    totalMs: Math.round(totalUs / 1000),
    byArea: Object.fromEntries([...areas].sort((a, b) => b[1] - a[1]).map(([area, us]) => [area, share(us)])),
    top: [...fns]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({ fn, share: share(us) })),
    ownInclusive: [...own]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({ fn, share: share(us) })),
  };
}

/** Which package or folder a frame belongs to. */
function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (pkg) return pkg;
  const own = /\/(workers|shared|producers|simulators|bench)\/src\//.exec(url)?.[1];
  if (own) return `@tbe/${own}`;
  if (url.startsWith('node:')) return 'node';
  return 'other';
}

function shortUrl(url: string): string {
  return (
    url
      .replace(/^file:\/\//, '')
      .replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
      // Any checkout (a worktree, a clone in /tmp), not only /work/main: paths from the repository root.
      .replace(/.*?\/(?=(?:workers|shared|producers|simulators|bench)\/src\/)/, '')
  );
}
