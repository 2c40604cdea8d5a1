import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cells, HEADERS, markdownTable, num, textTable } from './format.ts';
import type { BenchReport } from './types.ts';

export function consoleTable(report: BenchReport): string {
  const rows = report.results.flatMap((result) =>
    result.error
      ? [[result.scenario, 'FAILED', result.error.split('\n')[0] ?? '', '', '', '', 'MISS']]
      : result.rows.map(cells),
  );
  return textTable(HEADERS, rows);
}

/** The markdown report: machine, commit, command, the table, then what each scenario measured. */
export function markdown(report: BenchReport): string {
  const m = report.machine;
  const rows = report.results.flatMap((result) =>
    result.error
      ? [[result.scenario, 'FAILED', result.error.split('\n')[0] ?? '', '', '', '', 'MISS']]
      : result.rows.map(cells),
  );
  const sections = report.results.map((result) =>
    [
      `### ${result.scenario}`,
      '',
      `${result.what}. Size ${num(result.size)}, ${result.runs} run(s), ${Math.round(result.seconds)} s.`,
      result.error ? `\nFailed: \`${result.error}\`` : '',
      '',
      '```json',
      JSON.stringify(result.details, null, 1),
      '```',
    ].join('\n'),
  );
  return [
    `# pnpm bench: ${report.startedAt}`,
    '',
    `- machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, ${m.os}`,
    `- node ${m.node}, redis-server ${m.redis}`,
    `- commit: ${report.commit}`,
    `- command: \`${report.command}\``,
    '',
    markdownTable(HEADERS, rows),
    '',
    ...sections,
    '',
  ].join('\n');
}

/** Writes `<dir>/<timestamp>.json` and `.md`; answers their paths. */
export async function writeReport(dir: string, report: BenchReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const stamp = report.startedAt.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  const json = join(dir, `${stamp}.json`);
  const md = join(dir, `${stamp}.md`);
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(md, markdown(report));
  return [json, md];
}
