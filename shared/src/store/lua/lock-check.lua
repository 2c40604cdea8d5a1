-- The lock fence of a batch: which of the given jobs this run no longer owns (the lock is gone or
-- holds another run's token). Only checks: BullMQ's own lock renewal keeps the locks alive.
-- KEYS: each job's lock key (BullMQ's `<prefix>:<queue>:<jobId>:lock`; one queue per call, so one
-- Cluster slot). ARGV: the run's token for each, in the same order.
-- Returns the 1-based positions of the lost ones.
local lost = {}
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) ~= ARGV[i] then lost[#lost + 1] = i end
end
return lost
