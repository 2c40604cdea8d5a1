-- The leader lease: a string holding the replica id, with a TTL. Taking it is SET NX PX, or
-- extending it when it is already ours (a replica that kept it across a Redis blip).
local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
