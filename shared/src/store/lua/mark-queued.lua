-- Records that a job exists for the stored version (the fence's `queued`), when that version is
-- still the one stored: the string's flag at offset 1 (shared/src/store/stored-ticket.ts), set
-- in place; a hash of the releases before (GETRANGE fails on it) gets its `queued` field.
-- Nothing when the key is gone or holds another version (a newer one is stored: its own
-- producer call marks it).
-- KEYS: stored ticket. ARGV: version.
local header = redis.pcall('GETRANGE', KEYS[1], 0, 30)
if type(header) == 'string' then
  local readable = #header == 31 and string.find(header, '^s[01]%d+$')
  if readable and tonumber(string.sub(header, 3, 18)) == tonumber(ARGV[1]) then
    redis.call('SETRANGE', KEYS[1], 1, '1')
    return 1
  end
elseif tonumber(redis.call('HGET', KEYS[1], 'version')) == tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'queued', ARGV[1])
  return 1
end
return 0
