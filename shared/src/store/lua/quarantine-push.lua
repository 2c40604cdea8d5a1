-- KEYS: the list, the id counter, the set of entries already kept. ARGV: limit, now (ISO), then
-- per entry a dedupe member ('' = never a repeat), its seq (the member's score) and its JSON
-- without `id`/`at`.
-- A change served again (at-least-once feed, a 410 restart) is kept once: same seq, same bytes.
-- Ids are consecutive, one per LPUSH, so the position of id N in the list is (top id - N).
local list, counter, seen = KEYS[1], KEYS[2], KEYS[3]
local limit, at = tonumber(ARGV[1]), ARGV[2]
local pushed = 0
for i = 3, #ARGV, 3 do
  local member, score, json = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if member == '' or redis.call('ZADD', seen, 'NX', score, member) == 1 then
    local id = redis.call('INCR', counter)
    redis.call('LPUSH', list, '{"id":"' .. id .. '","at":"' .. at .. '",' .. string.sub(json, 2))
    pushed = pushed + 1
  end
end
redis.call('LTRIM', list, 0, limit - 1)
redis.call('ZREMRANGEBYRANK', seen, 0, -(limit + 1))
return pushed
