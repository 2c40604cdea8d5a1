-- Records that a job exists for each stored version named (the fence's `queued`), when that
-- version is still the one stored: the string's flag at offset 1 (shared/src/store/stored-ticket.ts),
-- set in place; a hash of the releases before (GETRANGE fails on it) gets its `queued` field.
-- Nothing for a key that is gone or holds another version (a newer one is stored: its own
-- producer call marks it). One call per page and partition: the keys share the partition's slot.
-- KEYS: stored tickets. ARGV: the version of each, in the same order. Answers how many were marked.
local marked = 0
for i, key in ipairs(KEYS) do
  local version = tonumber(ARGV[i])
  local header = redis.pcall('GETRANGE', key, 0, 30)
  if type(header) == 'string' then
    local readable = #header == 31 and string.find(header, '^s[01]%d+$')
    if readable and tonumber(string.sub(header, 3, 18)) == version then
      redis.call('SETRANGE', key, 1, '1')
      marked = marked + 1
    end
  elseif tonumber(redis.call('HGET', key, 'version')) == version then
    redis.call('HSET', key, 'queued', ARGV[i])
    marked = marked + 1
  end
end
return marked
