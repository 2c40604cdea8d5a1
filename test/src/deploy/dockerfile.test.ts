import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../cli/child.ts';
import { dockerfilePath, parseDockerfile, words, type Instruction } from './dockerfile.ts';

// No Docker engine here: the Dockerfile is checked as text, and the start path it sets up is run
// with this machine's Node (test/src/deploy/entry.test.ts).
const instructions = parseDockerfile(dockerfilePath(ROOT));
const lastStage = Math.max(...instructions.map((i) => i.stage));
const final = instructions.filter((i) => i.stage === lastStage);
const all = (keyword: string, list: Instruction[] = instructions): Instruction[] =>
  list.filter((i) => i.keyword === keyword);

/** Workspace packages, from pnpm-workspace.yaml. */
const workspacePackages = (
  parse(readFileSync(join(ROOT, 'pnpm-workspace.yaml'), 'utf8')) as { packages: string[] }
).packages;

/** `@tbe/cli` and every workspace package it depends on, transitively: what the image must hold. */
function runtimePackages(): string[] {
  const dirOf = new Map<string, string>();
  for (const dir of workspacePackages) {
    const manifest = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { name: string };
    dirOf.set(manifest.name, dir);
  }
  const needed = new Set<string>();
  const visit = (name: string): void => {
    const dir = dirOf.get(name);
    if (dir === undefined || needed.has(dir)) return;
    needed.add(dir);
    const manifest = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const [dep, spec] of Object.entries(manifest.dependencies ?? {}))
      if (spec.startsWith('workspace:')) visit(dep);
  };
  visit('@tbe/cli');
  return [...needed].sort();
}

/** COPY sources taken from the build context (not from another stage). */
const contextCopies = (): { sources: string[]; target: string }[] =>
  all('COPY')
    .filter((i) => !/--from=/.test(i.args))
    .map((i) => {
      const parts = words(i.args.replace(/--[a-z-]+=\S+\s*/g, ''));
      return { sources: parts.slice(0, -1), target: parts.at(-1) ?? '' };
    });

describe('Dockerfile', () => {
  test('when built, then it has several stages and the runtime starts from an even (LTS) Node of at least 24', () => {
    const froms = all('FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) {
      const image = words(from.args)[0] ?? '';
      const tag = /^node:(\d+)(?:[.-]|$)/.exec(image);
      expect(tag, `${image} is a node: image with a major version`).not.toBeNull();
      const major = Number(tag?.[1]);
      expect(major).toBeGreaterThanOrEqual(24);
      expect(major % 2, `${image}: Node LTS lines are the even majors`).toBe(0);
    }
  });

  test('when dependencies are installed, then only production ones, frozen to the lockfile, and only what the CLI needs', () => {
    const installs = all('RUN').filter((i) => /\bpnpm (install|deploy)\b/.test(i.args));
    expect(installs).not.toEqual([]);
    for (const run of installs) {
      expect(run.args).toMatch(/--prod\b/);
      expect(run.args).toMatch(/--frozen-lockfile\b/);
      expect(run.args).toContain('@tbe/cli...');
    }
    // The pnpm the image installs is the one package.json pins.
    const pinned = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { packageManager: string }
    ).packageManager;
    expect(all('RUN').some((i) => i.args.includes(pinned))).toBe(true);
  });

  test('when it runs, then as a non-root user, with a HEALTHCHECK on /healthz and ticketing-be as the entry point', () => {
    const users = all('USER', final);
    expect(users).not.toEqual([]);
    expect(['root', '0', '0:0']).not.toContain(users.at(-1)?.args.trim());
    const healthcheck = all('HEALTHCHECK', final).at(-1);
    expect(healthcheck?.args).toMatch(/CMD/);
    const script = /\/app\/(docker\/[\w.-]+\.js)/.exec(healthcheck?.args ?? '')?.[1] ?? '';
    expect(readFileSync(join(ROOT, script), 'utf8')).toContain('/healthz');
    expect(words(all('ENTRYPOINT', final).at(-1)?.args ?? '[]')).toEqual(['ticketing-be']);
    // The bin the ENTRYPOINT names is linked to a file that exists in the repository.
    const link = all('RUN', final).find((i) => /ln -s .* \/usr\/local\/bin\/ticketing-be/.test(i.args));
    const target = /ln -s \/app\/(\S+)/.exec(link?.args ?? '')?.[1] ?? '';
    expect(existsSync(join(ROOT, target)), target).toBe(true);
  });

  test('when files are copied from the context, then each exists, every workspace manifest is there, and every runtime package has its sources', () => {
    const copies = contextCopies();
    const sources = copies.flatMap((c) => c.sources);
    for (const source of sources) expect(existsSync(join(ROOT, source)), `COPY ${source}`).toBe(true);
    for (const dir of workspacePackages) expect(sources).toContain(`${dir}/package.json`);
    for (const file of ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml'])
      expect(sources).toContain(file);
    for (const dir of runtimePackages()) expect(sources).toContain(`${dir}/src`);
    expect(sources).toContain('cli/bin');
    expect(sources.some((s) => s.includes('node_modules'))).toBe(false);
  });

  test('when the context is sent, then .dockerignore keeps out node_modules, git, tests and secrets, but not the manifests', () => {
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    for (const pattern of ['**/node_modules', '.git', '.env', '**/*.test.ts', 'test/*', 'bench/*'])
      expect(ignore).toContain(pattern);
    expect(ignore).toEqual(expect.arrayContaining(['!test/package.json', '!bench/package.json']));
  });
});
