-- The create gate of one group (the batch's tickets of one entity and alarm type), in one step:
-- the pending creates (the producer's set of the entity's tickets without a platform ticket,
-- oldest first) and the create claim together decide who may search and create.
-- KEYS: the pending creates, the create claim (same hash tag). ARGV: the state key prefix, the
-- claim owner (the group's oldest ticket), the claim's time to live (ms), the group's ticket ids.
-- Answers:
--   0 another run holds the claim: wait;
--   1 go without a claim: the oldest pending ticket is in this group, so every other run of the
--     entity sees it and waits (answer 3), and no claim is held (no run outside the set creates);
--   2 go with the claim taken (or refreshed, ours after a crash): no ticket of the group is the
--     oldest pending one (a retry from the dead letters left the set); release it after;
--   3 an older ticket elsewhere waits to be created: note into a found ticket, never create.
-- Members that got a platform ticket meanwhile, or died, are dropped on the way.
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[2] then return 0 end
local mine = {}
for i = 4, #ARGV do mine[ARGV[i]] = true end
local oldestHere = false
for _ = 1, 100 do
  local first = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if not first then break end
  if mine[first] then
    oldestHere = true
    break
  end
  local fields = redis.call('HMGET', ARGV[1] .. first, 'platformId', 'deadOperation')
  local platformId, dead = fields[1], fields[2]
  -- A dead ticket creates nothing until a retry (which takes the claim) or a newer version (which
  -- joins the set again): it must not hold the entity back, as it would forever where its entity
  -- changed between versions (the worker settles it out of its current entity's set only).
  if (not platformId or platformId == '') and (not dead or dead == '') then
    -- Our own claim from an earlier run (a crash) would hold that older ticket back: free it.
    if holder then redis.call('DEL', KEYS[2]) end
    return 3
  end
  redis.call('ZREM', KEYS[1], first)
end
if oldestHere and not holder then return 1 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 2
