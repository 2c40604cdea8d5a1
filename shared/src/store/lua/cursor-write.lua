-- The fenced cursor write: only the lease holder moves (or forgets) the cursor, so a replica that
-- lost its lease mid-page can never move it. KEYS: lease, cursor, status. ARGV: replica id,
-- cursor ('' = forget it, after a 410). The status copy travels in the same step.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[2])
  redis.call('HDEL', KEYS[3], 'cursor')
else
  redis.call('SET', KEYS[2], ARGV[2])
  redis.call('HSET', KEYS[3], 'cursor', ARGV[2])
end
return 1
