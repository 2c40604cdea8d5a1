import { integerArg, type OptionSpec, type ParsedArgs } from '../args.ts';
import type { Io } from '../io.ts';
import { record } from '../output/values.ts';

/** `--limit` and `--cursor` of every listing command (the API's `limit` and `cursor`). */
export const PAGE_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  limit: { type: 'string', valueName: '<n>', description: 'at most n per page (the API bounds it)' },
  cursor: {
    type: 'string',
    valueName: '<next>',
    description: 'the page after the one that answered this `next`',
  },
};

/** The query of one page; a limit that is not an integer is bad usage. */
export function pageQuery(command: string, args: ParsedArgs, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams(extra);
  const limit = args.strings.get('limit');
  if (limit !== undefined) query.set('limit', String(integerArg(command, '--limit', limit)));
  const cursor = args.strings.get('cursor');
  if (cursor !== undefined) query.set('cursor', cursor);
  return query.size > 0 ? `?${query.toString()}` : '';
}

/** The command line of the next page, when there is one. */
export function printNext(answer: unknown, commandLine: string, io: Io): void {
  const next = record(answer).next;
  if (typeof next === 'string' && next !== '') io.out(`more: ${commandLine} --cursor ${next}`);
}
