-- A copy of the producer's cursor in one partition's shard (docs/design.md, "Cursor copies"),
-- written after that partition's writes of the page. KEYS: the copy. ARGV: page number, cursor
-- ('' = start from the oldest retained change). A copy only moves to a higher page number: a
-- late write of an older page (a stale leader's) changes nothing. Returns 1 when written.
local page = tonumber(ARGV[1])
local old = redis.call('GET', KEYS[1])
if old then
  local oldPage = tonumber(string.match(old, '^(%d+):'))
  if oldPage and oldPage >= page then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[2])
return 1
