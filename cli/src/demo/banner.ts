import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Simulators } from '@tbe/simulators/deployment';
import type { Io } from '../io.ts';

export interface BannerInput {
  port: number;
  /** The generated token, or undefined when the operator's ADMIN_TOKEN is used (never echoed). */
  generatedToken: string | undefined;
  redis: string;
  prefix: string;
  /** Keys of this run deleted at exit (a Redis the demo did not start). */
  keysDeletedAtExit: boolean;
  simulators: Simulators;
  ports: { producer: number; worker: number };
  logPath: string;
  /** The ticket Cherwell refuses once on purpose, so that there is a dead letter to retry. */
  refusedTicket?: string | undefined;
}

/** The `tbe` bin pnpm links at the repository root (package.json "bin" of @tbe/cli). */
const ROOT_BIN = fileURLToPath(new URL('../../../node_modules/.bin/tbe', import.meta.url));

/**
 * How to run the CLI from the demo's working directory, as the operator can type it: the bin
 * pnpm installed (no pnpm needed on PATH, no wrapper lines), else the pinned pnpm through npx.
 */
export function cliCommand(cwd = process.cwd()): string {
  if (!existsSync(ROOT_BIN)) return 'npx -y pnpm@12.4.2 tbe';
  const path = relative(cwd, ROOT_BIN);
  return path.startsWith('.') || path.startsWith('/') ? path : `./${path}`;
}

export function printBanner(io: Io, input: BannerInput): void {
  const base = `http://127.0.0.1:${input.port}`;
  const token = input.generatedToken ?? 'the one in ADMIN_TOKEN';
  const sims = [input.simulators.wm, input.simulators.cherwell, input.simulators.sfyc]
    .filter((sim) => sim !== undefined)
    .map((sim) => sim.url);
  const keys = input.keysDeletedAtExit ? 'this run’s, deleted at exit' : 'gone with it';
  const cli = cliCommand();
  const lines = [
    'Ticketing BE demo is running. Ctrl-C stops it.',
    '',
    `  dashboard    ${base}/admin/login   (open in a browser; password: the admin token)`,
    `  tickets      ${base}/admin/tickets   (the ticket overview page, after the login)`,
    `  admin token  ${token}${input.generatedToken ? '   (generated for this run; set ADMIN_TOKEN to choose one)' : ''}`,
    `  admin API    ${base}/api/status   (Authorization: Bearer <admin token>)`,
    `  Redis        ${input.redis}; keys under ${input.prefix}: (${keys})`,
    `  simulators   ${sims.join('  ')}   (their state under /_sim/)`,
    `  metrics      dashboard :${input.port}, producer :${input.ports.producer}, worker :${input.ports.worker} (/metrics)`,
    `  logs         ${input.logPath}   (tail -f it; LOG_LEVEL=debug for more)`,
    '',
    'Try, in another shell:',
    `  export TBE_URL=${base} ADMIN_TOKEN=${input.generatedToken ?? '"$ADMIN_TOKEN"'}`,
    `  ${cli} status`,
    `  ${cli} errors cherwell`,
  ];
  if (input.refusedTicket)
    lines.push(
      `  ${cli} retry cherwell ${input.refusedTicket}   (Cherwell refuses this one once on purpose: the retry delivers it)`,
    );
  lines.forEach((line) => io.out(line));
}
