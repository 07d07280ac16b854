-- Reads where one follow-up group stands on one product. Reads only.
--
-- KEYS[1]: the stream (prefix:{product}:fu), KEYS[2]: the records hash (prefix:{product}:rec),
-- KEYS[3]: the group settings hash (prefix:{product}:fug), KEYS[4]: the done counts hash (prefix:{product}:fuc),
-- KEYS[5]: the group's done-times sorted set (prefix:{product}:fud:<group>).
-- ARGV[1]: group, ARGV[2]: start of the interval of done times (ms, inclusive), ARGV[3]: its end (ms, exclusive).
--
-- Waiting: the entries after the group's last delivered id that its filter takes. They are counted by reading
-- them, at most SCAN_LIMIT entries (about 10 ms of Redis time); past that, the rest is estimated from the group's
-- lag (entries after the last delivered one, which Redis keeps) at the share of matches among those read, and
-- when Redis does not know the lag (entries were deleted after the last delivered one), the count is of those read.
-- The oldest waiting record is the first match found.
-- Times to done: every one in the interval while there are at most SAMPLE of them, else SAMPLE of them evenly
-- spaced by done time (the median of those stands for the median of all).
-- Returns {-1} when the group was never created, else {waiting, in progress, done, answered_at (µs string) of the
-- oldest waiting record or '', done in the interval, then the times to done (ms) to take the median of}.

local stream, records, settings_key, counts, done_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local group = ARGV[1]
local SCAN_LIMIT = 10000
local CHUNK = 500
local SAMPLE = 10001

local settings = redis.call('HGET', settings_key, group)
if not settings then
  return {-1}
end
local _, takes = group_filter(settings)

local info
for _, fields in ipairs(stream_groups(stream)) do
  if fields.name == group then
    info = fields
  end
end
if not info then
  -- Settings without a consumer group: the stream was deleted; the next StreamFollowUps call creates it again.
  info = {pending = 0, ['last-delivered-id'] = '0-0', lag = 0}
end

local waiting, scanned, oldest = 0, 0, ''
local after = '(' .. info['last-delivered-id']
local complete = false
while scanned < SCAN_LIMIT do
  local entries = redis.call('XRANGE', stream, after, '+', 'COUNT', math.min(CHUNK, SCAN_LIMIT - scanned))
  for _, entry in ipairs(entries) do
    local fields = entry[2]
    if takes(fields) then
      waiting = waiting + 1
      if oldest == '' then
        local json = redis.call('HGET', records, entry_field(fields, 'id') or '')
        if json then
          oldest = cjson.decode(json).t or ''
        end
      end
    end
  end
  scanned = scanned + #entries
  if #entries < CHUNK then
    complete = true
    break
  end
  after = '(' .. entries[#entries][1]
end
local lag = tonumber(info['lag'])
if not complete and lag and lag > scanned and scanned > 0 then
  waiting = waiting + math.floor((lag - scanned) * waiting / scanned + 0.5)
end

local done = tonumber(redis.call('HGET', counts, group) or '0')
local start, stop = ARGV[2], '(' .. ARGV[3]
local in_interval = redis.call('ZCOUNT', done_key, start, stop)
local result = {waiting, tonumber(info['pending']), done, oldest, in_interval}

local function duration(member)
  return tonumber(string.match(member, ':(%d+)$'))
end
if in_interval <= SAMPLE then
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', done_key, start, stop)) do
    result[#result + 1] = duration(member)
  end
else
  local first = redis.call('ZCOUNT', done_key, '-inf', '(' .. start)
  for k = 0, SAMPLE - 1 do
    local rank = first + math.floor(k * (in_interval - 1) / (SAMPLE - 1))
    result[#result + 1] = duration(redis.call('ZRANGE', done_key, rank, rank)[1])
  end
end
return result
