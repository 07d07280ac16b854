-- Creates a follow-up group on one product's stream of records, or checks the settings of the one that exists.
-- Settings and consumer group are created together, so a group never exists with settings other than its own.
--
-- KEYS[1]: the group settings hash (prefix:{product}:fug), KEYS[2]: the stream (prefix:{product}:fu).
-- ARGV[1]: the group, ARGV[2]: its settings ('<categories csv>|<only with comment 1/0>|<visibility ms>'),
-- ARGV[3]: the id the group starts after: '$' (the last entry now: every record added later is delivered), or the
-- id just before the first millisecond of a start time.
-- Returns 1 when it created the group, 0 when it existed with these settings, or the settings it has when they differ.

local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing and existing ~= ARGV[2] then
  return existing
end

-- BUSYGROUP (it exists) is the common answer and says nothing is wrong. With settings but no consumer group, the
-- stream was deleted under it: the group starts again now, since there is nothing older to deliver anyway.
local created = redis.pcall('XGROUP', 'CREATE', KEYS[2], ARGV[1], existing and '$' or ARGV[3], 'MKSTREAM')
if type(created) == 'table' and created.err and not string.find(created.err, 'BUSYGROUP', 1, true) then
  return redis.error_reply(created.err)
end

if existing then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
