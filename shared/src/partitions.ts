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
