-- The state transitions of a batch in one call: per ticket, moves it between the overview's
-- state indexes, sets its state and the given fields, and appends one history event (the list
-- trimmed to the last ARGV[2]). All keys share the platform's hash tag (one Cluster slot).
-- KEYS: one index per overview state (ARGV[1] of them, in the order of the names that follow),
-- then per ticket its state hash and history list.
-- ARGV: state count n, history limit, the n state names, then per ticket: ticket id, new state,
-- now (ms), event JSON ('' for none; `~<version>@<ISO time>` for a held `received` event), field
-- count (pairs), field/value pairs.
local n, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local position = {}
for i = 1, n do position[ARGV[2 + i]] = i end
local arg, key = 3 + n, n + 1
while arg <= #ARGV do
  local ticketId, newState, nowMs, event = ARGV[arg], ARGV[arg + 1], ARGV[arg + 2], ARGV[arg + 3]
  local count = tonumber(ARGV[arg + 4])
  local stateKey, historyKey = KEYS[key], KEYS[key + 1]
  local current = redis.call('HMGET', stateKey, 'state', 'received')
  local oldState, received = current[1], current[2]
  if oldState ~= newState then
    if oldState and position[oldState] then redis.call('ZREM', KEYS[position[oldState]], ticketId) end
  end
  redis.call('ZADD', KEYS[position[newState]], nowMs, ticketId)
  redis.call('HSET', stateKey, 'state', newState, 'updatedAt', nowMs, unpack(ARGV, arg + 5, arg + 4 + count * 2))
  if string.sub(event, 1, 1) == '~' then
    -- A `received` event, held in the state hash (`<version>@<ISO time>`, comma-separated, oldest
    -- first) rather than in a history list of its own while the ticket waits: a queued ticket
    -- then has no list key. The next event moves them into the list, in order.
    local mark = string.sub(event, 2)
    if received and received ~= '' then mark = received .. ',' .. mark end
    redis.call('HSET', stateKey, 'received', mark)
  elseif event ~= '' then
    if received and received ~= '' then
      local held = {}
      for version, at in string.gmatch(received, '([^@,]+)@([^,]+)') do
        held[#held + 1] = '{"at":"' .. at .. '","event":"received","version":' .. version .. ',"detail":null}'
      end
      if #held > 0 then redis.call('LPUSH', historyKey, unpack(held)) end
      redis.call('HDEL', stateKey, 'received')
    end
    redis.call('LPUSH', historyKey, event)
    redis.call('LTRIM', historyKey, 0, limit - 1)
  end
  arg = arg + 5 + count * 2
  key = key + 2
end
return 1
