-- One poll of one product for one consumer of a follow-up group: leases deliveries to it, atomically.
-- Stream entries carry: id (record id), s (score), c (1 when the record has a comment); the record JSON is in the
-- records hash under its id.
--
-- KEYS[1]: the stream (prefix:{product}:fu), KEYS[2]: the records hash (prefix:{product}:rec),
-- KEYS[3]: the group settings hash (prefix:{product}:fug).
-- ARGV[1]: group, ARGV[2]: consumer, ARGV[3]: '1' on the first poll of a call, ARGV[4]: the worker's max_outstanding,
-- ARGV[5]: the allowance (the consumer's pending count on this product may not grow past it).
--
-- In order:
-- (1) the consumer's own leases that expired OWN_GRACE ms ago go out again to it, one attempt more (XCLAIM
--     increments the count): until then other consumers may take them (the lease went elsewhere, as the contract
--     wants it where there is another worker); on the first poll every lease of the consumer goes out again, the
--     expired ones with one attempt more, the live ones renewed with the attempt unchanged (XCLAIM JUSTID), so a
--     worker that reconnects gets its own unacknowledged records first;
-- (2) expired leases of other consumers (idle >= visibility), one attempt more;
-- (3) new entries (XREADGROUP '>'); those the group's filter does not take are acknowledged at once, never delivered.
-- (2) and (3) only while the pending count stays within the allowance and max_outstanding. (1) needs no room: those
-- records are pending for this consumer already.
-- An entry whose record is gone (erased, trimmed) is acknowledged and skipped.
--
-- Returns {-1} when the group does not exist, else {1, now ms (Redis clock), visibility ms, pending count after,
-- 1 when more may be waiting, then for each delivery: entry id, attempt, record id, record JSON}.

local stream, records, settings_key = KEYS[1], KEYS[2], KEYS[3]
local group, consumer = ARGV[1], ARGV[2]
local first = ARGV[3] == '1'
local max_outstanding = tonumber(ARGV[4])
local allowance = tonumber(ARGV[5])

-- The consumer's own leases listed at most: max_outstanding is at most 1000, so this sees all it may hold.
local OWN_LISTED = 1000
-- New entries read per poll at most, matching or not: bounds the script's time when the filter passes over many.
local READ_LIMIT = 1000
-- Expired leases of other consumers listed per poll at most.
local EXPIRED_LISTED = 1000
-- Twice the longest pause between the polls of a stream (FollowUpPump.MaxPause): time enough for any other
-- connected worker of the group with room to poll and take an expired lease first.
local OWN_GRACE = 1000

local settings = redis.call('HGET', settings_key, group)
if not settings then
  return {-1}
end
local visibility, matches = group_filter(settings)

local own = redis.pcall('XPENDING', stream, group, '-', '+', OWN_LISTED, consumer)
if own.err then
  -- NOGROUP: the stream or its consumer group is gone.
  return {-1}
end

local now = now_ms()

local pending = #own
local ids, attempts, record_ids = {}, {}, {}
local function lease(id, attempt, fields)
  ids[#ids + 1] = id
  attempts[#attempts + 1] = attempt
  record_ids[#record_ids + 1] = entry_field(fields, 'id') or ''
end

-- (1) The consumer's own leases.
local expired, expired_attempts, renewed, renewed_attempts = {}, {}, {}, {}
for _, p in ipairs(own) do
  if p[3] >= visibility and (first or p[3] >= visibility + OWN_GRACE) then
    expired[#expired + 1] = p[1]
    expired_attempts[p[1]] = p[4] + 1
  elseif first and p[3] < visibility then
    renewed[#renewed + 1] = p[1]
    renewed_attempts[p[1]] = p[4]
  end
end
-- Entries deleted from the stream meanwhile are not claimed: XCLAIM drops them from the pending list.
if #expired > 0 then
  local claimed = redis.call('XCLAIM', stream, group, consumer, visibility, unpack(expired))
  pending = pending - (#expired - #claimed)
  for _, entry in ipairs(claimed) do
    lease(entry[1], expired_attempts[entry[1]], entry[2])
  end
end
if #renewed > 0 then
  -- JUSTID: the lease is renewed (idle back to 0) without counting a delivery: a renewal is not a new attempt.
  local count = #renewed
  renewed[count + 1] = 'JUSTID'
  local claimed = redis.call('XCLAIM', stream, group, consumer, 0, unpack(renewed))
  pending = pending - (count - #claimed)
  for _, id in ipairs(claimed) do
    local entry = redis.call('XRANGE', stream, id, id)
    lease(id, renewed_attempts[id], entry[1] and entry[1][2] or {})
  end
end

local room = math.min(allowance, max_outstanding) - pending
-- More may be waiting when the room given was used up (no room given says nothing either way).
local had_room = room > 0
local more = false

-- (2) Expired leases of other consumers. XPENDING IDLE lists them (and this consumer's own in their grace, passed
-- over here); XAUTOCLAIM would claim this consumer's own expired leases too, before their grace is over. The listing
-- walks the group's pending entries (at most max_outstanding per consumer) until it has EXPIRED_LISTED of them.
if room > 0 then
  local candidates = {}
  local listed = redis.call('XPENDING', stream, group, 'IDLE', visibility, '-', '+', EXPIRED_LISTED)
  for _, p in ipairs(listed) do
    if p[2] ~= consumer then
      candidates[#candidates + 1] = p
    end
  end
  if #candidates > room then
    more = true
  end
  local ids, counts = {}, {}
  for i = 1, math.min(room, #candidates) do
    ids[i] = candidates[i][1]
    counts[candidates[i][1]] = candidates[i][4]
  end
  if #ids > 0 then
    -- Entries deleted from the stream meanwhile are not claimed: XCLAIM drops them from the pending list.
    for _, entry in ipairs(redis.call('XCLAIM', stream, group, consumer, visibility, unpack(ids))) do
      lease(entry[1], counts[entry[1]] + 1, entry[2])
      pending = pending + 1
      room = room - 1
    end
  end
end

-- (3) New entries.
local read = 0
while room > 0 do
  if read >= READ_LIMIT then
    more = true
    break
  end
  local count = math.min(room, READ_LIMIT - read)
  local reply = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, '>')
  if not reply then
    break
  end
  local entries = reply[1][2]
  read = read + #entries
  local passed = {}
  for _, entry in ipairs(entries) do
    if matches(entry[2]) then
      lease(entry[1], 1, entry[2])
      pending = pending + 1
      room = room - 1
    else
      passed[#passed + 1] = entry[1]
    end
  end
  if #passed > 0 then
    redis.call('XACK', stream, group, unpack(passed))
  end
  if #entries < count then
    break
  end
end
if had_room and room <= 0 then
  more = true
end

local result = {1, now, visibility, 0, more and 1 or 0}
if #ids > 0 then
  local lookup = {}
  for i, record_id in ipairs(record_ids) do
    lookup[i] = record_id ~= '' and record_id or '-'
  end
  local jsons = redis.call('HMGET', records, unpack(lookup))
  for i, id in ipairs(ids) do
    if jsons[i] then
      result[#result + 1] = id
      result[#result + 1] = attempts[i]
      result[#result + 1] = record_ids[i]
      result[#result + 1] = jsons[i]
    else
      redis.call('XACK', stream, group, id)
      pending = pending - 1
    end
  end
end
result[4] = pending
return result
