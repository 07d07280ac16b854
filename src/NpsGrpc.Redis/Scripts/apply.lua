-- Applies one batch's increments to one product: atomically, and at most once per writer sequence.
-- Every key lives under the product's hash tag, so this runs in one slot on a Redis Cluster too.
--
-- KEYS: [writer state key,] [labels set key,] then the tally hashes to increment.
-- ARGV[1]: the writer's sequence as a decimal string, or '' when the batch has no writer (at-least-once).
-- ARGV[2]: how long the writer state lives without new batches, in milliseconds.
-- ARGV[3]: how many segment labels follow (0 means no labels set key in KEYS), then the labels.
-- Then, for each tally hash in KEYS order: its expiry as a Unix time in milliseconds (0: never), how many
-- scores change, and that many (score, increment) pairs.
-- Returns 1 when applied, 0 when this writer had already applied this sequence or a later one.

local sequence = ARGV[1]
local k = 1

if sequence ~= '' then
  local last = redis.call('GET', KEYS[k])
  -- Sequences are int64: Lua numbers are doubles and lose precision past 2^53, so compare the canonical
  -- decimal strings instead (a longer string is a larger number; equal lengths compare lexically).
  if last and (#last > #sequence or (#last == #sequence and last >= sequence)) then
    return 0
  end
  k = k + 1
end

local label_count = tonumber(ARGV[3])
local labels_key = nil
if label_count > 0 then
  labels_key = KEYS[k]
  k = k + 1
end
local first_tally = k

-- Look at every key before writing any: a script that failed half-way would leave the product half-applied.
local function expect(key, wanted)
  local kind = redis.call('TYPE', key)['ok']
  if kind ~= wanted and kind ~= 'none' then
    return redis.error_reply('WRONGTYPE ' .. key .. ' holds a ' .. kind .. ', not a ' .. wanted)
  end
end
if labels_key then
  local err = expect(labels_key, 'set')
  if err then return err end
end
for i = first_tally, #KEYS do
  local err = expect(KEYS[i], 'hash')
  if err then return err end
end

if labels_key then
  redis.call('SADD', labels_key, unpack(ARGV, 4, 3 + label_count))
end

local a = 4 + label_count
for i = first_tally, #KEYS do
  local expire_at = ARGV[a]
  local changes = tonumber(ARGV[a + 1])
  a = a + 2
  for _ = 1, changes do
    redis.call('HINCRBY', KEYS[i], ARGV[a], ARGV[a + 1])
    a = a + 2
  end
  if expire_at ~= '0' then
    redis.call('PEXPIREAT', KEYS[i], expire_at)
  end
end

if sequence ~= '' then
  redis.call('SET', KEYS[1], sequence, 'PX', ARGV[2])
end
return 1
