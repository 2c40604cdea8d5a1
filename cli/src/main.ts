import { runCli } from './cli.ts';
import { processIo } from './io.ts';

// `pnpm tbe <command>` here, `ticketing-be <command>` in the image (cli/bin/ticketing-be.js).
// Long-lived commands keep the process up and exit on a signal; the others exit with their
// code once stdout has been written out.
const outcome = await runCli(process.argv.slice(2), processIo());
if (outcome !== 'running') process.stdout.write('', () => process.exit(outcome));
