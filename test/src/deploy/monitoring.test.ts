import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { runDashboard } from '@tbe/dashboard';
import { runProducer } from '@tbe/producers';
import { runWorker } from '@tbe/workers';
import { deadLetters, waitForReports } from '../support/delivery.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';
import { ROOT } from '../cli/child.ts';

// The shipped monitoring, checked with promtool (Debian's `prometheus` package; .ci/run installs
// it): the alert rules and their unit tests, the Prometheus configuration of the compose profile,
// and the /metrics of every role as Prometheus would scrape it.
const PROMETHEUS = join(ROOT, 'monitoring', 'prometheus');
const ROLES = ['producer', 'worker', 'dashboard'] as const;
const PROM_CLIENT_DEFAULTS =
  /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/;

function promtool(args: string[], input?: string): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { cwd: PROMETHEUS, input, encoding: 'utf8' });
  if (run.error) throw new Error(`promtool is missing: apt-get install prometheus (${run.error.message})`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the alert rules and the Prometheus configuration', () => {
  test('when promtool checks the rules, then all six alerts are valid', () => {
    const { status, output } = promtool(['check', 'rules', 'alerts.yml']);
    expect(output).toContain('SUCCESS: 6 rules found');
    expect(status).toBe(0);
  });

  test('when promtool runs the unit tests, then every alert has one and all pass', () => {
    const { status, output } = promtool(['test', 'rules', 'alerts.test.yml']);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
    const rules = parse(readFileSync(join(PROMETHEUS, 'alerts.yml'), 'utf8')) as {
      groups: { rules: { alert: string }[] }[];
    };
    const tests = parse(readFileSync(join(PROMETHEUS, 'alerts.test.yml'), 'utf8')) as {
      tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
    };
    const fired = new Set(
      tests.tests.flatMap((t) =>
        t.alert_rule_test.filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname),
      ),
    );
    for (const { alert } of rules.groups.flatMap((g) => g.rules)) expect(fired, alert).toContain(alert);
  });

  test('when promtool checks the compose profile’s Prometheus configuration, then it is valid and scrapes every role', () => {
    const { status, output } = promtool(['check', 'config', 'prometheus.yml']);
    expect(output).toContain('is valid prometheus config file syntax');
    expect(status).toBe(0);
    const config = parse(readFileSync(join(PROMETHEUS, 'prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string }[];
    };
    expect(config.scrape_configs.map((c) => c.job_name)).toEqual(ROLES.map((role) => `tbe-${role}`));
  });

  test('when the monitoring profile is on, then Prometheus and Grafana mount the shipped files and Grafana reads a valid dashboard', () => {
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { profiles?: string[]; volumes?: string[] }>;
    };
    for (const name of ['prometheus', 'grafana'])
      expect(compose.services[name]?.profiles).toEqual(['monitoring']);
    expect(compose.services.prometheus?.volumes).toContain('./monitoring/prometheus:/etc/prometheus:ro');
    expect(compose.services.grafana?.volumes).toContain(
      './monitoring/grafana/dashboards:/etc/grafana/dashboards:ro',
    );
    const dashboard = JSON.parse(
      readFileSync(join(ROOT, 'monitoring', 'grafana', 'dashboards', 'ticketing-be.json'), 'utf8'),
    ) as { uid: string; panels: { title: string; targets: { expr: string }[] }[] };
    expect(dashboard.uid).toBe('tbe-overview');
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    for (const metric of [
      'tbe_tickets_total',
      'tbe_batch_size_sum',
      'tbe_platform_request_duration_seconds_bucket',
      'tbe_operation_failures_total',
      'tbe_queue_jobs',
      'tbe_queue_oldest_waiting_age_seconds',
      'tbe_dead_letter_queue_jobs',
      'tbe_producer_lag_seconds',
    ])
      expect(exprs, metric).toContain(metric);
  });
});

describe('every role as Prometheus scrapes it', () => {
  let stack: Stack;
  const ports: Partial<Record<(typeof ROLES)[number], number>> = {};
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'cherwell' });
    const good = stack.wm.createTicket({ entity: 'GDL-NODO-9101/US-1' }, ['cherwell']).id;
    const bad = stack.wm.createTicket({ entity: 'GDL-NODO-9102/US-1' }, ['cherwell']).id;
    stack.cherwell.faults.add({
      path: 'savebusinessobjectbatch',
      ticketIds: [bad],
      action: 'item-error',
      error: 'validation',
    });
    const env = { ...stack.env, HTTP_PORT: '0' };
    const options = { handleSignals: false };
    const producer = await runProducer(env, options);
    const worker = await runWorker(env, options);
    const dashboard = await runDashboard(env, options);
    stops.push(
      () => producer.stop(),
      () => worker.stop(),
      () => dashboard.stop(),
    );
    Object.assign(ports, { producer: producer.port, worker: worker.port, dashboard: dashboard.port });
    // Every kind of series present: a delivery, a dead letter, requests, batches, polls.
    await waitForReports(stack, 'cherwell', [good], 'created');
    await waitFor(async () => (await deadLetters(stack, 'cherwell')).length === 1, {
      what: 'the dead letter',
    });
  }, 60_000);

  afterAll(async () => {
    for (const stop of stops) await stop();
    await stack?.stop();
  });

  test.each(ROLES)('when promtool checks the %s role’s /metrics, then it finds no problem', async (role) => {
    const text = await (await fetch(`http://127.0.0.1:${ports[role]}/metrics`)).text();
    expect(text).toContain('tbe_redis_connected 1');
    const { output } = promtool(['check', 'metrics'], text);
    // prom-client's own default metrics name three gauges `nodejs_active_*_total`, which
    // promtool's lint flags; they are not ours to rename. Everything else must be clean.
    const problems = output.split('\n').filter((line) => line.trim() !== '');
    expect(problems.filter((line) => !PROM_CLIENT_DEFAULTS.test(line))).toEqual([]);
    // The README lists every metric of ours.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const ours = [...text.matchAll(/^# HELP (tbe_\w+)/gm)].map((m) => m[1] ?? '');
    expect(ours.length).toBeGreaterThan(0);
    for (const name of ours) expect(readme, name).toMatch(new RegExp(`\`${name}[\`{]`));
  });

  test('when /readyz is asked of every role, then each answers the same shape', async () => {
    const answers = await Promise.all(
      ROLES.map(
        async (role) =>
          (await (await fetch(`http://127.0.0.1:${ports[role]}/readyz`)).json()) as Record<string, unknown>,
      ),
    );
    for (const answer of answers)
      expect(Object.keys(answer).sort()).toEqual(['auth', 'leader', 'redis', 'status']);
    expect(answers).toEqual([
      { status: 'ready', redis: 'ready', auth: {}, leader: expect.any(Boolean) as boolean },
      { status: 'ready', redis: 'ready', auth: { cherwell: 'ok' }, leader: null },
      { status: 'ready', redis: 'ready', auth: {}, leader: null },
    ]);
  });
});
