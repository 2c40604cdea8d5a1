-- A create claim: taken when free or already ours (a repeat after a crash); its expiry refreshed.
-- KEYS: the claim. ARGV: owner (WM ticket id), time to live (ms). Answers 1 held, 0 another's.
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
