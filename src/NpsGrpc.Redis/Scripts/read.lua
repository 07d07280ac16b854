-- Reads many tally hashes of one product in one round trip (one slot: same hash tag).
-- KEYS[1]: the all-time tally of the product or segment, to tell "never counted" from "nothing in these buckets".
-- KEYS[2..]: the tallies to read.
-- Returns: 1 or 0 (KEYS[1] exists), then for each of KEYS[2..] its eleven counts (score 0 to 10), 0 where absent.
local result = { redis.call('EXISTS', KEYS[1]) }
for i = 2, #KEYS do
  local counts = redis.call('HMGET', KEYS[i], '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10')
  for s = 1, 11 do
    result[#result + 1] = tonumber(counts[s] or '0')
  end
end
return result
