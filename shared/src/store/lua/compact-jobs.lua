-- Rewrites freshly added platform jobs without the options BullMQ reads only when a job is added
-- (`de.keepLastIfActive`) so that each job hash fits Redis's listpack encoding (every value
-- <= hash-max-listpack-value, 64 B by default) at about half the memory of a hashtable. A hash
-- never shrinks back to a listpack by itself, so the job is written anew, fields unchanged.
-- Idempotent: a job already compact, or gone meanwhile, is left alone.
-- KEYS: the job hashes (one queue: one Cluster slot). Answers how many were rewritten.
local rewritten = 0
for _, key in ipairs(KEYS) do
  local opts = redis.call('HGET', key, 'opts')
  if opts and string.find(opts, 'keepLastIfActive', 1, true) then
    local decoded = cjson.decode(opts)
    if type(decoded['de']) == 'table' then decoded['de']['keepLastIfActive'] = nil end
    local fields = redis.call('HGETALL', key)
    for i = 1, #fields, 2 do
      if fields[i] == 'opts' then fields[i + 1] = cjson.encode(decoded) end
    end
    redis.call('DEL', key)
    redis.call('HSET', key, unpack(fields))
    rewritten = rewritten + 1
  end
end
return rewritten
