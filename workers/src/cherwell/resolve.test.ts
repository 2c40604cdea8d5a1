import { describe, expect, test } from 'vitest';
import type { Summary } from './schema.ts';
import { candidateGroups, describeResolution, resolveBusOb } from './resolve.ts';

const ID = 'a'.repeat(32);
const NOTE_ID = 'b'.repeat(32);

/** A site that answers as real ones: Journal - Note only inside the Journal group. */
function site(answers: Record<string, Summary[]>) {
  const asked: string[] = [];
  return {
    asked,
    busObSummary: (name: string) => {
      asked.push(name);
      // Names compare without case, as on a real site.
      const key = Object.keys(answers).find((k) => k.toLowerCase() === name.toLowerCase());
      return Promise.resolve(key === undefined ? [] : (answers[key] ?? []));
    },
  };
}

const journal: Summary = {
  busObId: 'c'.repeat(32),
  name: 'Journal',
  displayName: 'Journal',
  group: true,
  groupSummaries: [
    { busObId: 'd'.repeat(32), name: 'JournalMail', displayName: 'Journal - Mail History' },
    { busObId: NOTE_ID, name: 'JournalNote', displayName: 'Journal - Note' },
  ],
};

describe('cherwell business object resolution', () => {
  test('when a name is a group member, then it is found among the members of the group before its dash, by display name', async () => {
    const s = site({ Journal: [journal] });
    const resolution = await resolveBusOb(s, 'Journal - Note', 'Journal - Note', 'CHERWELL_NOTE_BUSOB');
    expect(resolution).toEqual({ how: 'group', busObId: NOTE_ID, name: 'Journal - Note', group: 'Journal' });
    expect(describeResolution(resolution)).toBe('via group Journal');
    expect(s.asked).toEqual(['Journal - Note', 'Journal']);
  });

  test('when a site renamed the member, then the default name still points at its group', async () => {
    const s = site({ Journal: [journal] });
    const resolution = await resolveBusOb(s, 'JournalNote', 'Journal - Note', 'CHERWELL_NOTE_BUSOB');
    expect(resolution).toMatchObject({ how: 'group', busObId: NOTE_ID });
  });

  test('when a name answers directly, then no group is asked; an id is used as is', async () => {
    const s = site({ Incident: [{ busObId: ID, name: 'Incident', group: false }] });
    expect(describeResolution(await resolveBusOb(s, 'incident', 'Incident', 'V'))).toBe('resolved directly');
    expect(describeResolution(await resolveBusOb(s, NOTE_ID, 'Journal - Note', 'V'))).toBe('used as id');
    expect(s.asked).toEqual(['incident']);
  });

  test('when nothing matches, then the error names the setting and where it looked', async () => {
    await expect(
      resolveBusOb(site({}), 'Journal - Nota', 'Journal - Note', 'CHERWELL_NOTE_BUSOB'),
    ).rejects.toThrow(/"Journal - Nota".*members of Journal.*CHERWELL_NOTE_BUSOB/);
  });

  test('when groups are guessed, then from the configured and the default name, never the name itself', () => {
    expect(candidateGroups('Journal - Note', 'Journal - Note')).toEqual(['Journal']);
    expect(candidateGroups('Nota', 'Journal - Note')).toEqual(['Journal']);
    expect(candidateGroups('Incident', 'Incident')).toEqual([]);
    expect(candidateGroups('Bitácora - Nota', 'Journal - Note')).toEqual(['Bitácora', 'Journal']);
  });
});
