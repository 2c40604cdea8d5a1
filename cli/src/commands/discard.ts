import { platformArg } from '../args.ts';
import { CommandError, UsageError } from '../errors.ts';
import { adminCommand, segment } from './admin.ts';

/**
 * Discards dead letters after review (DELETE /api/dead-letters/{platform}/{id} each; the
 * tickets stay `error`). Every id is tried; a failure names the ones left, after the others
 * were discarded.
 */
export const discardCommand = adminCommand({
  name: 'discard',
  synopsis: '<platform> <id>...',
  summary: 'discard dead letters after review (each id a WM ticket id or a dead-letter id)',
  parse(args) {
    const [platform, ...ids] = args.positionals;
    if (platform === undefined) throw new UsageError('discard needs <platform>', 'discard');
    if (ids.length === 0) throw new UsageError('discard needs at least one id', 'discard');
    return { platform: platformArg('discard', platform), ids: [...new Set(ids)] };
  },
  async call(api, { platform, ids }) {
    const discarded: string[] = [];
    const failed: CommandError[] = [];
    for (const id of ids) {
      try {
        await api.request('DELETE', `/api/dead-letters/${segment(platform)}/${segment(id)}`);
        discarded.push(id);
      } catch (error) {
        if (!(error instanceof CommandError)) throw error;
        failed.push(error);
      }
    }
    const [first] = failed;
    if (first) {
      // The first failure's code and status, every failure's reason, and what was done anyway.
      const done = discarded.length > 0 ? `discarded ${discarded.join(', ')}; ` : '';
      const reasons = failed.map((error) => error.message).join('; ');
      throw new CommandError(`${done}${reasons}`, { ...first.details, discarded }, first.code);
    }
    return { platform, discarded };
  },
  print(_answer, { platform, ids }, io) {
    io.out(`discarded ${ids.length} dead letter${ids.length === 1 ? '' : 's'} on ${platform}`);
  },
});
