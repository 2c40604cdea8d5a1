-- KEYS: the list, the id counter. ARGV: cursor (last id seen, '' = from the newest), count.
local top = tonumber(redis.call('GET', KEYS[2]) or '0')
local start = 0
if ARGV[1] ~= '' then start = top - tonumber(ARGV[1]) + 1 end
if start < 0 then start = 0 end
return redis.call('LRANGE', KEYS[1], start, start + tonumber(ARGV[2]) - 1)
