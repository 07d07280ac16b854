-- Applies one batch's increments to one product: atomically, and at most once per writer sequence.
-- Every key lives under the product's hash tag, so this runs in one slot on a Redis Cluster too.
--
-- KEYS: [writer state key,] the labels set key, the tally hashes to increment, then the respondent state hashes.
-- ARGV[1]: the writer's sequence as a decimal string, or '' when the batch has no writer (at-least-once).
-- ARGV[2]: how long the writer state lives without new batches, in milliseconds.
-- ARGV[3]: how many labels of answers without a respondent follow, then those labels (a respondent's labels
-- join the set only if the answer is applied).
-- Then the number of tally hashes, and for each, in KEYS order: its expiry as a Unix time in milliseconds
-- (0: never), how many scores change, and that many (score, increment) pairs.
-- Then the number of respondent answers, the product's key prefix ('nps:{product}:'), and for each answer, in
-- KEYS order: answered_at in microseconds since 1970, score, UTC day (yyyy-mm-dd), UTC month (yyyy-mm),
-- whether the day is still retained ('1'/'0'), the day tally's expiry in milliseconds, the number of labels
-- and the labels.
-- Last, ARGV[#ARGV]: with a writer, the writer's sequence that must already be applied to this product (its
-- previous batch on the same stream that had this product, still in flight when this one was sent), or ''.
-- Returns 0 when this writer had already applied this sequence or a later one; -1 when the predecessor is not
-- applied (it failed: applying this one would make the retry of that one look like a duplicate); otherwise an
-- array: 1, then for each respondent answer 1 (counted), 2 (replaced an earlier answer) or 3 (superseded by a
-- later one).
--
-- A respondent's earlier answer may sit in any day, month and labels, which are only known once its state is
-- read here; those tally keys are therefore built from the prefix. They share the product's hash tag, so they
-- are in this script's slot.

local sequence = ARGV[1]
local k = 1

-- Sequences are int64: Lua numbers are doubles and lose precision past 2^53, so compare the canonical
-- decimal strings instead (a longer string is a larger number; equal lengths compare lexically).
local function at_least(a, b)
  return #a > #b or (#a == #b and a >= b)
end

if sequence ~= '' then
  local last = redis.call('GET', KEYS[k])
  if last and at_least(last, sequence) then
    return 0
  end
  local predecessor = ARGV[#ARGV]
  if predecessor ~= '' and not (last and at_least(last, predecessor)) then
    return -1
  end
  k = k + 1
end

local label_count = tonumber(ARGV[3])
local labels_key = KEYS[k]
local first_tally = k + 1
local a = 4 + label_count
local tally_count = tonumber(ARGV[a])
a = a + 1
local tally_args = a
local first_respondent = first_tally + tally_count
-- Skip over the tally arguments to reach the respondent answers.
for _ = 1, tally_count do
  a = a + 2 + 2 * tonumber(ARGV[a + 1])
end
local respondent_count = tonumber(ARGV[a])
local prefix = ARGV[a + 1]
a = a + 2

-- The tallies one answer moves: all time, its month and (while retained) its day, for the product and each label.
local function answer_tallies(day, month, day_counted, labels)
  local keys = { prefix .. 'all', prefix .. 'm:' .. month }
  if day_counted == '1' then keys[#keys + 1] = prefix .. 'd:' .. day end
  for _, label in ipairs(labels) do
    keys[#keys + 1] = prefix .. 'seg:' .. label
    keys[#keys + 1] = prefix .. 'm:' .. month .. ':seg:' .. label
    if day_counted == '1' then keys[#keys + 1] = prefix .. 'd:' .. day .. ':seg:' .. label end
  end
  return keys
end

-- Day tallies are exactly the keys whose part after the prefix starts with 'd:' (labels may contain ':d:').
local function is_day(key)
  return string.sub(key, #prefix + 1, #prefix + 2) == 'd:'
end

local function split(text)
  local parts = {}
  for part in string.gmatch(text, '[^,]+') do parts[#parts + 1] = part end
  return parts
end

local answers = {}
for r = 1, respondent_count do
  local key = KEYS[first_respondent + r - 1]
  local labels = {}
  local n = tonumber(ARGV[a + 6])
  for j = 1, n do labels[j] = ARGV[a + 6 + j] end
  local answer = { key = key, t = ARGV[a], s = ARGV[a + 1], d = ARGV[a + 2], m = ARGV[a + 3], dk = ARGV[a + 4],
                   expire_at = ARGV[a + 5], labels = labels }
  a = a + 7 + n
  answer.old = redis.call('HMGET', key, 't', 's', 'd', 'm', 'dk', 'g')
  answer.superseded = answer.old[1] and tonumber(answer.old[1]) > tonumber(answer.t)
  answers[r] = answer
end

-- Look at every key before writing any: a script that failed half-way would leave the product half-applied.
local function expect(key, wanted)
  local kind = redis.call('TYPE', key)['ok']
  if kind ~= wanted and kind ~= 'none' then
    return redis.error_reply('WRONGTYPE ' .. key .. ' holds a ' .. kind .. ', not a ' .. wanted)
  end
end
do
  local err = expect(labels_key, 'set')
  if err then return err end
end
for i = first_tally, #KEYS do
  local err = expect(KEYS[i], 'hash')
  if err then return err end
end
for _, answer in ipairs(answers) do
  if not answer.superseded then
    for _, key in ipairs(answer_tallies(answer.d, answer.m, answer.dk, answer.labels)) do
      local err = expect(key, 'hash')
      if err then return err end
    end
    if answer.old[1] then
      for _, key in ipairs(answer_tallies(answer.old[3], answer.old[4], answer.old[5], split(answer.old[6] or ''))) do
        local err = expect(key, 'hash')
        if err then return err end
      end
    end
  end
end

-- In slices: unpack has a limit (about 8000 values) and a batch may carry up to 16000 distinct labels.
for from = 4, 3 + label_count, 1000 do
  redis.call('SADD', labels_key, unpack(ARGV, from, math.min(from + 999, 3 + label_count)))
end

a = tally_args
for i = first_tally, first_respondent - 1 do
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

local outcomes = { 1 }
for _, answer in ipairs(answers) do
  if answer.superseded then
    outcomes[#outcomes + 1] = 3
  else
    local old = answer.old
    if old[1] then
      -- Take the earlier answer out of every tally it moved; a day tally that has expired since is gone already.
      for _, key in ipairs(answer_tallies(old[3], old[4], old[5], split(old[6] or ''))) do
        if not is_day(key) or redis.call('EXISTS', key) == 1 then
          redis.call('HINCRBY', key, old[2], -1)
        end
      end
    end
    for _, key in ipairs(answer_tallies(answer.d, answer.m, answer.dk, answer.labels)) do
      redis.call('HINCRBY', key, answer.s, 1)
      if is_day(key) then
        redis.call('PEXPIREAT', key, answer.expire_at)
      end
    end
    if #answer.labels > 0 then
      redis.call('SADD', labels_key, unpack(answer.labels))
    end
    redis.call('HSET', answer.key, 't', answer.t, 's', answer.s, 'd', answer.d, 'm', answer.m, 'dk', answer.dk,
      'g', table.concat(answer.labels, ','))
    outcomes[#outcomes + 1] = old[1] and 2 or 1
  end
end

if sequence ~= '' then
  redis.call('SET', KEYS[1], sequence, 'PX', ARGV[2])
end
return outcomes
