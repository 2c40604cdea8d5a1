-- The oldest WM ticket still waiting for its first platform ticket, skipping (and dropping)
-- members that got one meanwhile. Answers its id, or false when none waits. The state keys
-- are built here from a prefix under the same hash tag as KEYS[1] (one Cluster slot).
for _ = 1, 100 do
  local first = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if not first then return false end
  local platformId = redis.call('HGET', ARGV[1] .. first, 'platformId')
  if not platformId or platformId == '' then return first end
  redis.call('ZREM', KEYS[1], first)
end
return false
