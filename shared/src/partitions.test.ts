import calculateSlot from 'cluster-key-slot';
import { expect, test } from 'vitest';
import { MAX_PARTITIONS, partTag, partsOf, partitionOf } from './partitions.ts';

/** How many of the parts' tags fall in each of `masters` equal runs of the slot space. */
function spread(parts: readonly string[], masters: number): number[] {
  const counts = Array.from({ length: masters }, () => 0);
  for (const part of parts) {
    const slot = calculateSlot(partTag(part as never));
    counts[Math.floor((slot * masters) / 16_384)]! += 1;
  }
  return counts;
}

test('when there is one partition, then its tag is the platform itself (the keys of a relay without partitions)', () => {
  expect(partsOf('cherwell', 1).map(partTag)).toEqual(['cherwell']);
});

test('whatever the count, then the partitions spread within one of even over three masters, and 6 evenly over 2, 3 or 6', () => {
  for (const platform of ['cherwell', 'sfyc'] as const) {
    for (let count = 2; count <= MAX_PARTITIONS; count += 1) {
      const counts = spread(partsOf(platform, count), 3);
      expect(Math.max(...counts) - Math.min(...counts), `${platform} x ${count}`).toBeLessThanOrEqual(1);
    }
    for (const masters of [2, 3, 6])
      expect(spread(partsOf(platform, 6), masters)).toEqual(Array(masters).fill(6 / masters));
  }
});

test('when asked twice, then a tag is the same, and every tag of a platform is its own', () => {
  const tags = partsOf('sfyc', MAX_PARTITIONS).map(partTag);
  expect(new Set(tags).size).toBe(MAX_PARTITIONS);
  expect(partsOf('sfyc', MAX_PARTITIONS).map(partTag)).toEqual(tags);
  expect(partTag('sfyc.3')).toMatch(/^sfyc\.3~\d+$/);
});

test('when a correlation is routed, then it lands in the same partition every time', () => {
  expect(partitionOf('SITE-7|POWER', 6)).toBe(partitionOf('SITE-7|POWER', 6));
  expect(partitionOf('SITE-7|POWER', 1)).toBe(0);
});
