-- Marks deliveries of one product done, atomically and idempotently.
--
-- KEYS[1]: the stream (prefix:{product}:fu), KEYS[2]: the records hash (prefix:{product}:rec),
-- KEYS[3]: the group settings hash (prefix:{product}:fug), KEYS[4]: the done counts hash (prefix:{product}:fuc,
-- field group), then one done-times sorted set per group named (prefix:{product}:fud:<group>: score the done time
-- in ms, member '<record id>:<ms from answer to done>', what GetFollowUpBacklog takes the median from).
-- ARGV[1]: how long those sets keep a done time (ms; older ones are dropped); ARGV[2]: the number of acknowledgements,
-- then for each: group, the KEYS index of its done-times set, stream entry id, consumer, outcome number, note.
--
-- A delivery pending for its consumer is acknowledged (XACK), and the record gets
-- {"g": group, "w": consumer, "o": outcome, "n": note, "d": done ms} appended to its "f". Pending for another
-- consumer: its lease went there, the acknowledgement is stale. Not pending: taken when the record holds this
-- group's acknowledgement by this consumer (a repeat), stale when by another; otherwise unknown, as it is when the
-- group, the entry or the record does not exist. The attempt of the ack id is not checked: a worker that holds the
-- record again after its lease expired did the work either way.
-- Returns one code per acknowledgement: 1 taken, 0 unknown, 2 stale lease.

local stream, records, settings_key, counts = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local TAKEN, UNKNOWN, STALE = 1, 0, 2

local now = now_ms()

local function record_id_of(entry_id)
  local entry = redis.call('XRANGE', stream, entry_id, entry_id)
  return entry[1] and entry_field(entry[1][2], 'id')
end

local function acknowledge(group, done_key, entry_id, consumer, outcome, note)
  if redis.call('HEXISTS', settings_key, group) == 0 then
    return UNKNOWN
  end
  local pending = redis.pcall('XPENDING', stream, group, entry_id, entry_id, 1)
  if pending.err then
    return UNKNOWN
  end
  local record_id = record_id_of(entry_id)
  local json = record_id and redis.call('HGET', records, record_id)

  if pending[1] then
    if pending[1][2] ~= consumer then
      return STALE
    end
    redis.call('XACK', stream, group, entry_id)
    if not json then
      -- The record was erased or trimmed while leased: nothing to keep the outcome with.
      return UNKNOWN
    end
    local record = cjson.decode(json)
    local results = record.f or {}
    results[#results + 1] = {g = group, w = consumer, o = tonumber(outcome), n = note, d = tostring(now)}
    record.f = results
    redis.call('HSET', records, record_id, cjson.encode(record))
    -- "t" is answered_at in µs, a decimal string of at most 16 digits: exact as a Lua number.
    local answered_ms = math.floor(tonumber(record.t) / 1000)
    redis.call('ZADD', done_key, now, record_id .. ':' .. math.max(0, now - answered_ms))
    redis.call('HINCRBY', counts, group, 1)
    return TAKEN
  end

  if not json then
    return UNKNOWN
  end
  for _, result in ipairs(cjson.decode(json).f or {}) do
    if result.g == group then
      return result.w == consumer and TAKEN or STALE
    end
  end
  return UNKNOWN
end

local codes = {}
local trimmed = {}
local a = 3
for i = 1, tonumber(ARGV[2]) do
  local done_key = KEYS[tonumber(ARGV[a + 1])]
  codes[i] = acknowledge(ARGV[a], done_key, ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5])
  if codes[i] == TAKEN and not trimmed[done_key] then
    trimmed[done_key] = true
    redis.call('ZREMRANGEBYSCORE', done_key, '-inf', '(' .. (now - tonumber(ARGV[1])))
  end
  a = a + 6
end
return codes
