import { integerArg, type ParsedArgs } from '../args.ts';
import { UsageError } from '../errors.ts';
import { exitOnSignal } from '../roles/signals.ts';
import { credentialsFromEnv } from '../sim/credentials.ts';
import { SIMULATOR_NAMES, type SimulatorName } from '@tbe/simulators/names';
import { exportLines } from '../sim/print.ts';
import type { Command } from './types.ts';

export const simulateCommand: Command = {
  name: 'simulate',
  synopsis: '[wm] [cherwell] [sfyc]',
  summary: 'run the WM, Cherwell and SFyC simulators; print the variables to use them',
  details: [
    'They accept the credentials in this environment (CHERWELL_CLIENT_ID, CHERWELL_USERNAME,',
    'CHERWELL_PASSWORD, CHERWELL_AUTH_MODE, SFYC_CLIENT_ID, SFYC_CLIENT_SECRET, WM_TOKEN; X_FILE too),',
    'else their own, which are printed. Control endpoints (state, faults, trickle) are under /_sim/.',
  ],
  options: {
    host: {
      type: 'string',
      valueName: '<addr>',
      description: 'listen address (default 127.0.0.1; 0.0.0.0 in a container)',
    },
    port: {
      type: 'string',
      valueName: '<n>',
      description: 'port of the first simulator, the next ones on n+1, n+2 (default: free ports)',
    },
    advertise: {
      type: 'string',
      valueName: '<host>',
      description: 'host name in the printed URLs (default the listen address)',
    },
    trickle: {
      type: 'string',
      valueName: '<per-s>',
      description: 'WM changes per second, new tickets, updates and completions (default 0)',
    },
    faults: {
      type: 'string',
      valueName: '<share>',
      description: 'share 0..1 of Cherwell and SFyC requests that fail (default 0)',
    },
  },
  async run(args, io) {
    const input = parseSimulate(args);
    const credentials = credentialsFromEnv(io.env);
    // Loaded on use: the admin commands start faster without the simulators' modules.
    const { simulatorVariables, startSimulators } = await import('@tbe/simulators/deployment');
    const sims = await startSimulators({
      names: input.names,
      host: input.host,
      firstPort: input.port,
      wm: { token: credentials.wmToken },
      cherwell: credentials.cherwell,
      sfyc: credentials.sfyc,
      faultShare: input.faults,
    });
    if (sims.wm && input.trickle > 0) sims.wm.startTrickle({ ticketsPerSecond: input.trickle });

    io.out('# Ticketing BE simulators (Ctrl-C stops them). Point a deployment at them with:');
    exportLines(
      simulatorVariables(sims, {
        advertiseHost: input.advertise,
        given: {
          wmToken: credentials.wmToken,
          cherwellClientId: credentials.cherwell.clientId,
          cherwellPassword: credentials.cherwell.password,
          sfycClientSecret: credentials.sfyc.clientSecret,
        },
      }),
    ).forEach((line) => io.out(line));
    const named = [
      ['WM', sims.wm],
      ['Cherwell', sims.cherwell],
      ['SFyC', sims.sfyc],
    ] as const;
    const control = named.flatMap(([label, sim]) =>
      sim ? [`${label} ${advertised(sim.origin, input.advertise)}/_sim/`] : [],
    );
    io.out(`# control: ${control.join(', ')}`);
    if (sims.wm) {
      io.out(
        input.trickle > 0
          ? `# WM feed: ${input.trickle} changes/s`
          : '# WM feed: empty until you POST /_sim/tickets or /_sim/trickle, or start with --trickle <per-s>',
      );
    }
    exitOnSignal(() => sims.close(), 5000);
    return 'running';
  },
};

interface SimulateInput {
  names: SimulatorName[];
  host: string;
  port: number;
  advertise: string;
  trickle: number;
  faults: number;
}

function parseSimulate(args: ParsedArgs): SimulateInput {
  const names: SimulatorName[] = [];
  for (const value of args.positionals) {
    const name = SIMULATOR_NAMES.find((n) => n === value);
    if (name === undefined) {
      throw new UsageError(
        `unknown simulator ${JSON.stringify(value)} (expected ${SIMULATOR_NAMES.join(', ')})`,
        'simulate',
      );
    }
    if (!names.includes(name)) names.push(name);
  }
  const host = args.strings.get('host') ?? '127.0.0.1';
  const port = integerArg('simulate', '--port', args.strings.get('port') ?? '0');
  if (port < 0 || port > 65_533) throw new UsageError('--port must be from 0 to 65533', 'simulate');
  const number = (option: string, max: number): number => {
    const raw = args.strings.get(option) ?? '0';
    const value = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || value > max)
      throw new UsageError(`--${option} must be a number from 0 to ${max}`, 'simulate');
    return value;
  };
  const unspecified = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    names: names.length > 0 ? names : [...SIMULATOR_NAMES],
    host,
    port,
    advertise: args.strings.get('advertise') ?? unspecified,
    trickle: number('trickle', 1000),
    faults: number('faults', 1),
  };
}

function advertised(origin: string, host: string): string {
  const url = new URL(origin);
  url.hostname = host;
  return url.origin;
}
