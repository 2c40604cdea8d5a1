// `pnpm bench [scenario...] [--size quick|full|<n>] [--runs n] [--out dir] [--profile]`: runs each
// scenario against its own redis-server and the simulators, prints the table, and writes
// <out>/<timestamp>.json and .md. Exit code 0 when every figure with a target passed, 1 if one
// missed or a scenario failed, 2 on bad usage.
import { join } from 'node:path';
import { parseArgs, USAGE } from './args.ts';
import type { BenchContext } from './context.ts';
import { ROOT } from './harness/child.ts';
import { describeCommit, describeMachine, redisServerVersion } from './report/machine.ts';
import type { BenchReport, ScenarioResult } from './report/types.ts';
import { consoleTable, writeReport } from './report/write.ts';
import { SCENARIOS } from './scenarios/index.ts';

const names = SCENARIOS.map((scenario) => scenario.name);
let args;
try {
  args = parseArgs(process.argv.slice(2), names);
} catch (error) {
  console.error((error as Error).message);
  console.error(USAGE);
  process.exit(2);
}
if (args.help) {
  console.log(
    `${USAGE}\n\nscenarios:\n${SCENARIOS.map((s) => `  ${s.name.padEnd(15)} ${s.what}`).join('\n')}`,
  );
  process.exit(0);
}

const startedAt = new Date();
const outDir = args.outDir ?? join(ROOT, 'bench', 'results');
const stamp = startedAt
  .toISOString()
  .replaceAll(':', '-')
  .replace(/\.\d+Z$/, 'Z');
const ctx: BenchContext = {
  size: args.size,
  runs: 1,
  profile: args.profile,
  outDir,
  profileDir: join(outDir, `${stamp}-profiles`),
  log: (message) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`),
};
const report: BenchReport = {
  startedAt: startedAt.toISOString(),
  command: `pnpm bench ${process.argv.slice(2).join(' ')}`.trim(),
  commit: describeCommit(ROOT),
  machine: describeMachine(redisServerVersion()),
  results: [],
};

for (const scenario of SCENARIOS.filter((s) => args.scenarios.includes(s.name))) {
  ctx.runs = args.runs ?? (args.size === 'full' ? (scenario.fullRuns ?? 3) : 1);
  ctx.log(`${scenario.name}: ${scenario.what} (${ctx.runs} run${ctx.runs > 1 ? 's' : ''})`);
  const started = performance.now();
  let result: ScenarioResult;
  try {
    const output = await scenario.run(ctx);
    result = {
      scenario: scenario.name,
      what: scenario.what,
      runs: ctx.runs,
      seconds: (performance.now() - started) / 1000,
      ...output,
    };
  } catch (error) {
    console.error(error);
    result = {
      scenario: scenario.name,
      what: scenario.what,
      size: 0,
      runs: ctx.runs,
      seconds: (performance.now() - started) / 1000,
      rows: [],
      details: {},
      error: String(error),
    };
  }
  report.results.push(result);
  ctx.log(`${scenario.name}: done in ${Math.round(result.seconds)} s`);
  // Written after every scenario, so a long run interrupted later keeps what it measured.
  await writeReport(outDir, report);
}

console.log(`\n${consoleTable(report)}\n`);
const written = await writeReport(outDir, report);
console.log(`written: ${written.join(', ')}`);
const failed = report.results.some((r) => r.error !== undefined || r.rows.some((row) => row.pass === false));
process.exit(failed ? 1 : 0);
