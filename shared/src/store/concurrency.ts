import type { Cluster, Redis } from 'ioredis';
import type { ConcurrencyMode } from '../config/types.ts';
import type { Keys } from '../keys.ts';
import type { Platform } from '../platforms.ts';

type Client = Redis | Cluster;

/** Latency of one kind of request (call and batch size) over one window of one process. */
export interface LatencyGroup {
  /** e.g. `save:16`: latencies are compared only with the floor of the same kind. */
  name: string;
  count: number;
  minMs: number;
  avgMs: number;
}

/** What one worker process saw of a platform during one window. */
export interface WindowReport {
  processId: string;
  mode: ConcurrencyMode;
  /** The process is sending (or wants to): it takes a share of the limit. */
  active: boolean;
  /** Its slots were all taken at some point: more concurrency could have been used. */
  saturated: boolean;
  /** A 429, 503 or timeout came back: the platform is overloaded. */
  overloaded: boolean;
  /** `maxInFlight`: this process's ceiling. */
  ceiling: number;
  /** The platform's limit when nobody set one yet. */
  startLimit: number;
  /** No decrease within this long after the last (its effect is not measurable sooner). */
  cooldownMs: number;
  groups: readonly LatencyGroup[];
}

export interface WindowAnswer {
  /** The platform's limit over all replicas (a real number; requests in flight are its floor). */
  limit: number;
  /** This process's part of it, at least 1 and at most its ceiling. */
  share: number;
  processes: number;
  decision: 'increase' | 'decrease' | 'hold';
}

/** A process that has not reported for this long no longer takes a share. */
export const MEMBER_TTL_MS = 5000;
/** Latency floors are the lowest seen over the last two epochs: a platform that got slower for good is followed. */
export const FLOOR_EPOCH_MS = 30_000;

/** Near the floor: below this ratio a saturated platform gets one more request in flight. */
export const RISE_BELOW = 1.2;
/** Latency rising: above this ratio the limit falls at once, in proportion. */
export const FALL_ABOVE = 1.5;
/** Added to latencies and floors before comparing: a 1 ms answer that takes 3 ms is noise, not load. */
const SLACK_MS = 10;
/**
 * A latency rise smaller than this is not the platform's: on a busy host, our own event loop
 * adds tens of ms to every answer, and lowering the limit would not take it away.
 */
export const MIN_RISE_MS = 50;

/**
 * AIMD over all replicas in one step (Vector's adaptive request concurrency, Netflix's
 * concurrency-limits): the limit rises by one while a saturated process sees latency near its
 * floor, falls by half on a 429/503/timeout and in proportion (0.7..0.9) when latency rises (by
 * 1.5x and 50 ms, while every slot was in use: a limit not reached cannot be the cause), at most once
 * per cooldown (requests sent before a fall still answer late). The share of each process is
 * the limit divided among the processes sending, by rank, so that the shares sum to the limit.
 */
