import { platformArg } from '../args.ts';
import { UsageError } from '../errors.ts';
import { record, text } from '../output/values.ts';
import { adminCommand, segment } from './admin.ts';

export const retryCommand = adminCommand({
  name: 'retry',
  synopsis: '<platform> (--all | <id>...)',
  summary:
    'send dead letters through again (fresh budget, latest version); each id a WM ticket id or a dead-letter id',
  options: { all: { type: 'boolean', description: 'every dead letter of the platform' } },
  parse(args) {
    const [platform, ...ids] = args.positionals;
    if (platform === undefined) throw new UsageError('retry needs <platform>', 'retry');
    const all = args.flags.has('all');
    if (all && ids.length > 0) throw new UsageError('retry takes --all or ids, not both', 'retry');
    if (!all && ids.length === 0) throw new UsageError('retry needs --all or at least one id', 'retry');
    return { platform: platformArg('retry', platform), body: all ? { all: true } : { ids } };
  },
  call: (api, { platform, body }) =>
    api.request('POST', `/api/dead-letters/${segment(platform)}/retry`, body),
  print(answer, { platform }, io) {
    const retried = record(answer).retried;
    io.out(`retried ${text(retried)} dead letter${retried === 1 ? '' : 's'} on ${platform}`);
  },
});
