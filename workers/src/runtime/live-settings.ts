import {
  settingValues,
  type Logger,
  type Platform,
  type Settings,
  type SettingsStore,
  type SettingsWithSource,
} from '@tbe/shared';

export interface LiveSettingsOptions {
  store: SettingsStore;
  /** The starting values (environment or defaults) per platform. */
  start: Record<Platform, SettingsWithSource>;
  platforms: readonly Platform[];
  refreshMs: number;
  /** Whether processing is switched off for the platform (its queue is paused). */
  isPaused: (platform: Platform) => Promise<boolean>;
  logger: Logger;
}

interface Snapshot {
  settings: Settings;
  rateLimitedUntilMs: number | undefined;
  paused: boolean;
}

/**
 * This process's view of the run-time settings, the rate limit and the switch, read from Redis
 * every `refreshMs` (a change reaches every replica within that, well under the 2 s promised).
 * Reads are synchronous so the batcher can consult it on every batch.
 */
export class LiveSettings {
  readonly #options: LiveSettingsOptions;
  readonly #snapshots = new Map<Platform, Snapshot>();
  readonly #listeners: ((platform: Platform, settings: Settings) => void)[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(options: LiveSettingsOptions) {
    this.#options = options;
    for (const platform of options.platforms) {
      this.#snapshots.set(platform, {
        settings: settingValues(options.start[platform]),
        rateLimitedUntilMs: undefined,
        paused: false,
      });
    }
  }

  async start(): Promise<void> {
    await this.refresh();
    const tick = (): void => {
      this.#timer = setTimeout(() => {
        this.refresh()
          .catch((error: unknown) => this.#options.logger.warn({ err: error }, 'settings refresh failed'))
          .finally(() => {
            if (this.#timer !== undefined) tick();
          });
      }, this.#options.refreshMs);
    };
    tick();
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async refresh(): Promise<void> {
    const { store, start, platforms, isPaused } = this.#options;
    await Promise.all(
      platforms.map(async (platform) => {
        const [effective, rateLimitedUntilMs, paused] = await Promise.all([
          store.effective(platform, start[platform]),
          store.rateLimitedUntil(platform),
          isPaused(platform),
        ]);
        const settings = settingValues(effective);
        const before = this.#snapshots.get(platform);
        // A 429 noted here a moment ago may not be in what was just read: keep the later limit.
        const limitMs = Math.max(rateLimitedUntilMs ?? 0, before?.rateLimitedUntilMs ?? 0);
        this.#snapshots.set(platform, {
          settings,
          rateLimitedUntilMs: limitMs > 0 ? limitMs : undefined,
          paused,
        });
        if (before && JSON.stringify(before.settings) !== JSON.stringify(settings)) {
          for (const listener of this.#listeners) listener(platform, settings);
        }
      }),
    );
  }

  onSettingsChange(listener: (platform: Platform, settings: Settings) => void): void {
    this.#listeners.push(listener);
  }

  get(platform: Platform): Settings {
    return this.#snapshot(platform).settings;
  }

  paused(platform: Platform): boolean {
    return this.#snapshot(platform).paused;
  }

  rateLimitedUntil(platform: Platform): number | undefined {
    const until = this.#snapshot(platform).rateLimitedUntilMs;
    return until !== undefined && until > Date.now() ? until : undefined;
  }

  /** A 429 seen here: wait at once locally, and tell every replica through Redis. */
  async noteRateLimit(platform: Platform, untilMs: number): Promise<void> {
    const snapshot = this.#snapshot(platform);
    if ((snapshot.rateLimitedUntilMs ?? 0) < untilMs)
      this.#snapshots.set(platform, { ...snapshot, rateLimitedUntilMs: untilMs });
    await this.#options.store.setRateLimit(platform, untilMs);
  }

  #snapshot(platform: Platform): Snapshot {
    const snapshot = this.#snapshots.get(platform);
    if (!snapshot) throw new Error(`no settings for platform ${platform} in this process`);
    return snapshot;
  }
}
