-- Applies one batch's increments to one product: atomically, and at most once per writer sequence.
-- Every key lives under the product's hash tag and every key it touches is declared in KEYS, so on a Redis Cluster
-- it runs in one slot, and while that slot migrates Redis itself answers ASK or TRYAGAIN before anything runs.
--
-- KEYS: [writer state key,] the labels set key, the tally hashes to increment, then for each respondent answer:
-- its state hash, the tallies the answer moves, and the tallies its earlier answer moved (as read before the call).
-- ARGV[1]: the writer's sequence as a decimal string, or '' when the batch has no writer (at-least-once).
-- ARGV[2]: how long the writer state lives without new batches, in milliseconds.
-- ARGV[3]: how many labels of answers without a respondent follow, then those labels (a respondent's labels
-- join the set only if the answer is applied).
-- Then the number of tally hashes, and for each, in KEYS order: its expiry as a Unix time in milliseconds
-- (0: never), how many scores change, and that many (score, increment) pairs.
-- Then the number of respondent answers, the product's key prefix ('nps:{product}:'), and for each answer:
-- answered_at in microseconds since 1970, score, UTC day (yyyy-mm-dd), UTC month (yyyy-mm), whether the day is
-- still retained ('1'/'0'), the day tally's expiry in milliseconds, the number of labels and the labels; then how
-- many of its KEYS are the tallies the answer moves and how many are the tallies of its earlier answer as the
-- caller last knew it.
-- Returns 0 when this writer had already applied this sequence or a later one. Returns, without writing anything,
-- an array of -2 and each respondent's state (t, s, d, m, dk, g; '' when absent) when an earlier answer moved a
-- tally that is not among KEYS (it changed since the caller read it: declare that state's tallies and retry).
-- Otherwise an array: 1, then for each respondent answer 1 (counted), 2 (replaced an earlier answer) or 3
-- (superseded by a later one).
-- Last, ARGV[#ARGV]: with a writer, the writer's sequence that must already be applied to this product (its
-- previous batch on the same stream that had this product, still in flight when this one was sent), or ''.
-- Returns -1 without writing anything when that predecessor is not applied (it failed: applying this one would
-- make the retry of that one look like a duplicate).

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

-- Day tallies are exactly the keys whose part after the prefix starts with 'd:' (labels may contain ':d:').
local function is_day(key)
  return string.sub(key, #prefix + 1, #prefix + 2) == 'd:'
end

local function slice(from, count)
  local keys = {}
  for i = 1, count do keys[i] = KEYS[from + i - 1] end
  return keys
end

-- An earlier answer's tallies may only be touched if they are declared: on a cluster, a key that is not in KEYS may
-- not have migrated with the others, and the script would write it on the wrong node. The set of KEYS is built on
-- first need: most products' scripts carry no returning respondent.
local declared
local function is_declared(key)
  if not declared then
    declared = {}
    for i = 1, #KEYS do declared[KEYS[i]] = true end
  end
  return declared[key]
end

-- The tallies the answer stored in a respondent state moved: TallyKey.MovedByAnswer, named as RedisKeyLayout names them.
local function moved_by(state)
  local day, month, day_counted = state[3], state[4], state[5] == '1'
  local keys = { prefix .. 'all', prefix .. 'm:' .. month }
  if day_counted then keys[#keys + 1] = prefix .. 'd:' .. day end
  for label in string.gmatch(state[6] or '', '[^,]+') do
    keys[#keys + 1] = prefix .. 'seg:' .. label
    keys[#keys + 1] = prefix .. 'm:' .. month .. ':seg:' .. label
    if day_counted then keys[#keys + 1] = prefix .. 'd:' .. day .. ':seg:' .. label end
  end
  return keys
end

local state_fields = { 't', 's', 'd', 'm', 'dk', 'g' }
local answers = {}
local stale = false
local kr = first_respondent
for r = 1, respondent_count do
  local n = tonumber(ARGV[a + 6])
  local labels = {}
  for j = 1, n do labels[j] = ARGV[a + 6 + j] end
  local e = a + 7 + n
  local answer = { key = KEYS[kr], t = ARGV[a], s = ARGV[a + 1], d = ARGV[a + 2], m = ARGV[a + 3], dk = ARGV[a + 4],
                   expire_at = ARGV[a + 5], labels = labels }
  local new_count = tonumber(ARGV[e])
  local hinted_count = tonumber(ARGV[e + 1])
  answer.new_keys = slice(kr + 1, new_count)
  answer.old = redis.call('HMGET', answer.key, unpack(state_fields))
  answer.superseded = answer.old[1] and tonumber(answer.old[1]) > tonumber(answer.t)
  if answer.old[1] and not answer.superseded then
    -- Another writer may have replaced the answer since the caller read it; that is harmless unless the answer
    -- now stored moved a tally the caller did not declare.
    answer.old_keys = moved_by(answer.old)
    for _, key in ipairs(answer.old_keys) do
      if not is_declared(key) then stale = true end
    end
  end
  answers[r] = answer
  kr = kr + 1 + new_count + hinted_count
  a = e + 2
end
if stale then
  local states = { -2 }
  for _, answer in ipairs(answers) do
    for f = 1, #state_fields do states[#states + 1] = answer.old[f] or '' end
  end
  return states
end

-- All or nothing without looking at every tally first: increments go through pcall and are recorded, and the
-- first that fails (a foreign key of another type under the product's prefix, an overflow) is answered by taking
-- back every increment made so far, fields left at zero deleted (a hash left empty goes with them), before the
-- error is returned. The labels set is written after every increment, and a failure there (it is not a set) is
-- answered the same way; respondent states were read by the HMGET above and are written last.
local undo_keys, undo_fields, undo_deltas, undone = {}, {}, {}, 0
local function take_back()
  for i = undone, 1, -1 do
    if redis.call('HINCRBY', undo_keys[i], undo_fields[i], -undo_deltas[i]) == 0 then
      redis.call('HDEL', undo_keys[i], undo_fields[i])
    end
  end
end
-- The error reply of a pcall, after taking back every increment so far; nil when the call succeeded.
local function failure(reply)
  if type(reply) == 'table' and reply.err then
    take_back()
    return reply
  end
end
-- Returns the error reply, or nil and whether the increment created its field.
local function increment(key, field, delta)
  local reply = redis.pcall('HINCRBY', key, field, delta)
  local err = failure(reply)
  if err then return err end
  undone = undone + 1
  undo_keys[undone], undo_fields[undone], undo_deltas[undone] = key, field, delta
  return nil, reply == tonumber(delta)
end
local function add_labels(...)
  return failure(redis.pcall('SADD', labels_key, ...))
end

-- A day tally's expiry is a function of its day, so it is set when an increment creates a field (which it does for
-- every field of a new tally), not again on every batch: that was one more command per day tally per batch.
a = tally_args
for i = first_tally, first_respondent - 1 do
  local expire_at = ARGV[a]
  local changes = tonumber(ARGV[a + 1])
  local created = false
  a = a + 2
  for _ = 1, changes do
    local err, new_field = increment(KEYS[i], ARGV[a], ARGV[a + 1])
    if err then return err end
    created = created or new_field
    a = a + 2
  end
  if created and expire_at ~= '0' then
    redis.call('PEXPIREAT', KEYS[i], expire_at)
  end
end

local outcomes = { 1 }
for r, answer in ipairs(answers) do
  if answer.superseded then
    outcomes[r + 1] = 3
  else
    local old = answer.old
    if old[1] then
      -- Take the earlier answer out of every tally it moved; a day tally that has expired since is gone already.
      for _, key in ipairs(answer.old_keys) do
        if not is_day(key) or redis.call('EXISTS', key) == 1 then
          local err = increment(key, old[2], -1)
          if err then return err end
        end
      end
    end
    for _, key in ipairs(answer.new_keys) do
      local err, new_field = increment(key, answer.s, 1)
      if err then return err end
      if new_field and is_day(key) then
        redis.call('PEXPIREAT', key, answer.expire_at)
      end
    end
    outcomes[r + 1] = old[1] and 2 or 1
  end
end

-- Every increment is in. The labels next (only the first SADD can fail: they all go to one key), in slices:
-- unpack has a limit (about 8000 values) and a batch may carry up to 16000 distinct labels.
for from = 4, 3 + label_count, 1000 do
  local err = add_labels(unpack(ARGV, from, math.min(from + 999, 3 + label_count)))
  if err then return err end
end
for _, answer in ipairs(answers) do
  if not answer.superseded and #answer.labels > 0 then
    local err = add_labels(unpack(answer.labels))
    if err then return err end
  end
end
for _, answer in ipairs(answers) do
  if not answer.superseded then
    redis.call('HSET', answer.key, 't', answer.t, 's', answer.s, 'd', answer.d, 'm', answer.m, 'dk', answer.dk,
      'g', table.concat(answer.labels, ','))
  end
end

if sequence ~= '' then
  redis.call('SET', KEYS[1], sequence, 'PX', ARGV[2])
end
return outcomes
