-- Sets a BullMQ job's `attempts` option (the retry budget of the operation it starts), in the
-- stored options Bull Board and every worker read. A job gone meanwhile is left alone.
-- KEYS: the job hash. ARGV: attempts. Answers 1 when set, 0 when the job is gone.
local opts = redis.call('HGET', KEYS[1], 'opts')
if not opts then return 0 end
local decoded = cjson.decode(opts)
decoded['attempts'] = tonumber(ARGV[1])
redis.call('HSET', KEYS[1], 'opts', cjson.encode(decoded))
return 1
