import { ConfigError, loadConfig } from '@tbe/shared/config/index';
import { expectPositionals } from '../args.ts';
import type { CheckResult } from '../check/types.ts';
import type { Io } from '../io.ts';
import type { Command } from './types.ts';

/**
 * The preflight before pointing the relay at real systems (operations.md, "CLI"): the
 * configuration every role reads, then Redis, WM and each platform a worker serves, talked to
 * directly. One line per check; a failure says how to fix it; exit 1 on any failure.
 */
export const checkCommand: Command = {
  name: 'check',
  synopsis: '',
  summary: 'preflight: configuration, Redis, WM and each platform, one line per failure with its fix',
  details: [
    'Reads the same environment as the roles (run all). Reads only: the WM feed is read after the',
    "producer's cursor without moving it; nothing is written to a platform or to Redis.",
  ],
  options: { json: { type: 'boolean', description: 'print the checks as JSON' } },
  async run(args, io) {
    expectPositionals('check', args, []);
    const results = await runChecks(io.env);
    if (args.flags.has('json'))
      io.out(JSON.stringify({ ok: results.every((r) => r.ok), checks: results }, null, 2));
    else printChecklist(results, io);
    return results.every((r) => r.ok) ? 0 : 1;
  },
};

async function runChecks(env: Record<string, string | undefined>): Promise<CheckResult[]> {
  let config;
  try {
    config = loadConfig(env, 'all');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((line) => ({
      name: 'configuration',
      ok: false,
      detail: line,
      fix: `set ${line.split(':')[0] ?? 'it'} as the README's configuration table says`,
    }));
  }
  // Loaded on use: the clients of every platform are not needed by the other commands.
  const [{ checkRedis }, { checkWm }, { checkCherwell }, { checkSfyc }] = await Promise.all([
    import('../check/redis.ts'),
    import('../check/wm.ts'),
    import('../check/cherwell.ts'),
    import('../check/sfyc.ts'),
  ]);
  const results: CheckResult[] = [
    { name: 'configuration', ok: true, detail: 'every role’s variables are valid' },
  ];
  const redis = await checkRedis(config);
  results.push(...redis.results);
  try {
    results.push(...(await checkWm(config, redis.client)));
  } finally {
    redis.client?.disconnect();
  }
  if (config.workerPlatforms.includes('cherwell') && config.cherwell)
    results.push(...(await checkCherwell(config.cherwell)));
  if (config.workerPlatforms.includes('sfyc') && config.sfyc) results.push(...(await checkSfyc(config.sfyc)));
  return results;
}

function printChecklist(results: readonly CheckResult[], io: Io): void {
  for (const r of results) {
    io.out(r.ok ? `  ok    ${r.name}: ${r.detail}` : `  FAIL  ${r.name}: ${r.detail}. Fix: ${r.fix ?? ''}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  io.out(
    failed === 0 ? `all ${results.length} checks passed` : `${failed} of ${results.length} checks failed`,
  );
}
