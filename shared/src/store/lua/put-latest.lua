-- The version fence: a version is stored only when it is higher than the stored one, so a
-- repeated or older change (at-least-once feed, a 410 restart from the oldest change) can
-- never replace a newer one. `queued` is set by markQueued once the job exists. A ticket with
-- no platform ticket yet joins the entity's pending creates at the seq it was first seen at.
-- The version is stored compactly in `t` (shared/src/store/ticket-record.ts, seq inside it);
-- `json` and `seq` are the fields of the format before it, dropped when a record is rewritten.
-- KEYS: stored ticket, platform state, pending creates. ARGV: version, seq, record, now, ticket id.
local current = redis.call('HMGET', KEYS[1], 'version', 'queued')
local version = tonumber(ARGV[1])
if current[1] and tonumber(current[1]) > version then return 0 end
if current[1] and tonumber(current[1]) == version then
  if current[2] == ARGV[1] then return 0 end
  return 2
end
redis.call('HDEL', KEYS[1], 'json', 'seq')
redis.call('HSET', KEYS[1], 'version', ARGV[1], 't', ARGV[3], 'storedAt', ARGV[4])
local platformId = redis.call('HGET', KEYS[2], 'platformId')
if not platformId or platformId == '' then redis.call('ZADD', KEYS[3], 'NX', ARGV[2], ARGV[5]) end
return 1
