-- Removes one ticket of one platform when it is still in the final state it was found in and
-- unchanged since the cutoff. KEYS: state hash, history, stored ticket, its dead-letter job, then
-- one index per state (all under the platform's hash tag: one Cluster slot). ARGV: ticket id,
-- the position of the final state's index, cutoff (ms), '1' to keep it while a dead letter exists.
-- The stored ticket's `storedAt` guards the producer's window between storing a new version and
-- moving the ticket to `queued`: a version stored after the cutoff keeps the ticket. It is at
-- offset 18 (13 digits) of the string (shared/src/store/stored-ticket.ts), or a field of the hash
-- the releases before stored (GETRANGE fails on it).
-- Answers 1 removed, 0 moved on (no longer in that index before the cutoff), -1 kept in place.
local ticketId, position, cutoff = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local score = redis.call('ZSCORE', KEYS[4 + position], ticketId)
if not score or tonumber(score) > cutoff then return 0 end
local storedAt
local header = redis.pcall('GETRANGE', KEYS[3], 0, 30)
if type(header) == 'string' then
  if #header == 31 and string.find(header, '^s[01]%d+$') then storedAt = string.sub(header, 19, 31) end
else
  storedAt = redis.call('HGET', KEYS[3], 'storedAt')
end
storedAt = tonumber(storedAt)
if storedAt and storedAt > cutoff then return -1 end
if ARGV[4] == '1' and redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
for i = 5, #KEYS do redis.call('ZREM', KEYS[i], ticketId) end
return 1
