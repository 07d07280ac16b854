-- Erases every record of one respondent on one product, atomically (one slot: same hash tag): the right to erasure.
-- KEYS[1]: the respondent's state hash (field 'rec': its record ids, space-separated; 'cr': its counted answer's;
-- 'tt': the words its counted comment added to the term counts, so that a later answer can take them out),
-- KEYS[2]: the records hash, KEYS[3]: the record index, KEYS[4]: the follow-up stream (it may not exist).
-- For each record: its stream entry is acknowledged in every follow-up group (so no worker is handed it again and
-- no pending delivery names it) and deleted, then the record and its index entry go; then 'rec', 'cr' and 'tt'
-- (the comment's words, as written). The tallies, the term counts and the rest of the respondent's state (the
-- counted answer's time, score and labels, which a later answer replaces) are untouched.
-- Returns how many records were erased; 0 when there were none (or they were erased, or trimmed, already).
local state, records, index, stream = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local ids = redis.call('HGET', state, 'rec')
if not ids or ids == '' then
  redis.call('HDEL', state, 'rec', 'cr', 'tt')
  return 0
end

local groups = {}
for _, group in ipairs(stream_groups(stream)) do
  groups[#groups + 1] = group.name
end

local function padded(digits, width)
  return string.rep('0', width - #digits) .. digits
end

local erased = 0
for id in string.gmatch(ids, '%S+') do
  local json = redis.call('HGET', records, id)
  if json then
    local record = cjson.decode(json)
    local entry = record.q
    if type(entry) == 'string' and entry ~= '' then
      for _, group in ipairs(groups) do
        redis.call('XACK', stream, group, entry)
      end
      redis.call('XDEL', stream, entry)
    end
    redis.call('HDEL', records, id)
    redis.call('ZREM', index, padded(tostring(record.t), 16) .. ':' .. padded(id, 12))
    erased = erased + 1
  end
end
redis.call('HDEL', state, 'rec', 'cr', 'tt')
return erased
