import { expectPositionals, platformOrAllArg } from '../args.ts';
import { list, record, text } from '../output/values.ts';
import { adminCommand, segment } from './admin.ts';
import type { Command } from './types.ts';

/** `pause` and `resume`: the processing switch, which `all` flips for every platform. */
function processingCommand(name: 'pause' | 'resume', enabled: boolean): Command {
  return adminCommand({
    name,
    synopsis: '<platform|all>',
    summary: enabled
      ? 'enable processing again (sending to the platform)'
      : 'disable processing: tickets are still received and queued, nothing is sent',
    parse: (args) => platformOrAllArg(name, expectPositionals(name, args, ['<platform|all>'])[0] ?? ''),
    call: (api, platform) =>
      api.request('PUT', `/api/platforms/${segment(platform)}/processing`, { enabled }),
    print(answer, _platform, io) {
      // One object, or `{ platforms: [...] }` for `all` (operations.md).
      const items = Array.isArray(record(answer).platforms)
        ? list(record(answer).platforms)
        : [record(answer)];
      for (const item of items) io.out(`${text(item.platform)}: processing ${text(item.processing)}`);
    },
  });
}

export const pauseCommand = processingCommand('pause', false);
export const resumeCommand = processingCommand('resume', true);
