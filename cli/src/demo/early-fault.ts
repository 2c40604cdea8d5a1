import type { Simulators } from '@tbe/simulators/deployment';

/**
 * One ticket Cherwell refuses once with a permanent error (FIELD_INVALID), queued as the demo
 * starts: a newcomer sees a dead letter within seconds and can retry it at once, and the retry
 * succeeds (the fault fires only once). The trickle's occasional faults alone take a minute or
 * more to make the first dead letter. An occasional item error hitting the same request does not
 * mask the refusal: the simulators give a ticket the fault aimed at it first; and the trickle
 * leaves the ticket alone, so no newer version delivers it (and clears its dead letter) first.
 * Answers the ticket's WM id, or undefined without the WM and Cherwell simulators.
 */
export function refuseOneTicketEarly(sims: Simulators): string | undefined {
  if (!sims.wm || !sims.cherwell) return undefined;
  const { id } = sims.wm.createTicket({}, ['cherwell']);
  // A newer version from the trickle would deliver it and clear its dead letter before anyone
  // looks: it stays as it is until the newcomer retries it.
  sims.wm.spareFromTrickle(id);
  sims.cherwell.faults.add({
    path: 'savebusinessobjectbatch',
    ticketIds: [id],
    action: 'item-error',
    error: 'validation',
    times: 1,
  });
  return id;
}
