import { HttpStatusError, type Logger } from '@tbe/shared';

/**
 * Empty pages answered faster than this share of the `wait` asked count as WM ignoring `wait`
 * (wm-feed.md: "ignores the parameter and answers an empty page at once").
 */
const IGNORED_BELOW_SHARE = 0.5;

/**
 * Fast empty pages, since the last held one, that make us conclude WM ignores `wait`. One is
 * not enough: a WM that supports waiting still answers an empty page early when it restarts or
 * replays, and falling back for the life of the process on that would be a loss.
 */
const IGNORED_AFTER = 2;

/** What the poll loop needs to know about a page that came back. */
export interface AnsweredPoll {
  waitS: number;
  empty: boolean;
  elapsedMs: number;
}

/**
 * Whether the producer asks WM to hold empty polls (WM_LONG_POLL_S), and the fallback to plain
 * polling, said once, when WM refuses `wait` (400 `unknown parameter: wait`) or ignores it. The
 * fallback lasts until the process restarts (wm-feed.md).
 */
export class LongPoll {
  readonly #configuredS: number;
  readonly #logger: Logger;
  readonly #onChange: (waiting: boolean) => void;
  #supported: boolean;
  #fastEmpties = 0;

  constructor(configuredS: number, logger: Logger, onChange: (waiting: boolean) => void) {
    this.#configuredS = configuredS;
    this.#supported = configuredS > 0;
    this.#logger = logger;
    this.#onChange = onChange;
    onChange(this.#supported);
  }

  /** The `wait` of the next poll; 0 for a plain poll. */
  get waitS(): number {
    return this.#supported ? this.#configuredS : 0;
  }

  /** True while WM holds our empty polls: the next poll may go at once. */
  get waiting(): boolean {
    return this.#supported;
  }

  /** A refused poll: answers true when it was WM refusing `wait` (then poll again at once, without). */
  refused(error: unknown, waitS: number): boolean {
    if (waitS === 0 || !(error instanceof HttpStatusError) || error.status !== 400) return false;
    if (!/unknown parameter: wait/.test(error.detail ?? '')) return false;
    this.#fallBack('WM refuses the wait parameter (400 unknown parameter: wait)');
    return true;
  }

  /** A page came back; an empty one much faster than the `wait` asked counts toward "ignored". */
  answered(poll: AnsweredPoll): void {
    if (poll.waitS === 0 || !poll.empty) return;
    if (poll.elapsedMs >= poll.waitS * 1000 * IGNORED_BELOW_SHARE) {
      this.#fastEmpties = 0;
      return;
    }
    this.#fastEmpties += 1;
    if (this.#fastEmpties >= IGNORED_AFTER)
      this.#fallBack(`WM answers empty pages at once although asked to wait ${poll.waitS} s`);
  }

  #fallBack(why: string): void {
    if (!this.#supported) return;
    this.#supported = false;
    this.#onChange(false);
    this.#logger.warn(
      { reason: why },
      'WM does not support waiting for changes (long polling): polling every WM_POLL_INTERVAL_MS instead, until the producer restarts',
    );
  }
}
