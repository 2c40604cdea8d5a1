import type { CherwellClient } from './client.ts';
import type { Summary } from './schema.ts';

/**
 * How a configured business object became a busObId (cherwell.md): a configured id is used as
 * is; a name is looked up directly (`busobname/<name>`), then among the members of the groups
 * it may belong to (`busobname/Journal` -> `groupSummaries`, by displayName or name).
 */
export type BusObResolution =
  | { how: 'id'; busObId: string }
  | { how: 'direct'; busObId: string; name: string }
  | { how: 'group'; busObId: string; name: string; group: string };

/** "used as id", "resolved directly", "via group Journal": one line for `tbe check` and logs. */
export function describeResolution(resolution: BusObResolution): string {
  switch (resolution.how) {
    case 'id':
      return 'used as id';
    case 'direct':
      return 'resolved directly';
    case 'group':
      return `via group ${resolution.group}`;
  }
}

/** Cherwell busObIds are long hex strings; a configured value like that is used as it is. */
export function isBusObId(value: string): boolean {
  return /^[0-9a-f]{32,64}$/i.test(value);
}

/**
 * The groups a name may belong to: the part before ` - ` of the configured name and of the
 * default name of its role (`Journal - Note` -> `Journal`), as Cherwell names group members.
 */
export function candidateGroups(configured: string, defaultName: string): string[] {
  const prefix = (name: string): string | undefined => {
    const index = name.indexOf(' - ');
    return index > 0 ? name.slice(0, index).trim() : undefined;
  };
  const groups = [prefix(configured), prefix(defaultName)].filter((g): g is string => g !== undefined);
  return [...new Set(groups)].filter((group) => !same(group, configured));
}

const same = (a: string | null | undefined, b: string): boolean =>
  (a ?? '').trim().toLowerCase() === b.trim().toLowerCase();

const named = (summary: Summary, name: string): boolean =>
  same(summary.name, name) || same(summary.displayName, name);

/**
 * Resolves one configured business object. `variable` names the setting in errors, so that an
 * operator knows what to change (`CHERWELL_NOTE_BUSOB`).
 */
export async function resolveBusOb(
  client: Pick<CherwellClient, 'busObSummary'>,
  configured: string,
  defaultName: string,
  variable: string,
): Promise<BusObResolution> {
  if (isBusObId(configured)) return { how: 'id', busObId: configured };
  const direct = (await client.busObSummary(configured)).filter((summary) => named(summary, configured));
  const member = direct.find((summary) => summary.group !== true);
  if (member) return { how: 'direct', busObId: member.busObId, name: configured };
  const asGroup = direct.find((summary) => summary.group === true);
  if (asGroup) {
    const members = (asGroup.groupSummaries ?? []).map((m) => m.displayName ?? m.name).join(', ');
    throw new Error(
      `${variable}="${configured}" is a group in Cherwell, not a business object; name one of its members (${members || 'none listed'})`,
    );
  }
  const groups = candidateGroups(configured, defaultName);
  for (const group of groups) {
    const summaries = await client.busObSummary(group);
    for (const summary of summaries.filter((s) => s.group === true && named(s, group))) {
      const found = (summary.groupSummaries ?? []).find((m) => named(m, configured));
      if (found) return { how: 'group', busObId: found.busObId, name: configured, group };
    }
  }
  const looked = groups.length === 0 ? '' : ` nor among the members of ${groups.join(', ')}`;
  throw new Error(
    `Cherwell has no business object named "${configured}" (not found by name${looked}); set ${variable} to its name or busObId`,
  );
}
