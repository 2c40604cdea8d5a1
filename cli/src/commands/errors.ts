import { expectPositionals, platformArg } from '../args.ts';
import { table } from '../output/table.ts';
import { errorText, list, record, text } from '../output/values.ts';
import { adminCommand } from './admin.ts';
import { PAGE_OPTIONS, pageQuery, printNext } from './paging.ts';

/** The review list: the platform's tickets in `error` (GET /api/tickets?state=error). */
export const errorsCommand = adminCommand({
  name: 'errors',
  synopsis: '<platform>',
  summary: 'the review list: tickets in error on a platform, with their last error',
  details: [
    'Retry one with `retry <platform> <id>` (its WM id or dead-letter id), or discard its dead letter.',
  ],
  options: PAGE_OPTIONS,
  parse(args) {
    const [name = ''] = expectPositionals('errors', args, ['<platform>']);
    const platform = platformArg('errors', name);
    return { platform, query: pageQuery('errors', args, { platform, state: 'error' }) };
  },
  call: (api, { query }) => api.request('GET', `/api/tickets${query}`),
  print(answer, { platform }, io) {
    const items = list(record(answer).items);
    if (items.length === 0) {
      io.out(`no tickets in error on ${platform}`);
    } else {
      table(
        ['TICKET', 'VERSION', 'PLATFORM ID', 'UPDATED AT', 'LAST ERROR'],
        items.map((item) => [
          text(item.ticketId),
          // The version of the operation that died (an update dies on a newer version than the
          // one applied); the applied one for an answer from before deadVersion existed.
          text(item.deadVersion ?? item.version),
          text(item.platformId),
          text(item.updatedAt),
          errorText(item.lastError),
        ]),
      ).forEach((line) => io.out(line));
    }
    printNext(answer, `errors ${platform}`, io);
  },
});
