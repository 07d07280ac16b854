-- Applies one batch's increments to one product: atomically, and at most once per writer sequence.
-- Every key lives under the product's hash tag, so this runs in one slot on a Redis Cluster too.
--
-- KEYS: [writer state key,] then the tally hashes to increment (product-wide, then one per segment label).
-- ARGV[1]: the writer's sequence as a decimal string, or '' when the batch has no writer (at-least-once).
-- ARGV[2]: how long the writer state lives without new batches, in milliseconds.
-- ARGV[3..]: for each tally hash in KEYS order, how many scores change, then that many (score, increment) pairs.
-- Returns 1 when applied, 0 when this writer had already applied this sequence or a later one.

local sequence = ARGV[1]
local first_tally = 1

if sequence ~= '' then
  first_tally = 2
  local last = redis.call('GET', KEYS[1])
  -- Sequences are int64: Lua numbers are doubles and lose precision past 2^53, so compare the canonical
  -- decimal strings instead (a longer string is a larger number; equal lengths compare lexically).
  if last and (#last > #sequence or (#last == #sequence and last >= sequence)) then
    return 0
  end
end

-- Look at every key before writing any: a script that failed half-way would leave the product half-applied.
for i = first_tally, #KEYS do
  local kind = redis.call('TYPE', KEYS[i])['ok']
  if kind ~= 'hash' and kind ~= 'none' then
    return redis.error_reply('WRONGTYPE ' .. KEYS[i] .. ' holds a ' .. kind .. ', not a tally hash')
  end
end

local a = 3
for i = first_tally, #KEYS do
  local changes = tonumber(ARGV[a])
  a = a + 1
  for _ = 1, changes do
    redis.call('HINCRBY', KEYS[i], ARGV[a], ARGV[a + 1])
    a = a + 2
  end
end

if sequence ~= '' then
  redis.call('SET', KEYS[1], sequence, 'PX', ARGV[2])
end
return 1
