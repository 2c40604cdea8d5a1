import { ConfigError } from '@tbe/shared';
import { runDashboard } from './run.ts';

// The dashboard process: wiring only (run.ts). A bad configuration prints one line per problem.
try {
  await runDashboard(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  for (const line of error.problems) console.error(line);
  process.exit(1);
}
