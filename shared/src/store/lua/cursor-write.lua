-- The fenced cursor write: only the lease holder moves (or forgets) the cursor, so a replica that
-- lost its lease mid-page can never move it. KEYS: lease, cursor, status, page. ARGV: replica id,
-- cursor ('' = forget it, after a 410), the lowest page number to give (the highest this replica
-- saw on any cursor copy, + 1). The status copy travels in the same step. Returns the page
-- number of this write (the cursor copies carry it: docs/design.md, "Cursor copies"), 0 when the
-- lease is in other hands (nothing written).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local page = (tonumber(redis.call('GET', KEYS[4])) or 0) + 1
local floor = tonumber(ARGV[3]) or 0
if floor > page then page = floor end
redis.call('SET', KEYS[4], page)
if ARGV[2] == '' then
  redis.call('DEL', KEYS[2])
  redis.call('HDEL', KEYS[3], 'cursor')
else
  redis.call('SET', KEYS[2], ARGV[2])
  redis.call('HSET', KEYS[3], 'cursor', ARGV[2])
end
return page
