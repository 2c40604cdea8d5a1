-- The stored version of a ticket, whichever release wrote it (shared/src/store/stored-ticket.ts):
-- the string (this release), or the hash's `t`, `version`, `storedAt`, `json`, `seq` (releases
-- before), or nil when there is none. One call, so a record rewritten meanwhile is read whole.
-- KEYS: stored ticket.
if redis.call('TYPE', KEYS[1])['ok'] == 'hash' then
  return redis.call('HMGET', KEYS[1], 't', 'version', 'storedAt', 'json', 'seq')
end
return redis.call('GET', KEYS[1])
