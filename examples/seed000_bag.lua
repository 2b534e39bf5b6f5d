-- Seed 000's dask.bag example: map and filter over a small sequence.
--   b = db.from_sequence([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
--   b.map(squared).compute()
--   b.filter(iseven).compute()
-- The functions are traced while compiling: Lua's == cannot be overloaded for numbers, so
-- iseven compares with :eq (x % 2 == 0 would be a plain false, and cdaskc says so).
local db = require("cdask.bag")

local function iseven(n)
  return (n % 2):eq(0)
end

local function squared(x)
  return x ^ 2
end

local b = db.from_sequence({ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })
db.print(b:map(squared):compute(), "map")
db.print(b:filter(iseven):compute(), "filter")