const REPORT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id, active, mode = ARGV[1], ARGV[2] == '1', ARGV[3]
local ceiling, startLimit = tonumber(ARGV[4]), tonumber(ARGV[5])
local saturated, overloaded = ARGV[6] == '1', ARGV[7] == '1'
local ttl, epochMs, cooldownMs = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local riseBelow, fallAbove, slack = tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13])
local minRiseMs = tonumber(ARGV[15])
local groups = tonumber(ARGV[14])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - ttl)
if active then redis.call('ZADD', KEYS[2], now, id) else redis.call('ZREM', KEYS[2], id) end
redis.call('PEXPIRE', KEYS[2], ttl * 4)
local members = redis.call('ZRANGE', KEYS[2], 0, -1)
table.sort(members)
local n, rank = #members, -1
for i, m in ipairs(members) do if m == id then rank = i - 1 end end
local limit = tonumber(redis.call('HGET', KEYS[1], 'limit') or '') or startLimit
local maxTotal = ceiling * math.max(n, 1)
local decision = 'hold'
if mode == 'adaptive' then
  local epochAt = tonumber(redis.call('HGET', KEYS[1], 'epochAt') or '') or 0
  local rotate = now - epochAt >= epochMs
  if rotate then redis.call('HSET', KEYS[1], 'epochAt', now) end
  local decreasedAt = tonumber(redis.call('HGET', KEYS[1], 'decreasedAt') or '') or 0
  local cooling = now - decreasedAt < cooldownMs
  local weighted, samples, excessSum = 0, 0, 0
  for g = 0, groups - 1 do
    local base = 16 + g * 4
    local name, count = ARGV[base], tonumber(ARGV[base + 1])
    local low, avg = tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3])
    local curField, prevField = 'floor:' .. name, 'floorPrev:' .. name
    local cur = tonumber(redis.call('HGET', KEYS[1], curField) or '')
    local prev = tonumber(redis.call('HGET', KEYS[1], prevField) or '')
    if rotate then
      prev, cur = cur, nil
      if prev then redis.call('HSET', KEYS[1], prevField, prev) else redis.call('HDEL', KEYS[1], prevField) end
    end
    if cur == nil or low < cur then cur = low end
    redis.call('HSET', KEYS[1], curField, cur)
    local floor = cur
    if prev and prev < floor then floor = prev end
    weighted = weighted + count * ((avg + slack) / (floor + slack))
    excessSum = excessSum + count * (avg - floor)
    samples = samples + count
  end
  local ratio, excess = 1, 0
  if samples > 0 then ratio, excess = weighted / samples, excessSum / samples end
  if overloaded then
    if not cooling then limit = limit * 0.5; decision = 'decrease' end
  elseif samples > 0 and saturated and ratio > fallAbove and excess >= minRiseMs then
    if not cooling then limit = limit * math.max(0.7, math.min(0.9, riseBelow / ratio)); decision = 'decrease' end
  elseif samples > 0 and saturated and ratio <= riseBelow and not cooling then
    limit = limit + 1
    decision = 'increase'
  end
  if decision == 'decrease' then redis.call('HSET', KEYS[1], 'decreasedAt', now) end
  limit = math.max(1, math.min(limit, maxTotal))
  redis.call('HSET', KEYS[1], 'ratio', tostring(ratio))
else
  limit = maxTotal
end
redis.call('HSET', KEYS[1], 'limit', tostring(limit), 'mode', mode, 'processes', n, 'updatedAt', now)
local total = math.max(1, math.floor(limit))
local share
if rank < 0 then share = math.floor(total / (n + 1)) else share = math.floor(total / n) end
if rank >= 0 and rank < total % n then share = share + 1 end
share = math.max(1, math.min(share, ceiling))
return { tostring(limit), share, n, decision }
`;

/** What operators see (`/api/status`, `tbe status`). */
export interface ConcurrencyStatus {
  mode: ConcurrencyMode;
  /** Requests in flight allowed to the platform over all worker processes. */
  limit: number;
  /** Worker processes sending to it. */
  processes: number;
  updatedAt: string;
}

/** The platform's shared concurrency limit in Redis: one script call per process and window. */
export class ConcurrencyStore {
  readonly #redis: Client;
  readonly #keys: Keys;

  constructor(redis: Client, keys: Keys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  async report(platform: Platform, report: WindowReport): Promise<WindowAnswer> {
    const args: (string | number)[] = [
      report.processId,
      report.active ? '1' : '0',
      report.mode,
      report.ceiling,
      report.startLimit,
      report.saturated ? '1' : '0',
      report.overloaded ? '1' : '0',
      MEMBER_TTL_MS,
      FLOOR_EPOCH_MS,
      Math.round(report.cooldownMs),
      RISE_BELOW,
      FALL_ABOVE,
      SLACK_MS,
      report.groups.length,
      MIN_RISE_MS,
      ...report.groups.flatMap((g) => [g.name, g.count, g.minMs, g.avgMs]),
    ];
    const answer = (await this.#redis.eval(
      REPORT,
      2,
      this.#keys.concurrency(platform),
      this.#keys.concurrencyMembers(platform),
      ...args,
    )) as [string, number, number, WindowAnswer['decision']];
    return { limit: Number(answer[0]), share: answer[1], processes: answer[2], decision: answer[3] };
  }

  /** The limit as last reported; null when no worker reported within a few windows. */
  async read(platform: Platform, nowMs = Date.now()): Promise<ConcurrencyStatus | null> {
    const hash = await this.#redis.hmget(
      this.#keys.concurrency(platform),
      'limit',
      'mode',
      'processes',
      'updatedAt',
    );
    const [limit, mode, processes, updatedAt] = hash;
    const atMs = Number(updatedAt);
    if (!limit || !Number.isFinite(atMs) || nowMs - atMs > MEMBER_TTL_MS) return null;
    return {
      mode: mode === 'fixed' ? 'fixed' : 'adaptive',
      limit: Math.max(1, Math.floor(Number(limit))),
      processes: Number(processes) || 0,
      updatedAt: new Date(atMs).toISOString(),
    };
  }
}
