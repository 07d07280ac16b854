-- Applies the increments of one or more batches (shares) to one product: atomically, and each share at most once
-- per writer sequence. Every key lives under the product's hash tag and every key it touches is declared in KEYS, so
-- on a Redis Cluster it runs in one slot, and while that slot migrates Redis itself answers ASK or TRYAGAIN before
-- anything runs. The increments of the shares come merged (tallies summed, labels, records, terms and respondent
-- answers together): a share that may not be applied is reported before anything is written, and the caller sends
-- the merge of the others again.
--
-- KEYS: the state key of each writer of the shares, the labels set key, the tally hashes to increment, then for each respondent answer:
-- its state hash, the tallies the answer moves, and the tallies its earlier answer moved (as read before the call).
-- ARGV[1]: how many writer state keys lead KEYS (0: no share has a writer; such shares are at-least-once).
-- ARGV[2]: how long a writer state lives without new batches, in milliseconds.
-- ARGV[3]: how many labels of answers without a respondent follow, then those labels (a respondent's labels
-- join the set only if the answer is applied).
-- Then the number of tally hashes, and for each, in KEYS order: its expiry as a Unix time in milliseconds
-- (0: never), how many scores change, and that many (score, increment) pairs.
-- Then the number of respondent answers, the product's key prefix ('nps:{product}:'), and for each answer:
-- answered_at in microseconds since 1970, score, UTC day (yyyy-mm-dd), UTC month (yyyy-mm), whether the day is
-- still retained ('1'/'0'), the day tally's expiry in milliseconds, the number of labels and the labels; then how
-- many of its KEYS are the tallies the answer moves and how many are the tallies of its earlier answer as the
-- caller last knew it; whether it is recorded ('1'/'0'), its comment ('' for none), its language, and its terms
-- (a terms block, below).
-- Then whether the batch may write records ('1'/'0'; when '1', KEYS go on with the records hash, the record id
-- counter, the records index and the follow-up stream, after the respondents' keys), and when '1': the record time
-- (ms since 1970), the answered_at (µs, 16 digits) before which records are trimmed, the most records the product
-- keeps, and the number of records of answers without a respondent, each: answered_at (µs), score, the number of
-- labels, the labels, the comment ('' for none) and the language.
-- Then whether every term hash the script writes gets its expiry ('1': the store asks once per product and month in
-- each instance, for hashes written before term counts expired) or only one that holds no stem yet ('0'), the
-- number of term months, and for each: the month and when its term hashes expire (ms since 1970: the month's end
-- plus the term retention). Then the most stems a term hash takes, the number of term groups, and for each: the
-- category letter (D, N, P), the UTC month and a terms block. A terms block: the number of comments (0: none, and
-- nothing else is counted), the number of stems, and for each: the stem, its count, the number of its surface words
-- and those (word, count).
-- Every term hash is also in KEYS (after the record keys): those of the groups, of each respondent answer's terms
-- and of its earlier answer as the caller last knew it. Key terms are a hash per category and month (stem → count,
-- with '#comments' and '#terms') and a hash per month ('stem surface' → count).
-- Returns, without writing anything, an array of -3 and a verdict per share with a writer (0: may be applied,
-- 1: its writer had applied this sequence or a later one already, 2: the sequence that must precede it is not
-- applied, as that batch failed: applying this one would make the retry of that one look like a duplicate) when any
-- verdict is not 0. Returns, without writing anything,
-- an array of -2 and each respondent's state (t, s, d, m, dk, g; '' when absent) when an earlier answer moved a
-- tally or a term hash that is not among KEYS (it changed since the caller read it: declare that state's tallies and
-- term hashes and retry).
-- Otherwise an array: 1, then for each respondent answer 1 (counted), 2 (replaced an earlier answer) or 3
-- (superseded by a later one); and a change notice is published on the product's sharded channel.
-- Last, the shares with a writer, in the order their batches reached the product, each: the position of its
-- writer's key in KEYS, its sequence (decimal), and the writer's sequence that must already be applied to this
-- product ('' for none: its previous batch on the same stream that had this product, still in flight when this one
-- was sent); and ARGV[#ARGV], how many such shares there are.

-- Sequences are int64: Lua numbers are doubles and lose precision past 2^53, so compare the canonical
-- decimal strings instead (a longer string is a larger number; equal lengths compare lexically).
local function at_least(a, b)
  return #a > #b or (#a == #b and a >= b)
end

-- Each share is checked against its writer's last sequence as the shares before it in the flush leave it.
local writer_keys, share_count = tonumber(ARGV[1]), tonumber(ARGV[#ARGV])
local last = {}
if writer_keys > 0 then
  local stored = redis.call('MGET', unpack(KEYS, 1, writer_keys))
  for w = 1, writer_keys do last[w] = stored[w] end
end
local verdicts, refused = { -3 }, false
for s = 1, share_count do
  local at = #ARGV - 3 * (share_count - s + 1)
  local w, sequence, predecessor = tonumber(ARGV[at]), ARGV[at + 1], ARGV[at + 2]
  local current = last[w]
  local verdict = 0
  if current and at_least(current, sequence) then
    verdict = 1
  elseif predecessor ~= '' and not (current and at_least(current, predecessor)) then
    verdict = 2
  else
    last[w] = sequence
  end
  verdicts[s + 1] = verdict
  refused = refused or verdict ~= 0
end
if refused then
  return verdicts
end
local k = writer_keys + 1

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

-- The key-term hashes of a category (from a score) and month: stem counts, and the month's surface words.
local function category(score)
  score = tonumber(score)
  return score <= 6 and 'D' or score <= 8 and 'N' or 'P'
end
local function term_keys(score, month)
  return prefix .. 't:' .. category(score) .. ':' .. month, prefix .. 'tf:' .. month
end

-- The index after the terms block at `at`.
local function skip_terms(at)
  local stems = tonumber(ARGV[at + 1])
  at = at + 2
  for _ = 1, stems do at = at + 3 + 2 * tonumber(ARGV[at + 2]) end
  return at
end

-- The state a respondent answer leaves: the six fields the caller reads (and a refusal returns), then the record id
-- of the counted answer ('' when it was not recorded), the ids of all its records, and the terms its comment counted
-- ('' for none: see add_terms).
local state_fields = { 't', 's', 'd', 'm', 'dk', 'g' }
local read_fields = { 't', 's', 'd', 'm', 'dk', 'g', 'cr', 'rec', 'tt' }
local answers = {}
local stale = false
local kr = first_respondent
for r = 1, respondent_count do
  local n = tonumber(ARGV[a + 6])
  local labels = {}
  for j = 1, n do labels[j] = ARGV[a + 6 + j] end
  local e = a + 7 + n
  local answer = { key = KEYS[kr], t = ARGV[a], s = ARGV[a + 1], d = ARGV[a + 2], m = ARGV[a + 3], dk = ARGV[a + 4],
                   expire_at = ARGV[a + 5], labels = labels, recorded = ARGV[e + 2] == '1', comment = ARGV[e + 3],
                   language = ARGV[e + 4], terms_at = e + 5 }
  local new_count = tonumber(ARGV[e])
  local hinted_count = tonumber(ARGV[e + 1])
  answer.new_keys = slice(kr + 1, new_count)
  answer.old = redis.call('HMGET', answer.key, unpack(read_fields))
  answer.superseded = answer.old[1] and tonumber(answer.old[1]) > tonumber(answer.t)
  if answer.old[1] and not answer.superseded then
    -- Another writer may have replaced the answer since the caller read it; that is harmless unless the answer
    -- now stored moved a tally, or counted terms in a hash, that the caller did not declare.
    answer.old_keys = moved_by(answer.old)
    for _, key in ipairs(answer.old_keys) do
      if not is_declared(key) then stale = true end
    end
    if (answer.old[9] or '') ~= '' then
      local t_key, tf_key = term_keys(answer.old[2], answer.old[4])
      if not (is_declared(t_key) and is_declared(tf_key)) then stale = true end
    end
  end
  answers[r] = answer
  kr = kr + 1 + new_count + hinted_count
  a = skip_terms(e + 5)
end
if stale then
  local states = { -2 }
  for _, answer in ipairs(answers) do
    for f = 1, #state_fields do states[#states + 1] = answer.old[f] or '' end
  end
  return states
end

local records_declared = ARGV[a] == '1'
local record_time, trim_before, max_records, record_count, records_at
a = a + 1
if records_declared then
  record_time, trim_before, max_records, record_count = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  a = a + 4
  records_at = a
  for _ = 1, record_count do a = a + 5 + tonumber(ARGV[a + 2]) end
end
local refresh_term_expiries, term_month_count = ARGV[a] == '1', tonumber(ARGV[a + 1])
local term_expiry = {}
for i = 1, term_month_count do term_expiry[ARGV[a + 2 * i]] = ARGV[a + 2 * i + 1] end
a = a + 2 + 2 * term_month_count

-- Term hashes to give their expiry last, after every write that may have to be taken back (so no undo ever writes
-- to a hash an expiry in the past has deleted): hash -> its month's expiry.
local term_expiries = {}
local function expire_later(month, key)
  term_expiries[key] = term_expiry[month]
end

local terms_cap, group_count = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
local groups_at = a + 2

-- All or nothing without looking at every tally first: increments go through pcall and are recorded, and the
-- first that fails (a foreign key of another type under the product's prefix, an overflow) is answered by taking
-- back every increment made so far, fields left at zero deleted (a hash left empty goes with them), before the
-- error is returned. The labels set is written after every increment, and a failure there (it is not a set) is
-- answered the same way; respondent states were read by the HMGET above and are written last.
-- Record writes come after every increment; the one of them that may have to be taken back leaves in record_undo
-- the command that undoes it (see the records below).
local undo_keys, undo_fields, undo_deltas, undone = {}, {}, {}, 0
local record_undo = {}
local function take_back()
  for i = #record_undo, 1, -1 do redis.call(unpack(record_undo[i])) end
  for i = undone, 1, -1 do
    if redis.call('HINCRBY', undo_keys[i], undo_fields[i], -undo_deltas[i]) == 0 then
      redis.call('HDEL', undo_keys[i], undo_fields[i])
    end
  end
end
-- The error reply of a pcall, after taking back every write so far; nil when the call succeeded.
local function failure(reply)
  if type(reply) == 'table' and reply.err then
    take_back()
    return reply
  end
end
-- Returns the error reply, or nil, whether the increment created its field, and the field's new value.
local function increment(key, field, delta)
  local reply = redis.pcall('HINCRBY', key, field, delta)
  local err = failure(reply)
  if err then return err end
  undone = undone + 1
  undo_keys[undone], undo_fields[undone], undo_deltas[undone] = key, field, delta
  return nil, reply == tonumber(delta), reply
end
-- A tally that several scores change (a busy product's all-time, month or day tally, once group commit has merged
-- the shares of many batches) is read and written whole: one HMGET and one HSET where an HINCRBY per score would be
-- up to eleven commands, each a round of argument and reply conversion between Lua and Redis. Below three changes
-- the increments are as cheap. The fields go into the undo log as increments do, so take_back undoes them alike.
-- Counts are exact as Lua numbers (doubles) up to 2^53, far beyond any tally. Returns the error reply, or nil and
-- whether a field was created.
local WHOLE_FROM = 3
local function increment_whole(key, fields, deltas)
  local values = redis.pcall('HMGET', key, unpack(fields))
  local err = failure(values)
  if err then return err end
  local field_values, created = {}, false
  for j = 1, #fields do
    local current = 0
    if values[j] then
      -- What HINCRBY would refuse: a field of the tally that holds no integer (foreign data).
      if not string.match(values[j], '^-?%d+$') then
        take_back()
        return { err = 'ERR hash value is not an integer' }
      end
      current = tonumber(values[j])
    else
      created = true
    end
    field_values[2 * j - 1] = fields[j]
    field_values[2 * j] = string.format('%.0f', current + deltas[j])
  end
  err = failure(redis.pcall('HSET', key, unpack(field_values)))
  if err then return err end
  for j = 1, #fields do
    undone = undone + 1
    undo_keys[undone], undo_fields[undone], undo_deltas[undone] = key, fields[j], deltas[j]
  end
  return nil, created
end
local function add_labels(...)
  return failure(redis.pcall('SADD', labels_key, ...))
end
-- An increment of a term count: a count back at zero is deleted, so a month's hash holds only stems in use. Returns
-- an error reply or nil, then whether the increment created its field.
local function change(key, field, delta)
  local err, created, value = increment(key, field, delta)
  if err then return err end
  if value == 0 then redis.call('HDEL', key, field) end
  return nil, created
end

-- Adds the terms block at ARGV[at] to the category-month hash t_key and the month's surface hash tf_key. A stem the
-- hash does not hold yet is taken only while it holds fewer than terms_cap stems, so a month's memory is bounded
-- whatever is written (most batches are far from the cap: then no stem is looked up). Returns an error reply or
-- nil, then the terms counted as a respondent's state keeps them, so a later answer can take exactly them out:
-- '<comments> <stem> <surface> <count> ...' ('' when the block has no comment).
-- The hashes of a month expire together, at its end plus the term retention. The HLEN read for the cap tells when to
-- set it without one more command per batch: a hash holding no stem (fewer than 3 fields: none, or only '#comments')
-- is new, or its month's surface hash may be (stems, and only stems, put words there), so both get it; a hash holding
-- stems already has it, as does the surface hash its stems wrote to.
local function add_terms(at, t_key, tf_key, month)
  local comments, stems = tonumber(ARGV[at]), tonumber(ARGV[at + 1])
  if comments == 0 then return nil, '' end
  at = at + 2
  local length = redis.pcall('HLEN', t_key)
  local err = failure(length)
  if err then return err end
  local expire = refresh_term_expiries or length < 3
  local held = math.max(length - 2, 0)
  local look_up = held + stems > terms_cap
  local counted, total = { comments }, 0
  for _ = 1, stems do
    local stem, count, surfaces = ARGV[at], ARGV[at + 1], tonumber(ARGV[at + 2])
    at = at + 3
    local taken = true
    if look_up and redis.call('HEXISTS', t_key, stem) == 0 then
      taken = held < terms_cap
      if taken then held = held + 1 end
    end
    if taken then
      err = change(t_key, stem, count)
      if err then return err end
      total = total + tonumber(count)
      for _ = 1, surfaces do
        err = change(tf_key, stem .. ' ' .. ARGV[at], ARGV[at + 1])
        if err then return err end
        counted[#counted + 1] = stem .. ' ' .. ARGV[at] .. ' ' .. ARGV[at + 1]
        at = at + 2
      end
    else
      at = at + 2 * surfaces
    end
  end
  err = change(t_key, '#comments', comments)
  if err then return err end
  if total > 0 then
    err = change(t_key, '#terms', total)
    if err then return err end
  end
  if expire then
    expire_later(month, t_key)
    if total > 0 or refresh_term_expiries then expire_later(month, tf_key) end
  end
  return nil, table.concat(counted, ' ')
end

-- Takes out the terms a respondent's earlier answer counted (its state's 'tt', written by add_terms). The comment
-- count goes first: a hash with counted words has it, so creating it means the month's hashes have expired since, and
-- there is nothing to take out; that field is taken back at once (and out of the undo log), so no hash is recreated.
local function remove_terms(counted, t_key, tf_key, month)
  local words = {}
  for word in string.gmatch(counted, '%S+') do words[#words + 1] = word end
  local err, created = change(t_key, '#comments', -words[1])
  if err then return err end
  if created then
    redis.call('HDEL', t_key, '#comments')
    undone = undone - 1
    return
  end
  if refresh_term_expiries then
    expire_later(month, t_key)
    expire_later(month, tf_key)
  end
  local total = 0
  for i = 2, #words - 2, 3 do
    err = change(t_key, words[i], -words[i + 2]) or change(tf_key, words[i] .. ' ' .. words[i + 1], -words[i + 2])
    if err then return err end
    total = total + tonumber(words[i + 2])
  end
  if total > 0 then return change(t_key, '#terms', -total) end
end

-- The respondent answers' tally moves are gathered first, per tally and score: each applied answer's +1 on the tallies
-- it moves and -1 on those its earlier answer moved (an earlier answer's day tally that has expired is gone: it is
-- looked up before anything is written, and left alone). A folded tally that an answer moves too takes them into its
-- own write, so a returning respondent in a busy product's script costs no command of its own, and a score whose moves
-- cancel out (the same score again, the same day) is not written at all. The other folded tallies are written straight
-- from ARGV, as most scripts carry no respondent.
local moved_keys, moves = {}, {}
local function move(key, field, delta, expire_at)
  local m = moves[key]
  if not m then
    m = { fields = {}, deltas = {}, expire_at = '0' }
    moves[key] = m
    moved_keys[#moved_keys + 1] = key
  end
  if expire_at ~= '0' then m.expire_at = expire_at end
  local j = m.fields[field]
  if not j then
    j = #m.deltas + 1
    m.fields[field], m.deltas[j] = j, 0
    m[j] = field
  end
  m.deltas[j] = m.deltas[j] + delta
end

local outcomes = { 1 }
for r, answer in ipairs(answers) do
  if answer.superseded then
    outcomes[r + 1] = 3
  else
    local old = answer.old
    if old[1] then
      for _, key in ipairs(answer.old_keys) do
        if not is_day(key) or redis.call('EXISTS', key) == 1 then
          move(key, old[2], -1, '0')
        end
      end
    end
    for _, key in ipairs(answer.new_keys) do
      move(key, answer.s, 1, is_day(key) and answer.expire_at or '0')
    end
    outcomes[r + 1] = old[1] and 2 or 1
  end
end

-- A tally that three or more scores change (a busy product's all-time, month or day tally, once group commit has
-- merged the shares of many batches) is read and written whole (increment_whole); fewer get an HINCRBY each. A day
-- tally's expiry is a function of its day, so it is set when a write creates a field (which it does for every field
-- of a new tally), not again on every batch. Returns the error reply or nil.
local function write_tally(key, fields, deltas, expire_at)
  local created = false
  if #fields >= WHOLE_FROM then
    local err
    err, created = increment_whole(key, fields, deltas)
    if err then return err end
  else
    for j = 1, #fields do
      local err, new_field = increment(key, fields[j], deltas[j])
      if err then return err end
      created = created or new_field
    end
  end
  if created and expire_at ~= '0' then
    redis.call('PEXPIREAT', key, expire_at)
  end
end

a = tally_args
for i = first_tally, first_respondent - 1 do
  local key, expire_at, changes = KEYS[i], ARGV[a], tonumber(ARGV[a + 1])
  a = a + 2
  local m = moves[key]
  if m then
    for _ = 1, changes do
      move(key, ARGV[a], tonumber(ARGV[a + 1]), expire_at)
      a = a + 2
    end
  else
    local fields, deltas = {}, {}
    for j = 1, changes do
      fields[j], deltas[j] = ARGV[a], ARGV[a + 1]
      a = a + 2
    end
    local err = write_tally(key, fields, deltas, expire_at)
    if err then return err end
  end
end

for _, key in ipairs(moved_keys) do
  local m = moves[key]
  local fields, deltas = {}, {}
  for j = 1, #m.deltas do
    if m.deltas[j] ~= 0 then
      fields[#fields + 1], deltas[#deltas + 1] = m[j], m.deltas[j]
    end
  end
  local err = write_tally(key, fields, deltas, m.expire_at)
  if err then return err end
end

-- Key terms: the groups folded from answers without a respondent, then each applied respondent answer's, after
-- taking out those of the answer it replaces.
a = groups_at
for _ = 1, group_count do
  local t_key, tf_key = prefix .. 't:' .. ARGV[a] .. ':' .. ARGV[a + 1], prefix .. 'tf:' .. ARGV[a + 1]
  local err = add_terms(a + 2, t_key, tf_key, ARGV[a + 1])
  if err then return err end
  a = skip_terms(a + 2)
end
for _, answer in ipairs(answers) do
  if not answer.superseded then
    local err
    if (answer.old[9] or '') ~= '' then
      local t_key, tf_key = term_keys(answer.old[2], answer.old[4])
      err = remove_terms(answer.old[9], t_key, tf_key, answer.old[4])
      if err then return err end
    end
    local t_key, tf_key = term_keys(answer.s, answer.m)
    err, answer.tt = add_terms(answer.terms_at, t_key, tf_key, answer.m)
    if err then return err end
  end
end

-- Every increment is in. Then the records: each gets the next id of the product's counter, an entry in the
-- follow-up stream, its JSON in the records hash and its member in the index (answered_at, then id, zero-padded, so
-- the index sorts by time and, within a microsecond, by id). A foreign key where a record key (or the labels set,
-- written after them) should be must fail before anything is left half written: reads of the labels set, the
-- records hash and the index go first (the index's size serves the trimming too), then the counter, whose increment
-- is the one record write to undo if the first XADD then fails (an XADD cannot be taken back whole: it would leave
-- an empty stream); after that every key has proved its type, and no command can fail.
local adds_labels = label_count > 0
for _, answer in ipairs(answers) do
  if not answer.superseded and #answer.labels > 0 then adds_labels = true end
end
local written, held = 0, 0
if records_declared then
  if adds_labels then
    local err = failure(redis.pcall('SCARD', labels_key))
    if err then return err end
  end
  local records_key, counter_key, index_key, stream_key = KEYS[kr], KEYS[kr + 1], KEYS[kr + 2], KEYS[kr + 3]
  local function pad(digits, width) return string.rep('0', width - #digits) .. digits end

  local pending = {}
  local function add(t, s, respondent, labels, comment, language)
    local record = { t = t, s = tonumber(s), l = language, x = record_time, st = 'c' }
    if respondent then record.r = respondent end
    if comment ~= '' then record.c = comment end
    if #labels > 0 then
      record.g = {}
      for _, label in ipairs(labels) do
        local key, value = string.match(label, '^([^=]*)=(.*)$')
        record.g[key] = value
      end
    end
    local entry = { record = record }
    pending[#pending + 1] = entry
    return entry
  end
  a = records_at
  for _ = 1, record_count do
    local n = tonumber(ARGV[a + 2])
    add(ARGV[a], ARGV[a + 1], nil, { unpack(ARGV, a + 3, a + 2 + n) }, ARGV[a + 3 + n], ARGV[a + 4 + n])
    a = a + 5 + n
  end
  for _, answer in ipairs(answers) do
    if not answer.superseded and answer.recorded then
      -- The respondent id is what follows 'r:' in its state key.
      answer.record = add(answer.t, answer.s, string.sub(answer.key, #prefix + 3), answer.labels, answer.comment, answer.language)
    end
  end

  local err
  if #pending > 0 then
    err = failure(redis.pcall('HLEN', records_key))
    if err then return err end
    held = redis.pcall('ZCARD', index_key)
    err = failure(held)
    if err then return err end
    local last = redis.pcall('INCRBY', counter_key, #pending)
    err = failure(last)
    if err then return err end
    record_undo[1] = last == #pending and { 'DEL', counter_key } or { 'DECRBY', counter_key, #pending }

    local ids, fields, members, scored = {}, {}, {}, {}
    for i, entry in ipairs(pending) do
      local id, record = tostring(last - #pending + i), entry.record
      entry.id = id
      record.q = redis.pcall('XADD', stream_key, '*', 'id', id, 's', record.s, 'c', record.c and '1' or '0')
      err = failure(record.q)
      if err then return err end
      ids[i], members[i] = id, pad(record.t, 16) .. ':' .. pad(id, 12)
      fields[2 * i - 1], fields[2 * i] = id, cjson.encode(record)
      scored[2 * i - 1], scored[2 * i] = 0, members[i]
    end
    -- In slices of 500 records, as unpack has a limit (about 8000 values).
    for from = 1, #pending, 500 do
      local to = math.min(from + 499, #pending)
      redis.call('HSET', records_key, unpack(fields, 2 * from - 1, 2 * to))
      redis.call('ZADD', index_key, unpack(scored, 2 * from - 1, 2 * to))
    end
    written = #pending
  end

  -- A replaced answer stays on record, marked replaced. (Without new records, the HGET is the first command on the
  -- records hash, so it is the one that may fail.)
  for _, answer in ipairs(answers) do
    local replaced = not answer.superseded and answer.old[7]
    if replaced and replaced ~= '' then
      local json = redis.pcall('HGET', records_key, replaced)
      err = failure(json)
      if err then return err end
      if json then
        local record = cjson.decode(json)
        record.st = 'r'
        redis.call('HSET', records_key, replaced, cjson.encode(record))
      end
    end
  end
end

-- The labels next (only the first SADD can fail, and only when no records were written: they all go to one key),
-- in slices: unpack has a limit (about 8000 values) and a batch may carry up to 16000 distinct labels.
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
    local state = { 't', answer.t, 's', answer.s, 'd', answer.d, 'm', answer.m, 'dk', answer.dk, 'g', table.concat(answer.labels, ',') }
    local old_record, old_records, old_terms = answer.old[7] or '', answer.old[8] or '', answer.old[9] or ''
    local id = answer.record and answer.record.id
    if id or old_record ~= '' then
      state[#state + 1], state[#state + 2] = 'cr', id or ''
    end
    if id then
      state[#state + 1], state[#state + 2] = 'rec', old_records == '' and id or old_records .. ' ' .. id
    end
    if answer.tt ~= '' or old_terms ~= '' then
      state[#state + 1], state[#state + 2] = 'tt', answer.tt
    end
    redis.call('HSET', answer.key, unpack(state))
  end
end

-- Records answered before the retention go, and the oldest beyond the product's cap: from the index, the records
-- hash and the follow-up stream (and the pending lists of its groups). A script takes off at most 64 more than it wrote, so a product at its cap stays
-- there under any load, a backlog (a lowered cap, a retention passed) drains by 64 with each batch that records,
-- and no script's work grows with the backlog. The index member's first 16 characters are the answered_at, so the
-- expired ones are a lexical range.
if written > 0 then
  local records_key, index_key, stream_key = KEYS[kr], KEYS[kr + 2], KEYS[kr + 3]
  local limit = written + 64
  local victims = redis.call('ZRANGEBYLEX', index_key, '-', '(' .. trim_before, 'LIMIT', 0, limit)
  if #victims < limit then
    local excess = held + written - #victims - max_records
    if excess > 0 then
      local oldest = redis.call('ZRANGE', index_key, #victims, #victims + math.min(excess, limit - #victims) - 1)
      for _, member in ipairs(oldest) do victims[#victims + 1] = member end
    end
  end
  if #victims > 0 then
    local ids, entries = {}, {}
    for i, member in ipairs(victims) do ids[i] = tostring(tonumber(string.sub(member, 18))) end
    for _, json in ipairs(redis.call('HMGET', records_key, unpack(ids))) do
      if json then entries[#entries + 1] = cjson.decode(json).q end
    end
    if #entries > 0 then
      -- Acknowledged first in every follow-up group, as an erasure does: a trimmed record still leased to a worker
      -- would otherwise count as in progress until its lease ran out, and its delivery name an entry that is gone.
      for _, group in ipairs(stream_groups(stream_key)) do
        redis.call('XACK', stream_key, group.name, unpack(entries))
      end
      redis.call('XDEL', stream_key, unpack(entries))
    end
    redis.call('HDEL', records_key, unpack(ids))
    redis.call('ZREM', index_key, unpack(victims))
  end
end

-- The term hashes' expiries (see add_terms), now that nothing can be taken back: the hashes of a month whose
-- retention passed after the batch was folded (which counts no words of a month already past it) are deleted by an
-- expiry in the past, rather than left without one.
for key, at in pairs(term_expiries) do
  redis.call('PEXPIREAT', key, at)
end

for w = 1, writer_keys do
  redis.call('SET', KEYS[w], last[w], 'PX', ARGV[2])
end

-- Last, once everything is written: a notice on the product's sharded channel (RedisKeyLayout.Changes), one per
-- script however many batches it merged, so that every server instance's watchers of the product read it again.
-- Its name has the product's hash tag, so it is in this script's slot: Redis lets a script publish only on its own
-- node, and the notice reaches the subscribers of this shard, primary and replicas. It says only "changed". Through
-- pcall: everything is written already, and a Redis without SPUBLISH (before 7.0) must not fail the batch.
redis.pcall('SPUBLISH', prefix .. 'changes', '')
return outcomes
