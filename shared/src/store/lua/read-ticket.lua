-- The stored version of a ticket, whichever release wrote it (shared/src/store/stored-ticket.ts):
-- the string (this release), or the hash's `t`, `version`, `storedAt`, `json`, `seq` (releases
-- before; GET fails on a hash), or nil when there is none. One call, so a record rewritten
-- meanwhile is read whole.
-- KEYS: stored ticket.
local value = redis.pcall('GET', KEYS[1])
if type(value) == 'table' and value.err then
  return redis.call('HMGET', KEYS[1], 't', 'version', 'storedAt', 'json', 'seq')
end
return value
