import { expectPositionals, platformArg } from '../args.ts';
import { table } from '../output/table.ts';
import { errorText, list, record, text } from '../output/values.ts';
import { adminCommand, segment } from './admin.ts';
import { PAGE_OPTIONS, pageQuery, printNext } from './paging.ts';

export const deadLettersCommand = adminCommand({
  name: 'dead-letters',
  synopsis: '<platform>',
  summary: "a platform's dead letters: id, ticket, operation, attempts, last error",
  options: PAGE_OPTIONS,
  parse(args) {
    const [name = ''] = expectPositionals('dead-letters', args, ['<platform>']);
    return { platform: platformArg('dead-letters', name), query: pageQuery('dead-letters', args) };
  },
  call: (api, { platform, query }) => api.request('GET', `/api/dead-letters/${segment(platform)}${query}`),
  print(answer, { platform }, io) {
    const items = list(record(answer).items);
    if (items.length === 0) {
      io.out(`no dead letters on ${platform}`);
    } else {
      table(
        ['ID', 'TICKET', 'OPERATION', 'VERSION', 'ATTEMPTS', 'DEAD AT', 'LAST ERROR'],
        items.map((item) => [
          text(item.id),
          text(item.ticketId),
          text(item.operation),
          text(item.version),
          text(item.attempts),
          text(item.deadAt),
          errorText(item.lastError),
        ]),
      ).forEach((line) => io.out(line));
    }
    printNext(answer, `dead-letters ${platform}`, io);
  },
});
