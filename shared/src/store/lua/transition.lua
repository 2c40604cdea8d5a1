-- The state transitions of a batch in one call: per ticket, moves it between the overview's
-- state indexes, sets its state and the given fields, and appends one history event (the list
-- kept to the last ARGV[2]). All keys share the platform's hash tag (one Cluster slot).
-- A transition may carry its job's write fence: it is written only while the job's BullMQ lock
-- holds the run's token (as lock-check.lua asks, but in the same atomic call as the write).
-- KEYS: one index per overview state (ARGV[1] of them, in the order of the names that follow),
-- then per ticket its state hash and history list, and its job's lock key when it is fenced.
-- ARGV: state count n, history limit, the n state names, then per ticket: ticket id, new state,
-- now (ms), event JSON ('' for none; `~<version>@<ISO time>` for a held `received` event), the
-- run's lock token ('' for no fence, then no lock key), field count (pairs), field/value pairs.
-- Returns the 1-based positions (in ticket order) of the fenced tickets left untouched: their
-- lock is gone or holds another run's token.
local n, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local position = {}
for i = 1, n do position[ARGV[2 + i]] = i end
local arg, key, ticket, lost = 3 + n, n + 1, 0, {}

local function apply(ticketId, newState, nowMs, event, stateKey, historyKey, first, last)
  local current = redis.call('HMGET', stateKey, 'state', 'received')
  local oldState, received = current[1], current[2]
  if oldState ~= newState then
    if oldState and position[oldState] then redis.call('ZREM', KEYS[position[oldState]], ticketId) end
  end
  redis.call('ZADD', KEYS[position[newState]], nowMs, ticketId)
  redis.call('HSET', stateKey, 'state', newState, 'updatedAt', nowMs, unpack(ARGV, first, last))
  if string.sub(event, 1, 1) == '~' then
    -- A `received` event, held in the state hash (`<version>@<ISO time>`, comma-separated, oldest
    -- first) rather than in a history list of its own while the ticket waits: a queued ticket
    -- then has no list key. The next event moves them into the list, in order.
    local mark = string.sub(event, 2)
    if received and received ~= '' then mark = received .. ',' .. mark end
    redis.call('HSET', stateKey, 'received', mark)
  elseif event ~= '' then
    -- The held events (oldest first) and this one in one LPUSH: the newest ends up first.
    local pushed = {}
    if received and received ~= '' then
      for version, at in string.gmatch(received, '([^@,]+)@([^,]+)') do
        pushed[#pushed + 1] = '{"at":"' .. at .. '","event":"received","version":' .. version .. ',"detail":null}'
      end
      redis.call('HDEL', stateKey, 'received')
    end
    pushed[#pushed + 1] = event
    -- Trimmed only once past the limit (LPUSH answers the new length).
    if redis.call('LPUSH', historyKey, unpack(pushed)) > limit then
      redis.call('LTRIM', historyKey, 0, limit - 1)
    end
  end
end

while arg <= #ARGV do
  ticket = ticket + 1
  local ticketId, newState, nowMs, event, token = ARGV[arg], ARGV[arg + 1], ARGV[arg + 2], ARGV[arg + 3], ARGV[arg + 4]
  local count = tonumber(ARGV[arg + 5])
  local width = 2
  if token ~= '' then width = 3 end
  if token ~= '' and redis.call('GET', KEYS[key + 2]) ~= token then
    lost[#lost + 1] = ticket
  else
    apply(ticketId, newState, nowMs, event, KEYS[key], KEYS[key + 1], arg + 6, arg + 5 + count * 2)
  end
  arg = arg + 6 + count * 2
  key = key + width
end
return lost
