import { AuthFailedError, type CherwellConfig } from '@tbe/shared';
import { checkCherwellBusObs } from '@tbe/workers/cherwell/check';
import { createCherwellClient, type CherwellClient } from '@tbe/workers/cherwell/client';
import {
  INCIDENT_FIELDS,
  NOTE_FIELDS,
  resolveIds,
  WORK_ORDER_FIELDS,
  type BusOb,
} from '@tbe/workers/cherwell/fields';
import { fail, pass, reason, type CheckResult } from './types.ts';

const CREDENTIALS_FIX =
  'check CHERWELL_CLIENT_ID, CHERWELL_USERNAME, CHERWELL_PASSWORD and CHERWELL_AUTH_MODE';

/**
 * Cherwell as a worker prepares it: a token; the three business objects, each on its own, and
 * how each resolved (the worker's own resolution, checkCherwellBusObs); every field id the
 * worker writes (its own `resolveIds`); then the fields the site requires that Ticketing BE
 * does not fill (a create would be refused): the template asked with `includeRequired` answers
 * the required fields besides the named ones.
 */
export async function checkCherwell(config: CherwellConfig): Promise<CheckResult[]> {
  let busObs;
  try {
    busObs = await checkCherwellBusObs(config, { authRetryMs: 0 });
  } catch (error) {
    return [fail('Cherwell', reason(error), 'check CHERWELL_URL and that Cherwell answers')];
  }
  const refused = busObs.find((check) => !check.ok && check.error instanceof AuthFailedError);
  if (refused && !refused.ok) return [fail('Cherwell token', reason(refused.error), CREDENTIALS_FIX)];
  const results = [pass('Cherwell token', `issued by ${config.url}`)];
  for (const check of busObs) {
    results.push(
      check.ok
        ? pass(
            `Cherwell ${check.variable}`,
            `${check.configured}: ${check.description} (busObId ${check.resolution.busObId})`,
          )
        : fail(
            `Cherwell ${check.variable}`,
            `${check.configured}: ${reason(check.error)}`,
            `set ${check.variable} to a business object name or id the site has`,
          ),
    );
  }
  if (results.some((r) => !r.ok)) return results;

  const client = createCherwellClient(config, { authRetryMs: 0 });
  try {
    const ids = await resolveIds(client, config);
    const objects: [BusOb<string>, readonly string[]][] = [
      [ids.incident, INCIDENT_FIELDS],
      [ids.note, NOTE_FIELDS],
      [ids.workOrder, WORK_ORDER_FIELDS],
    ];
    for (const [busOb, names] of objects) {
      const fields = names.map((name) => `${name}=${busOb.fieldIds[name] ?? '?'}`).join(', ');
      results.push(pass(`Cherwell ${busOb.name} fields`, `from the ${busOb.fieldSource}: ${fields}`));
      results.push(await unmappedRequired(client, busOb, names));
    }
  } catch (error) {
    results.push(
      fail(
        'Cherwell fields',
        reason(error),
        'add the fields to the business objects, or list their ids in CHERWELL_FIELD_MAP',
      ),
    );
  } finally {
    await client.close();
  }
  return results;
}

/** Fields the site requires on a business object that Ticketing BE never fills. */
async function unmappedRequired(
  client: CherwellClient,
  busOb: BusOb<string>,
  names: readonly string[],
): Promise<CheckResult> {
  const template = await client.template(busOb.busObId, names);
  const mapped = new Set(names);
  const missing = template.fields.filter((field) => !mapped.has(field.name));
  const name = `Cherwell ${busOb.name} required fields`;
  if (missing.length === 0) return pass(name, 'all filled by Ticketing BE');
  return fail(
    name,
    `the site requires ${missing.map((field) => field.name).join(', ')}, which Ticketing BE does not fill`,
    `give them a default on the Cherwell side or make them optional for ${busOb.name}`,
  );
}
