import type { Io } from '../io.ts';
import type { Simulators } from '../sim/start.ts';

export interface BannerInput {
  port: number;
  /** The generated token, or undefined when the operator's ADMIN_TOKEN is used (never echoed). */
  generatedToken: string | undefined;
  redis: string;
  prefix: string;
  simulators: Simulators;
  ports: { producer: number; worker: number };
}

export function printBanner(io: Io, input: BannerInput): void {
  const base = `http://127.0.0.1:${input.port}`;
  const token = input.generatedToken ?? 'the one in ADMIN_TOKEN';
  const sims = [input.simulators.wm, input.simulators.cherwell, input.simulators.sfyc]
    .filter((sim) => sim !== undefined)
    .map((sim) => sim.url);
  const lines = [
    'Ticketing BE demo is running. Ctrl-C stops it.',
    '',
    `  dashboard    ${base}/api/status   (admin API, Authorization: Bearer <admin token>)`,
    `  Bull Board   ${base}/admin/queues   (any user name, the admin token as password)`,
    `  tickets      ${base}/admin/tickets   (the ticket overview page, same login as Bull Board)`,
    `  admin token  ${token}${input.generatedToken ? '   (generated for this run; set ADMIN_TOKEN to choose one)' : ''}`,
    `  Redis        ${input.redis}, keys under ${input.prefix}:`,
    `  simulators   ${sims.join('  ')}   (their state under /_sim/)`,
    `  metrics      dashboard :${input.port}, producer :${input.ports.producer}, worker :${input.ports.worker} (/metrics)`,
    '',
    'Try, in another shell:',
    `  TBE_URL=${base} ADMIN_TOKEN=${input.generatedToken ?? '"$ADMIN_TOKEN"'} ${io.prog} status`,
  ];
  lines.forEach((line) => io.out(line));
}
