import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535).default(0);
const optional = z.string().min(1).optional();

/** What `pnpm tbe simulate` and `tsx simulators/src/main.ts` read; every variable is optional. */
export const simulatorEnvSchema = z.object({
  // Interface to listen on; loopback unless an operator opens it up on purpose.
  SIM_HOST: z.string().min(1).default('127.0.0.1'),
  // Ports; 0 picks a free one.
  SIM_WM_PORT: port,
  SIM_CHERWELL_PORT: port,
  SIM_SFYC_PORT: port,
  // When set, WM wants `Authorization: Bearer <SIM_WM_TOKEN>`.
  SIM_WM_TOKEN: optional,
  // Credentials the Cherwell simulator accepts (defaults are printed at start).
  SIM_CHERWELL_CLIENT_ID: optional,
  SIM_CHERWELL_USERNAME: optional,
  SIM_CHERWELL_PASSWORD: optional,
  // Credentials the SFyC simulator accepts.
  SIM_SFYC_CLIENT_ID: optional,
  SIM_SFYC_CLIENT_SECRET: optional,
  // New WM changes per second from the realistic trickle; 0 = none.
  SIM_TRICKLE_PER_SECOND: z.coerce.number().min(0).default(0),
});

export type SimulatorEnv = z.infer<typeof simulatorEnvSchema>;

/** Parses the environment; throws one line per bad variable. */
export function loadSimulatorEnv(env: Record<string, string | undefined>): SimulatorEnv {
  const parsed = simulatorEnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
}
