import calculateSlot from 'cluster-key-slot';
import type { Platform } from './platforms.ts';

/**
 * A partition of a platform (docs/design.md, "Partitions"): the name of its queue and the hash
 * tag of its per-ticket keys. With QUEUE_PARTITIONS=1 the one partition is named after the
 * platform itself, so the keys and queues are exactly those of a relay without partitions.
 */
export type Part = Platform | `${Platform}.${number}`;

export const MAX_PARTITIONS = 64;

export function partName(platform: Platform, index: number, count: number): Part {
  return count === 1 ? platform : `${platform}.${index}`;
}

/** Every partition of a platform, in index order. */
export function partsOf(platform: Platform, count: number): Part[] {
  return Array.from({ length: count }, (_, index) => partName(platform, index, count));
}

export function platformOfPart(part: Part): Platform {
  const dot = part.indexOf('.');
  return (dot === -1 ? part : part.slice(0, dot)) as Platform;
}

/**
 * The partition of a correlation (`<entity>|<alarmType>`): FNV-1a over its UTF-8 bytes, modulo
 * the count. Stable across processes, versions and restarts (never JS's randomised hashing).
 */
export function partitionOf(correlation: string, count: number): number {
  if (count <= 1) return 0;
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(correlation, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

const SLOTS = 16_384;
/** Cells of the slot space the partitions' tags are placed in: 3 x 2^5, more than MAX_PARTITIONS. */
const CELLS = 96;
const tags = new Map<Part, string>();

/**
 * The hash tag of a partition's keys and queue. One partition: the platform's own (`cherwell`).
 * Several: `<part>~<n>`, with `n` the first suffix whose slot lies in the partition's cell of
 * the slot space, so that the partitions spread evenly over a Cluster's masters (Redis's
 * `--cluster create` gives each master an equal run of slots); hashing `cherwell.0`.. as they
 * are put 3 of 6 partitions, and the platform's own tag, on one of three masters. The cells
 * follow a mixed-radix radical inverse (thirds first, then halves), which needs no partition
 * count: partitions 0, 1, 2 fall in successive thirds, 3, 4, 5 between them, and so on, so any
 * count spreads within one partition of even over three masters (and a multiple of 6 evenly
 * over 2, 3 or 6).
 * The middle half of a cell is aimed at, away from where masters' slot runs meet.
 */
export function partTag(part: Part): string {
  const dot = part.indexOf('.');
  if (dot === -1) return part;
  let tag = tags.get(part);
  if (tag === undefined) {
    const cell = spreadCell(Number(part.slice(dot + 1)));
    const low = Math.ceil(((cell + 0.25) * SLOTS) / CELLS);
    const high = Math.floor(((cell + 0.75) * SLOTS) / CELLS);
    for (let suffix = 0; tag === undefined; suffix += 1) {
      const slot = calculateSlot(`${part}~${suffix}`);
      if (slot >= low && slot < high) tag = `${part}~${suffix}`;
    }
    tags.set(part, tag);
  }
  return tag;
}

/** The cell (0..CELLS-1) of partition `index`: its digits in radix 3, 2, 2, 2, 2, 2, reversed. */
function spreadCell(index: number): number {
  let rest = index % CELLS;
  let cell = 0;
  let width = CELLS;
  for (const radix of [3, 2, 2, 2, 2, 2]) {
    width /= radix;
    cell += (rest % radix) * width;
    rest = Math.floor(rest / radix);
  }
  return cell;
}
