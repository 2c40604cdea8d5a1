import { startCherwellSimulator, type CherwellSimulator, type RecordedRequest } from '@tbe/simulators';
import { afterEach, describe, expect, test } from 'vitest';
import { CALLS, conformanceProblems } from '../fixtures/cherwell-openapi.ts';
import { waitForReport, waitForReports } from '../support/delivery.ts';
import { startStack, type Stack } from '../support/stack.ts';

// Conformance to Cherwell's published models (test/src/fixtures/cherwell-openapi.ts): every
// answer the simulator gives to the calls Ticketing BE makes, and every request the product
// sends in a real delivery run, validate against them.

let stack: Stack | undefined;
let sim: CherwellSimulator | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  await sim?.close();
  sim = undefined;
});

interface Answer {
  status: number;
  body: unknown;
}

async function send(
  base: string,
  method: string,
  path: string,
  init: {
    token?: string;
    json?: unknown;
    form?: Record<string, string>;
    query?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const url = new URL(`${base}${path}`);
  for (const [key, value] of Object.entries(init.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

/** The answer's departures from the model of its call; 200s only (errors have shapes of their own). */
function answerProblems(path: string, answer: Answer): string[] {
  const call = CALLS.find((c) => c.path.test(path));
  if (!call) return [`${path}: not a call Ticketing BE makes`];
  if (path.toLowerCase() === '/token' && answer.status !== 200)
    return conformanceProblems(answer.body, 'OAuthError', `${path} ${answer.status}`);
  if (answer.status !== 200) return [];
  if (call.answerIsArray) {
    if (!Array.isArray(answer.body)) return [`${path}: expected an array`];
    return answer.body.flatMap((item, index) => conformanceProblems(item, call.answer, `${path}[${index}]`));
  }
  return conformanceProblems(answer.body, call.answer, path);
}

function requestProblems(request: RecordedRequest): string[] {
  const call = CALLS.find((c) => c.path.test(request.path));
  if (!call) return [`${request.method} ${request.path}: not a call of the Cherwell API subset`];
  const isToken = request.path.toLowerCase() === '/token';
  const problems = isToken ? conformanceProblems(request.query, 'TokenQuery', `${request.path}?`) : [];
  if (call.request === undefined) {
    if (request.body !== null) problems.push(`${request.path}: a body where none is defined`);
    return problems;
  }
  return [...problems, ...conformanceProblems(request.body, call.request, request.path)];
}

describe('cherwell conformance to the published models', () => {
  test('when the simulator answers each call Ticketing BE makes (successes and refusals), then every answer validates', async () => {
    sim = await startCherwellSimulator({ requiredFields: { Incident: ['CustomerRecID'] } });
    const c = sim.credentials();
    const login = {
      grant_type: 'password',
      client_id: c.clientId,
      username: c.username,
      password: c.password,
    };
    const answers: Array<[string, Answer]> = [];
    const ask = async (method: string, path: string, init: Parameters<typeof send>[3] = {}) => {
      const answer = await send(sim!.url, method, path, init);
      answers.push([path, answer]);
      return answer;
    };
    const granted = (await ask('POST', '/token', { form: login, query: { auth_mode: 'Internal' } })).body as {
      access_token: string;
      refresh_token: string;
    };
    await ask('POST', '/token', {
      form: { grant_type: 'refresh_token', client_id: c.clientId, refresh_token: granted.refresh_token },
    });
    await ask('POST', '/token', { form: { ...login, password: 'wrong' } });
    sim.faults.add({ path: '/token', action: 'status', status: 503, times: 1 });
    await ask('POST', '/token', { form: login });
    const token = (
      (await ask('POST', '/token', { form: login, query: { auth_mode: 'Auto' } })).body as {
        access_token: string;
      }
    ).access_token;
    for (const name of ['Incident', 'Journal', 'Journal - Note', 'Work Order', 'No Such Thing'])
      await ask('GET', `/api/V1/getbusinessobjectsummary/busobname/${encodeURIComponent(name)}`, { token });
    const ids = sim.busObIds();
    for (const busObId of Object.values(ids))
      await ask('POST', '/api/V1/getbusinessobjecttemplate', {
        token,
        json: { busObId, fieldNames: ['Status', 'ParentRecID', 'Details'], includeRequired: true },
      });
    const field = (name: string) => sim!.fieldIds('Incident')[name] ?? name;
    const incident = (wm: string, extra: Record<string, string> = {}) => ({
      busObId: ids.incident,
      busObRecId: '',
      busObPublicId: '',
      persist: true,
      fields: Object.entries({ WMTicketID: wm, ShortDescription: 's', Status: 'New', ...extra }).map(
        ([name, value]) => ({
          dirty: true,
          fieldId: field(name),
          name,
          value,
        }),
      ),
    });
    // A success, a field validation error (required field missing), an update of a record that is gone.
    await ask('POST', '/api/V1/savebusinessobjectbatch', {
      token,
      json: {
        saveRequests: [
          incident('WM-C1', { CustomerRecID: 'c' }),
          incident('WM-C2'),
          { ...incident('WM-C3'), busObRecId: 'f'.repeat(32) },
        ],
        stopOnError: false,
      },
    });
    await ask('POST', '/api/V1/getsearchresults', {
      token,
      json: {
        busObId: ids.incident,
        filters: [{ fieldId: field('WMTicketID'), operator: 'startswith', value: 'WM-C' }],
        fields: [field('WMTicketID'), field('Status')],
        includeAllFields: false,
        pageNumber: 1,
        pageSize: 200,
      },
    });
    const problems = answers.flatMap(([path, answer]) => answerProblems(path, answer));
    expect(problems).toEqual([]);
    // The test saw what it meant to: the group, the refusals, a saved and a failed entry, a row.
    expect(answers.map(([, a]) => a.status)).toContain(503);
    const save = answers.find(([p]) => p.endsWith('savebusinessobjectbatch'))?.[1].body as {
      responses: Array<{ hasError: boolean }>;
    };
    expect(save.responses.map((r) => r.hasError)).toEqual([false, true, true]);
  });

  test('when the model is broken on purpose, then the validator says where', () => {
    expect(
      conformanceProblems(
        { fields: [{ fieldId: 'a', required: true, dirty: 'yes' }], hasError: false },
        'TemplateResponse',
      ),
    ).toEqual([
      'TemplateResponse.fields[0].required: not in the model',
      'TemplateResponse.fields[0].dirty: expected a boolean',
    ]);
    expect(conformanceProblems({ grant_type: 'client_credentials' }, 'TokenRequest')).toEqual([
      'TokenRequest.client_id: required',
      'TokenRequest.grant_type: client_credentials is not one of password, refresh_token',
    ]);
  });

  test('when tickets are delivered (created, noted, updated, resolved, a lost note answer looked up), then every request validates, and so does every answer to it', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'cherwell' });
    const wm = stack.wm;
    const first = wm.createTicket({ entity: 'CONF-NODO-1/US-1', alarmType: 'SNR' }, ['cherwell']).id;
    stack.startProducer();
    await stack.startWorker();
    await waitForReports(stack, 'cherwell', [first], 'created');
    const second = wm.createTicket({ entity: 'CONF-NODO-1/US-1', alarmType: 'SNR' }, ['cherwell']).id;
    await waitForReports(stack, 'cherwell', [second], 'noted');
    // The next note's answer is lost: its repeat looks it up (getsearchresults with startswith).
    stack.cherwell.faults.add({
      path: 'savebusinessobjectbatch',
      ticketIds: [second],
      action: 'commit-then-fail',
      then: 'status',
      status: 500,
      times: 1,
    });
    wm.updateTicket(second, { alarmCount: 99 });
    await waitForReport(stack, { ticketId: second, platform: 'cherwell', state: 'noted', version: 2 });
    wm.completeTicket(first);
    await waitForReport(stack, { ticketId: first, platform: 'cherwell', state: 'resolved', version: 2 });
    const requests = [...stack.cherwell.requests];
    const bodies = requests.map((r) => JSON.stringify(r.body));
    expect(bodies.some((b) => b.includes('"startswith"'))).toBe(true);
    expect(requests.filter((r) => r.path.toLowerCase().includes('getbusinessobjectsummary')).length).toBe(4);
    expect(requests.flatMap(requestProblems)).toEqual([]);

    // Every answer to those calls, asked again with a fresh token (the log keeps no answers).
    const c = stack.cherwell.credentials();
    const token = (
      await send(stack.cherwell.url, 'POST', '/token', {
        form: { grant_type: 'password', client_id: c.clientId, username: c.username, password: c.password },
      })
    ).body as { access_token: string };
    const problems: string[] = [];
    for (const request of requests.filter((r) => r.path.toLowerCase() !== '/token')) {
      const answer = await send(stack.cherwell.url, request.method, request.path, {
        token: token.access_token,
        ...(request.body === null ? {} : { json: request.body }),
      });
      expect(answer.status).toBe(200);
      problems.push(...answerProblems(request.path, answer));
    }
    expect(problems).toEqual([]);
  });
});
