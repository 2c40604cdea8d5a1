import { expectPositionals } from '../args.ts';
import { table } from '../output/table.ts';
import { list, record, text } from '../output/values.ts';
import { adminCommand } from './admin.ts';
import { PAGE_OPTIONS, pageQuery, printNext } from './paging.ts';

/** WM changes refused by validation (GET /api/quarantine); `--json` shows each raw change. */
export const quarantineCommand = adminCommand({
  name: 'quarantine',
  synopsis: '',
  summary: 'WM changes rejected by validation, with the reason',
  options: PAGE_OPTIONS,
  parse(args) {
    expectPositionals('quarantine', args, []);
    return pageQuery('quarantine', args);
  },
  call: (api, query) => api.request('GET', `/api/quarantine${query}`),
  print(answer, _query, io) {
    const items = list(record(answer).items);
    if (items.length === 0) {
      io.out('nothing in quarantine');
    } else {
      table(
        ['SEQ', 'TICKET', 'AT', 'REASON'],
        items.map((item) => [text(item.seq), text(item.ticketId), text(item.at), text(item.reason)]),
      ).forEach((line) => io.out(line));
    }
    printNext(answer, 'quarantine', io);
  },
});
