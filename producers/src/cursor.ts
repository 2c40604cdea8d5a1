import type { Keys, RedisClient } from '@tbe/shared';
import { callScript, defineScript, luaSource } from '@tbe/shared/store/scripts';

/** The producer's position in the WM feed. All three keys share the `{producer}` hash tag. */
export class CursorStore {
  readonly #redis: RedisClient;
  readonly #keys: string[];
  readonly #replicaId: string;

  constructor(redis: RedisClient, keys: Keys, replicaId: string) {
    this.#redis = redis;
    this.#keys = [keys.producer('lease'), keys.producer('cursor'), keys.producer('status')];
    this.#replicaId = replicaId;
    defineScript(redis, 'tbeCursorWrite', luaSource('cursor-write'));
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
