-- The version fence: a version is stored only when it is higher than the stored one, so a
-- repeated or older change (at-least-once feed, a 410 restart from the oldest change) can
-- never replace a newer one. A ticket with no platform ticket yet joins the entity's pending
-- creates at the seq it was first seen at.
-- The stored version is one string (shared/src/store/stored-ticket.ts): a fixed-width header
-- `s`, queued flag (offset 1), version (2, 16 digits), storedAt (18, 13 digits), then the record.
-- The queued flag is set by mark-queued.lua once the job exists; the same version again is
-- `stale` when it is set, `unqueued` (queue it again) when not. Releases before stored a hash
-- (`version`, `queued`, ...): GETRANGE fails on it, and its fields are read alike (`queued` held
-- the version queued); storing a version replaces it with the string (SET replaces any type).
-- A string whose header cannot be read has no version to fence on: the next version replaces it.
-- KEYS: stored ticket, platform state, pending creates.
-- ARGV: version, seq, the whole string (header with the flag 0), ticket id.
local version = tonumber(ARGV[1])
local stored, queued
local header = redis.pcall('GETRANGE', KEYS[1], 0, 30)
if type(header) == 'string' then
  -- '' when there is no key.
  if #header == 31 and string.find(header, '^s[01]%d+$') then
    stored = tonumber(string.sub(header, 3, 18))
    queued = string.sub(header, 2, 2) == '1'
  end
else
  local current = redis.call('HMGET', KEYS[1], 'version', 'queued')
  stored = tonumber(current[1])
  queued = current[2] ~= false and tonumber(current[2]) == stored
end
if stored and stored > version then return 0 end
if stored and stored == version then
  if queued then return 0 end
  return 2
end
redis.call('SET', KEYS[1], ARGV[3])
local platformId = redis.call('HGET', KEYS[2], 'platformId')
if not platformId or platformId == '' then redis.call('ZADD', KEYS[3], 'NX', ARGV[2], ARGV[4]) end
return 1
