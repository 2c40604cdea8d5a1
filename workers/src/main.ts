import { ConfigError } from '@tbe/shared';
import { runWorker } from './run.ts';

// The worker process: wiring only (run.ts). A bad configuration prints one line per problem.
try {
  await runWorker(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  for (const line of error.problems) console.error(line);
  process.exit(1);
}
