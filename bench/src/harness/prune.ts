import { wmReports } from '../measure/requests.ts';
import type { Sims } from './sims.ts';

/**
 * Takes each SFyC ticket out of the simulator once WM has been told it was created.
 *
 * Why: the simulators keep their records in plain lists and scan all of them on every search
 * and every upsert (SFyC finds a ticket by WM id by walking every ticket), so their cost per
 * request grows with what they hold, and a 50,000-ticket run would mostly measure the
 * simulator (quadratic). A real platform answers these from an index. In the scenarios that
 * use this, every entity is unique and nothing touches a ticket after its `created` report,
 * so removing it changes no answer the product gets; it only keeps the simulator's lists at
 * the size of the tickets in flight.
 */
export function pruneCreated(sims: Sims): () => void {
  const sfyc = sims.sfyc;
  if (!sfyc) throw new Error('pruning is for the SFyC simulator');
  return sims.log.listen((source, _classified, record) => {
    if (source !== 'wm') return;
    for (const report of wmReports(record)) {
      if (report.state !== 'created' || !report.externalId) continue;
      try {
        sfyc.deleteTicket(report.externalId);
      } catch {
        // already gone (a repeated report): nothing to do
      }
    }
  });
}
