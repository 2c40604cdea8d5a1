-- The state transitions of a batch in one call: per ticket, moves it between the overview's
-- state indexes, sets its state and the given fields, and appends one history event (the list
-- trimmed to the last ARGV[2]). All keys share the platform's hash tag (one Cluster slot).
-- KEYS: one index per overview state (ARGV[1] of them, in the order of the names that follow),
-- then per ticket its state hash and history list.
-- ARGV: state count n, history limit, the n state names, then per ticket: ticket id, new state,
-- now (ms), event JSON ('' for none), field count (pairs), field/value pairs.
local n, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local position = {}
for i = 1, n do position[ARGV[2 + i]] = i end
local arg, key = 3 + n, n + 1
while arg <= #ARGV do
  local ticketId, newState, nowMs, event = ARGV[arg], ARGV[arg + 1], ARGV[arg + 2], ARGV[arg + 3]
  local count = tonumber(ARGV[arg + 4])
  local stateKey, historyKey = KEYS[key], KEYS[key + 1]
  local oldState = redis.call('HGET', stateKey, 'state')
  if oldState ~= newState then
    if oldState and position[oldState] then redis.call('ZREM', KEYS[position[oldState]], ticketId) end
  end
  redis.call('ZADD', KEYS[position[newState]], nowMs, ticketId)
  redis.call('HSET', stateKey, 'state', newState, 'updatedAt', nowMs, unpack(ARGV, arg + 5, arg + 4 + count * 2))
  if event ~= '' then
    redis.call('LPUSH', historyKey, event)
    redis.call('LTRIM', historyKey, 0, limit - 1)
  end
  arg = arg + 5 + count * 2
  key = key + 2
end
return 1
