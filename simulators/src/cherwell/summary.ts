import type { SimRequest } from '../common/route.ts';
import type { SimReply } from '../common/types.ts';
import { GROUPS, fieldByName, hex } from './busobs.ts';
import type { BusObDef } from './busobs.ts';
import type { CherwellStore } from './store.ts';

const lower = (s: string): string => s.toLowerCase();

/**
 * `GET /api/V1/getbusinessobjectsummary/busobname/{name}`, as real sites answer (cherwell.md):
 * an array of summaries; a group (Journal) answers itself with its members in
 * `groupSummaries`; a group member asked by its own name, and an unknown name, answer `200 []`
 * (unless the simulator is told to answer members directly, as some sites do).
 */
export function summary(req: SimRequest, store: CherwellStore): SimReply {
  const name = lower(req.params.name ?? '');
  const group = Object.keys(GROUPS).find((g) => lower(g) === name);
  if (group !== undefined) return { status: 200, body: [groupSummary(group, store)] };
  const def = store.defs.find((d) => lower(d.name) === name);
  if (!def || (def.group !== null && !store.membersByOwnName)) return { status: 200, body: [] };
  return { status: 200, body: [defSummary(def)] };
}

interface Named {
  name: string;
  busObId: string;
  group: string | null;
  def: BusObDef | undefined;
}

function memberSummary({ name, busObId, group, def }: Named): Record<string, unknown> {
  const recId = def ? (fieldByName(def, 'RecID')?.fieldId ?? null) : null;
  const status = def ? fieldByName(def, 'Status') : undefined;
  return {
    firstRecIdField: recId,
    groupSummaries: [],
    recIdFields: recId,
    stateFieldId: status?.fieldId ?? null,
    states: status ? 'New|Assigned|In Progress|Resolved' : null,
    busObId,
    displayName: name,
    group: false,
    lookup: false,
    major: group === null,
    name,
    supporting: group !== null,
  };
}

const defSummary = (def: BusObDef): Record<string, unknown> =>
  memberSummary({ name: def.name, busObId: def.busObId, group: def.group, def });

/** The group's own summary; members the simulator does not model answer with ids of their own. */
function groupSummary(group: string, store: CherwellStore): Record<string, unknown> {
  const members = (GROUPS[group] ?? []).map((member) => {
    const def = store.defs.find((d) => d.name === member);
    return memberSummary({ name: member, busObId: def?.busObId ?? hex(`busob:${member}`), group, def });
  });
  return {
    ...memberSummary({ name: group, busObId: hex(`busob:${group}`), group: null, def: undefined }),
    groupSummaries: members,
    group: true,
    major: false,
    supporting: true,
  };
}
