-- Reads one page of a product's response records, newest first, filtered (one slot: same hash tag).
-- KEYS[1]: the records hash (record id -> JSON), KEYS[2]: the record index (members 'µs16:id12', all scores 0).
-- ARGV[1]: the newest bound, ARGV[2]: the oldest bound, both as ZRANGE BYLEX takes them ('(member', '[digits', '+', '-').
-- ARGV[3]: most records to return; ARGV[4]: most index entries to examine.
-- ARGV[5]: most bytes of record JSON to examine; ARGV[6]: most bytes of record JSON to return.
-- ARGV[7]: the segment label key, ARGV[8]: its value ('' and '': any record).
-- ARGV[9]: the categories shown, one character each for detractor, passive, promoter: '1' shown, '0' not.
-- ARGV[10]: '1' for only records with a comment.
-- Returns: the last index member examined (the next page continues after it; '' when none is left to examine),
-- then the record id and JSON of each match, newest first.
--
-- The walk reads entries in chunks (ZRANGE, then HMGET of their records) and stops at the first limit reached:
-- records to return, entries or bytes examined (Redis serves nothing else meanwhile, and comments run to 2,000
-- characters), bytes to return (the page must fit the clients' message limit). A page that stops exactly at the
-- oldest entry answers '' rather than a token to an empty page.
local records, index = KEYS[1], KEYS[2]
local newest, oldest = ARGV[1], ARGV[2]
local page_size, max_examined = tonumber(ARGV[3]), tonumber(ARGV[4])
local max_examined_bytes, max_returned_bytes = tonumber(ARGV[5]), tonumber(ARGV[6])
local segment_key, segment_value = ARGV[7], ARGV[8]
local shown = ARGV[9]
local with_comment = ARGV[10] == '1'
local every_category = shown == '111'
-- Labels are [A-Za-z0-9._:-], which cjson writes as they are: a record with the label contains this text.
local segment_text = '"' .. segment_key .. '":"' .. segment_value .. '"'

-- The position of a score's category in ARGV[9] (ScoreClassifier: 0-6 detractor, 7-8 passive, 9-10 promoter).
local function category(score)
  if score <= 6 then return 1 elseif score <= 8 then return 2 else return 3 end
end

-- Decoding is most of the cost of a record, so plain text searches turn most records that cannot match away
-- first; they can only err the safe way (a label named "c" looks like a comment), and the decoded record decides.
-- cjson writes no spaces, and inside a JSON string every '"' is escaped, so '"c":"' is a key and its string value,
-- and '"s":' followed by digits can only be the score: label values are strings and follow-up results have no "s".
local no_filter = every_category and not with_comment and segment_key == ''
local function score_of(json)
  local from = 1
  while true do
    local at = string.find(json, '"s":', from, true)
    if not at then return nil end
    local digits = string.match(json, '^%d+', at + 4)
    if digits then return digits end
    from = at + 4
  end
end

local function may_match(json)
  if not every_category then
    local score = score_of(json)
    if score then
      local c = category(tonumber(score))
      if string.sub(shown, c, c) ~= '1' then return false end
    end
  end
  if with_comment and not string.find(json, '"c":"', 1, true) then return false end
  if segment_key ~= '' and not string.find(json, segment_text, 1, true) then return false end
  return true
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
local matched, examined, examined_bytes, returned_bytes = 0, 0, 0, 0
local last
while true do
  local want = math.min(max_examined - examined, math.max(page_size - matched, 32), 256)
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
    -- An index entry without its record is skipped (examined all the same); only scripts write both, together.
    local json = values[i]
    local hit = json and (no_filter or (may_match(json) and matches(cjson.decode(json))))
    if hit and matched > 0 and returned_bytes + #json > max_returned_bytes then
      -- This record would take the page past its bytes: the next page starts with it.
      full = true
      break
    end
    examined = examined + 1
    last = member
    if json then examined_bytes = examined_bytes + #json end
    if hit then
      matched = matched + 1
      returned_bytes = returned_bytes + #json
      result[#result + 1] = ids[i]
      result[#result + 1] = json
    end
    if matched == page_size or examined == max_examined or examined_bytes >= max_examined_bytes then
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
