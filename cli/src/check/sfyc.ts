import { AuthFailedError, type SfycConfig } from '@tbe/shared';
import { createSfycClient } from '@tbe/workers/sfyc/client';
import { fail, pass, reason, type CheckResult } from './types.ts';

/** A Ticketing BE id no ticket carries: the search answers, and finds nothing. */
const PROBE_ID = 'tbe-check-probe';

/** SFyC: a token, and one search as the worker makes them. */
export async function checkSfyc(config: SfycConfig): Promise<CheckResult[]> {
  const client = createSfycClient(config, { authRetryMs: 0 });
  try {
    try {
      await client.authenticate();
    } catch (error) {
      const credentials = error instanceof AuthFailedError;
      return [
        fail(
          'SFyC token',
          reason(error),
          credentials
            ? 'check SFYC_CLIENT_ID and SFYC_CLIENT_SECRET'
            : 'check SFYC_URL and that SFyC answers',
        ),
      ];
    }
    const results = [pass('SFyC token', `issued by ${config.url}`)];
    try {
      const found = await client.search(1, { externalIds: [PROBE_ID] });
      results.push(
        pass(
          'SFyC search',
          `answered (${found.length} ticket${found.length === 1 ? '' : 's'} for a probe id)`,
        ),
      );
    } catch (error) {
      results.push(
        fail('SFyC search', reason(error), 'check that the client may search tickets (its SFyC permissions)'),
      );
    }
    return results;
  } finally {
    await client.close();
  }
}
