import { wmReports } from '../measure/requests.ts';
import type { Sims } from './sims.ts';

/**
 * Takes each SFyC ticket out of the simulator once WM has been told it was created.
 *
 * Why: the simulator keeps its tickets in a map and scans all of them for a search by entity
 * (the open-ticket search), so its cost per request grows with what it holds, and a large run
 * would partly measure the simulator. A real platform answers these from an index. In the
 * scenarios that use this, every entity is unique and nothing touches a ticket after its
 * `created` report, so removing it changes no answer the product gets; it only keeps the
 * simulator at the size of the tickets in flight.
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
