-- Applies one revenue record to its id's latest state, atomically (LatestStateScript).
-- KEYS: 1 the id's latest hash, 2 its history, 3 totals, 4 top
-- ARGV: 1 version, 2 id, 3 numeric_id (0 or 1), 4 revenue (decimal), 5 revenue_units (integer),
--       6 revenue_counter, 7 timestamp, 8 history member (version, a space, the record's JSON),
--       9 history limit, 10 the changes channel
-- Returns 2 when the record became the id's latest, 1 when it already was (the same version),
-- 0 when the id has a newer one.
local version = ARGV[1]

-- Every record goes into the history, which keeps the newest ARGV[9]: members sort by version (all
-- scores are 0), so the history is the same whatever order the records came in.
redis.call('ZADD', KEYS[2], 0, ARGV[8])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[9]) + 1))

-- Versions have one fixed width and compare byte by byte, whatever locale Lua's '<' would use.
local function newer(a, b)
  if #a ~= #b then
    return #a > #b
  end
  for i = 1, #a do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then
      return x > y
    end
  end
  return false
end

local stored = redis.call('HGET', KEYS[1], 'version')
if stored then
  if stored == version then
    return 1
  end
  if not newer(version, stored) then
    return 0
  end
end

-- Totals in whole ten-thousandths, added and subtracted by Redis's 64-bit integers: a Lua number
-- is a double, exact only to 2^53.
local function negated(units)
  if string.sub(units, 1, 1) == '-' then
    return string.sub(units, 2)
  end
  return '-' .. units
end

local old_units = redis.call('HGET', KEYS[1], 'revenue_units')
redis.call('HSET', KEYS[1],
  'id', ARGV[2], 'numeric_id', ARGV[3], 'revenue', ARGV[4], 'revenue_units', ARGV[5],
  'revenue_counter', ARGV[6], 'timestamp', ARGV[7], 'version', version)
if not stored then
  redis.call('HINCRBY', KEYS[3], 'ids', 1)
end
if old_units ~= ARGV[5] then
  if old_units and old_units ~= '0' then
    redis.call('HINCRBY', KEYS[3], 'revenue_units', negated(old_units))
  end
  if ARGV[5] ~= '0' then
    redis.call('HINCRBY', KEYS[3], 'revenue_units', ARGV[5])
  else
    redis.call('HINCRBY', KEYS[3], 'revenue_units', 0)
  end
end
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[2])
redis.call('PUBLISH', ARGV[10], ARGV[2])
return 2
