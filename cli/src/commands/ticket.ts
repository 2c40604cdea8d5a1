import { expectPositionals } from '../args.ts';
import { errorText, list, record, text } from '../output/values.ts';
import { adminCommand, segment } from './admin.ts';

export const ticketCommand = adminCommand({
  name: 'ticket',
  synopsis: '<id>',
  summary:
    'a ticket on every platform (its WM id or a dead-letter id): state, ids, attempts, last error, history',
  parse: (args) => expectPositionals('ticket', args, ['<id>'])[0] ?? '',
  call: (api, id) => api.request('GET', `/api/tickets/${segment(id)}`),
  print(answer, id, io) {
    io.out(text(record(answer).ticketId, id));
    const platforms = Object.entries(record(record(answer).platforms));
    if (platforms.length === 0) io.out('  on no platform yet');
    for (const [name, value] of platforms) {
      const p = record(value);
      io.out('');
      io.out(
        `  ${name}: ${text(p.state)}, platform id ${text(p.platformId)}, OT ${text(p.workOrder)}, version ${text(p.version)}`,
      );
      const attempts = Object.entries(record(p.attempts)).map(([op, n]) => `${op} ${text(n)}`);
      io.out(`    attempts: ${attempts.length > 0 ? attempts.join(', ') : 'none'}`);
      io.out(`    last error: ${errorText(p.lastError) === '-' ? 'none' : errorText(p.lastError)}`);
      const history = list(p.history);
      io.out(`    history (${history.length} event${history.length === 1 ? '' : 's'}):`);
      for (const event of history) {
        const detail = event.detail === null || event.detail === undefined ? '' : `  ${text(event.detail)}`;
        // An event without a version (one stored before events carried it) shows none, not `v-`.
        const version =
          event.version === null || event.version === undefined ? '' : `  v${text(event.version)}`;
        io.out(`      ${text(event.at)}  ${text(event.event)}${version}${detail}`);
      }
    }
  },
});
