-- Reads one page of a product's response records, newest first, filtered (one slot: same hash tag).
-- KEYS[1]: the records hash (record id -> JSON), KEYS[2]: the record index (members 'µs16:id12', all scores 0).
-- ARGV[1]: the newest bound, ARGV[2]: the oldest bound, both as ZRANGE BYLEX takes them ('(member', '[digits', '+', '-').
-- ARGV[3]: most records to return; ARGV[4]: most index entries to examine.
-- ARGV[5]: the segment label key, ARGV[6]: its value ('' and '': any record).
-- ARGV[7]: the categories shown, one character each for detractor, passive, promoter: '1' shown, '0' not.
-- ARGV[8]: '1' for only records with a comment.
-- Returns: the last index member examined (the next page continues after it; '' when none is left to examine),
-- then the record id and JSON of each match, newest first.
--
-- Entries are read in chunks (ZRANGE, then HMGET of their records); the walk stops at the page size or after the
-- examined maximum, whichever comes first, so one call stays short however rare the matches are. A page that stops
-- exactly at the oldest entry answers '' rather than a token to an empty page.
local records, index = KEYS[1], KEYS[2]
local newest, oldest = ARGV[1], ARGV[2]
local page_size, max_examined = tonumber(ARGV[3]), tonumber(ARGV[4])
local segment_key, segment_value = ARGV[5], ARGV[6]
local shown = ARGV[7]
local with_comment = ARGV[8] == '1'

-- The position of a score's category in ARGV[7] (ScoreClassifier: 0-6 detractor, 7-8 passive, 9-10 promoter).
local function category(score)
  if score <= 6 then return 1 elseif score <= 8 then return 2 else return 3 end
end

local function matches(record)
  local c = category(tonumber(record.s))
  if string.sub(shown, c, c) ~= '1' then return false end
  if with_comment and (type(record.c) ~= 'string' or record.c == '') then return false end
  if segment_key ~= '' then
    local labels = record.g
    if type(labels) ~= 'table' or labels[segment_key] ~= segment_value then return false end
  end
  return true
end

local result = { '' }
local matched, examined = 0, 0
local last
while true do
  local want = math.min(max_examined - examined, math.max(page_size - matched, 64))
  local members = redis.call('ZRANGE', index, newest, oldest, 'BYLEX', 'REV', 'LIMIT', 0, want)
  if #members == 0 then
    last = nil
    break
  end
  local ids = {}
  for i, member in ipairs(members) do
    ids[i] = string.match(member, ':0*(%d+)$')
  end
  local values = redis.call('HMGET', records, unpack(ids))
  local full = false
  for i, member in ipairs(members) do
    examined = examined + 1
    last = member
    -- An index entry without its record is skipped (examined all the same); only scripts write both, together.
    local json = values[i]
    if json then
      local record = cjson.decode(json)
      if matches(record) then
        matched = matched + 1
        result[#result + 1] = ids[i]
        result[#result + 1] = json
      end
    end
    if matched == page_size or examined == max_examined then
      full = true
      break
    end
  end
  newest = '(' .. last
  if full then
    -- Stopped early: continue after the last entry examined, unless no older entry is left.
    if #redis.call('ZRANGE', index, newest, oldest, 'BYLEX', 'REV', 'LIMIT', 0, 1) == 0 then last = nil end
    break
  end
  if #members < want then
    last = nil
    break
  end
end
if last then result[1] = last end
return result
