import { expectPositionals, integerArg, platformArg } from '../args.ts';
import { table } from '../output/table.ts';
import { errorText, list, record, text } from '../output/values.ts';
import { adminCommand, segment } from './admin.ts';

export const deadLettersCommand = adminCommand({
  name: 'dead-letters',
  synopsis: '<platform>',
  summary: "a platform's dead letters: id, ticket, operation, attempts, last error",
  options: {
    limit: { type: 'string', valueName: '<n>', description: 'at most n per page (the API bounds it)' },
    cursor: {
      type: 'string',
      valueName: '<next>',
      description: 'the page after the one that answered this `next`',
    },
  },
  parse(args) {
    const platform = platformArg(
      'dead-letters',
      expectPositionals('dead-letters', args, ['<platform>'])[0] ?? '',
    );
    const limit = args.strings.get('limit');
    if (limit !== undefined) integerArg('dead-letters', '--limit', limit);
    return { platform, limit, cursor: args.strings.get('cursor') };
  },
  call(api, { platform, limit, cursor }) {
    const query = new URLSearchParams();
    if (limit !== undefined) query.set('limit', limit);
    if (cursor !== undefined) query.set('cursor', cursor);
    const suffix = query.size > 0 ? `?${query.toString()}` : '';
    return api.request('GET', `/api/dead-letters/${segment(platform)}${suffix}`);
  },
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
    const next = record(answer).next;
    if (typeof next === 'string' && next !== '') io.out(`more: dead-letters ${platform} --cursor ${next}`);
  },
});
