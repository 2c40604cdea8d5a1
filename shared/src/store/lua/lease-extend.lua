-- Compare and extend: only the holder extends; a replica whose lease expired and was taken learns it here.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
