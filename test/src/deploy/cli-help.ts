import { runNode, type CliResult } from '../cli/child.ts';

/**
 * The image's entry as this machine can run it: `cli/bin/ticketing-be.js`, by Node itself when it
 * strips types (Node >= 23.6, as in the image), else through tsx (Node 20 here).
 */
export function ticketingBe(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const native = Boolean((process.features as { typescript?: string | false }).typescript);
  return runNode([...(native ? [] : ['--import', 'tsx']), 'cli/bin/ticketing-be.js', ...args], env);
}

export interface CommandShape {
  /** Each positional's allowed values (`<a|b>` or `[a] [b]` of the usage line); empty = any. */
  positionals: string[][];
  /** Options and whether each takes a value. */
  options: Map<string, boolean>;
}

/** What `ticketing-be help <command>` says the command accepts. */
export async function commandShape(command: string): Promise<CommandShape> {
  const { code, stdout, stderr } = await ticketingBe(['help', command]);
  if (code !== 0) throw new Error(`help ${command}: exit ${code} ${stderr}`);
  const usage = stdout.split('\n')[0] ?? '';
  const afterName = usage.replace(/^Usage: ticketing-be \S+/, '');
  const positionals = [...afterName.matchAll(/<([^>]+)>|\[([a-z]+)\]/g)].map((m) =>
    m[1]?.includes('|') ? m[1].split('|') : m[2] !== undefined ? [m[2]] : [],
  );
  const options = new Map<string, boolean>();
  for (const m of stdout.matchAll(/^ {2}--([\w-]+)( <[^>]+>)?/gm))
    options.set(m[1] ?? '', m[2] !== undefined);
  return { positionals, options };
}
