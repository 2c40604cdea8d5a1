import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
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
}

/** Summaries of every `.cpuprofile` in `dir` (what `node --cpu-prof` wrote there). */
export async function summariseProfiles(dir: string, top = 15): Promise<ProfileSummary[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((file) => file.endsWith('.cpuprofile'));
  const summaries: ProfileSummary[] = [];
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
    summaries.push(summarise(join(dir, file), profile, top));
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
  const share = (us: number): number => Number((us / totalUs).toFixed(3));
  return {
    file,
    totalMs: Math.round(totalUs / 1000),
    byArea: Object.fromEntries([...areas].sort((a, b) => b[1] - a[1]).map(([area, us]) => [area, share(us)])),
    top: [...fns].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, us]) => ({ fn, share: share(us) })),
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
  return url.replace(/^file:\/\//, '').replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/.*\/work\/main\//, '');
}
