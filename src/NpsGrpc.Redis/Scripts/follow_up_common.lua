-- Shared by the scripts that touch the follow-up queue (the follow-up scripts, apply and erase): Scripts.WithFollowUpCommon
-- puts it before each of them when it loads them.

-- The value of a field of a stream entry (its fields as Redis gives them: name, value, name, value, ...).
local function entry_field(fields, name)
  for i = 1, #fields, 2 do
    if fields[i] == name then
      return fields[i + 1]
    end
  end
  return nil
end

-- The current time by the Redis clock, in ms (the clock the idle times of leases are measured by).
local function now_ms()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- A group's settings, '<categories csv>|<only with comment 1/0>|<visibility ms>', as the visibility timeout (ms)
-- and a function telling whether the group takes a stream entry (its fields: id, s score, c 1 with a comment).
-- Categories as the contract numbers them: 1 detractor (0-6), 2 passive (7-8), 3 promoter (9-10).
local function group_filter(settings)
  local csv, only_with_comment, visibility = string.match(settings, '^([%d,]*)|([01])|(%d+)$')
  local wanted = {}
  for category in string.gmatch(csv, '%d+') do
    wanted[tonumber(category)] = true
  end
  local function takes(fields)
    local score = tonumber(entry_field(fields, 's'))
    if not score then
      return false
    end
    local category = score <= 6 and 1 or (score <= 8 and 2 or 3)
    return wanted[category] == true and (only_with_comment == '0' or entry_field(fields, 'c') == '1')
  end
  return tonumber(visibility), takes
end

-- The consumer groups of a follow-up stream, each as its fields (name, pending, last-delivered-id, lag, ...) by name;
-- none when the stream does not exist.
local function stream_groups(stream)
  if redis.call('EXISTS', stream) == 0 then
    return {}
  end
  local groups = {}
  for _, group in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
    -- Each group is a flat list of field, value pairs (RESP2).
    local fields = {}
    for i = 1, #group, 2 do
      fields[group[i]] = group[i + 1]
    end
    groups[#groups + 1] = fields
  end
  return groups
end
