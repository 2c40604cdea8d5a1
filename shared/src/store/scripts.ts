import { readFileSync } from 'node:fs';
import type { ChainableCommander, Cluster, Redis } from 'ioredis';

/** The product's Lua scripts live in `lua/*.lua` beside this file (as BullMQ keeps `commands/*.lua`). */
const LUA_DIR = new URL('./lua/', import.meta.url);
const sources = new Map<string, string>();

/** The text of `lua/<file>.lua`, read once. */
export function luaSource(file: string): string {
  let source = sources.get(file);
  if (source === undefined) {
    source = readFileSync(new URL(`${file}.lua`, LUA_DIR), 'utf8');
    sources.set(file, source);
  }
  return source;
}

type Client = Redis | Cluster;
type ScriptCall = (...args: (string | number | Buffer)[]) => Promise<unknown>;

/**
 * Registers a Lua script as a client command once per connection, so that it travels as
 * EVALSHA (ioredis falls back to EVAL after a Redis restart flushed the script cache).
 * `numberOfKeys` is left to each call: the first argument is the key count.
 */
export function defineScript(redis: Client, name: string, lua: string): void {
  const commands = redis as unknown as Record<string, unknown>;
  if (typeof commands[name] === 'function') return;
  redis.defineCommand(name, { lua });
}

export function callScript(
  target: Client,
  name: string,
  keys: string[],
  args: (string | number | Buffer)[],
): Promise<unknown> {
  const fn = (target as unknown as Record<string, ScriptCall>)[name];
  if (!fn) throw new Error(`script ${name} is not defined on this connection`);
  return fn.call(target, keys.length, ...keys, ...args);
}

export function queueScript(
  pipeline: ChainableCommander,
  name: string,
  keys: string[],
  args: (string | number)[],
): void {
  const fn = (pipeline as unknown as Record<string, (...a: (string | number)[]) => unknown>)[name];
  if (!fn) throw new Error(`script ${name} is not defined on this connection`);
  fn.call(pipeline, keys.length, ...keys, ...args);
}
