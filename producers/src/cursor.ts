import type { Keys, RedisClient } from '@tbe/shared';
import { callScript, defineScript } from '@tbe/shared/store/scripts';

// The fenced cursor write: only the lease holder moves (or forgets) the cursor, so a replica that
// lost its lease mid-page can never move it. KEYS: lease, cursor, status. ARGV: replica id,
// cursor ('' = forget it, after a 410). The status copy travels in the same step.
const WRITE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[2])
  redis.call('HDEL', KEYS[3], 'cursor')
else
  redis.call('SET', KEYS[2], ARGV[2])
  redis.call('HSET', KEYS[3], 'cursor', ARGV[2])
end
return 1
`;

/** The producer's position in the WM feed. All three keys share the `{producer}` hash tag. */
export class CursorStore {
  readonly #redis: RedisClient;
  readonly #keys: string[];
  readonly #replicaId: string;

  constructor(redis: RedisClient, keys: Keys, replicaId: string) {
    this.#redis = redis;
    this.#keys = [keys.producer('lease'), keys.producer('cursor'), keys.producer('status')];
    this.#replicaId = replicaId;
    defineScript(redis, 'tbeCursorWrite', WRITE);
  }

  /** undefined: no cursor yet, start from the oldest retained change. */
  async read(): Promise<string | undefined> {
    return (await this.#redis.get(this.#keys[1] ?? '')) ?? undefined;
  }

  /** Writes the cursor while this replica holds the lease; false when it does not (nothing written). */
  async write(cursor: string): Promise<boolean> {
    return (await callScript(this.#redis, 'tbeCursorWrite', this.#keys, [this.#replicaId, cursor])) === 1;
  }

  /** Forgets the cursor (fenced the same way): the next poll starts from the oldest change. */
  async forget(): Promise<boolean> {
    return (await callScript(this.#redis, 'tbeCursorWrite', this.#keys, [this.#replicaId, ''])) === 1;
  }
}
