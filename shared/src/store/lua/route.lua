-- A ticket's partition is fixed by its first version seen: a ticket with a route keeps it,
-- a new one takes the partition proposed from its first version's entity and alarm type.
-- KEYS: the platform's routes hash. ARGV: ticket id, proposed partition, ... Answers the
-- partition of each ticket, in order.
local answer = {}
for i = 1, #ARGV, 2 do
  redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
  answer[#answer + 1] = redis.call('HGET', KEYS[1], ARGV[i])
end
return answer
