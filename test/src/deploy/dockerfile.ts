import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Instruction {
  /** Upper case: FROM, RUN, COPY, ... */
  keyword: string;
  /** The rest of the instruction, continuation lines joined, with ARG defaults substituted. */
  args: string;
  /** Index of the build stage (FROM starts a new one). */
  stage: number;
}

/**
 * The instructions of a Dockerfile, enough to check it without a Docker engine: comments and
 * parser directives dropped, `\` continuations joined, `${NAME}` replaced by the default of a
 * global or stage ARG. Heredocs are not supported (the Dockerfile does not use them).
 */
export function parseDockerfile(path: string): Instruction[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  const defaults = new Map<string, string>();
  const substitute = (text: string): string =>
    text.replace(
      /\$\{(\w+)\}|\$(\w+)/g,
      (whole, braced?: string, bare?: string) => defaults.get(braced ?? bare ?? '') ?? whole,
    );
  let stage = -1;
  return logical.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = substitute(rest.join(' '));
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') stage += 1;
    if (upper === 'ARG') {
      const [name = '', value] = args.split('=');
      if (value !== undefined || !defaults.has(name)) defaults.set(name, value ?? defaults.get(name) ?? '');
    }
    return { keyword: upper, args, stage };
  });
}

/** `["a", "b"]` (exec form) or `a b` (shell form) as a list of words. */
export function words(args: string): string[] {
  const trimmed = args.trim();
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as string[];
  return trimmed.split(/\s+/);
}

export const dockerfilePath = (root: string): string => join(root, 'Dockerfile');
