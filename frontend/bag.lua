-- bag.lua: the Bag object of cdask.bag (db), embedded into cdaskc (frontend/lua_bag.c
-- loads it with the table of its C helpers). A Bag is a Series of the dataframe layer
-- whose values are its elements: map and filter call the user's function once, while
-- compiling, with that Series (its arithmetic and :eq, :lt, ... build the scan's
-- expressions: the function is traced, never run per element), and the reductions are
-- the Series' own. So a bag compiles into the same fused scan per block as a frame, with
-- the same in-order merges: the results are the same for any thread count.
local db = ...
local dd = require("cdask.dataframe")

local Bag = {}
Bag.__index = Bag
Bag.__name = "cdask.bag.Bag"

local function is_bag(x)
  return getmetatable(x) == Bag
end

local function fail(fmt, ...)
  db._error(string.format(fmt, ...))
end

-- s: the Series of the elements; pairs: a computed Series of (item, count) tuples
local function new(s, npartitions, pairs)
  return setmetatable({ _s = s, npartitions = npartitions, _pairs = pairs }, Bag)
end

local function values(b, what)
  if b._pairs then
    fail("%s of a bag of (item, count) pairs (frequencies) is not supported yet", what)
  end
  return b._s
end

-- The user's function f traced on the Series s: a Series, or a clear error
local function trace(f, s, what)
  if type(f) ~= "function" then
    fail("%s: expected a function, got %s", what, type(f))
  end
  local r = f(s)
  if type(r) == "boolean" then
    fail(
      "%s: the function returned a Lua boolean; Lua compares a traced element with a number "
        .. "without asking cdask (x %% 2 == 0 is always false): write (x %% 2):eq(0), x:lt(3), "
        .. "x:ne(y), ...",
      what
    )
  end
  if not db._is_series(r) then
    fail("%s: the function returned %s; it must compute from its argument", what, type(r))
  end
  return r
end

local function option(opts, key)
  if opts == nil then
    return nil
  end
  if type(opts) ~= "table" then
    fail("options must be a table, got %s", type(opts))
  end
  return opts[key]
end

-- Dask's from_sequence: about 10 sqrt(n) partitions, one element each up to 100
local function partition_size(n, opts)
  local size, parts = option(opts, "partition_size"), option(opts, "npartitions")
  if size and parts then
    fail("from_sequence: give partition_size or npartitions, not both")
  end
  for _, v in ipairs({ size or 1, parts or 1 }) do
    if math.type(v) ~= "integer" or v < 1 then
      fail("from_sequence: partition_size and npartitions must be positive integers")
    end
  end
  if parts then
    return n <= 100 and math.ceil(n / parts) or math.max(1, n // parts)
  end
  if size then
    return size
  end
  return n <= 100 and 1 or math.ceil(math.sqrt(n) / 10)
end

function db.from_sequence(seq, opts)
  if type(seq) ~= "table" then
    fail("from_sequence: expected a Lua sequence (a table), got %s", type(seq))
  end
  local n = #seq
  local size = math.max(1, partition_size(n, opts))
  return new(db._values(seq, size), (n + size - 1) // size)
end

function db.range(n, opts)
  if math.type(n) ~= "integer" or n < 0 then
    fail("range: n must be a non-negative integer")
  end
  local parts = option(opts, "npartitions") or 1
  if math.type(parts) ~= "integer" or parts < 1 then
    fail("range: npartitions must be a positive integer")
  end
  -- the elements 0 .. n - 1 as an arange's blocks of about n / npartitions
  local da = require("cdask.array")
  local chunk = math.max(1, (n + parts - 1) // parts)
  local frame = dd.from_arrays({ { "x", da.arange(n, { chunks = chunk }) } }, { npartitions = parts })
  return new(frame.x, parts)
end

function Bag:map(f)
  return new(trace(f, values(self, "map"), "map"), self.npartitions)
end

local function mask(b, pred, what)
  local m = trace(pred, values(b, what), what)
  if db._type(m) ~= "bool" then
    fail("%s: the predicate returned a Series of %s; comparisons (x:eq(0), x:lt(3)) make bools", what,
      db._type(m))
  end
  return m
end

function Bag:filter(pred)
  return new(self._s:loc(mask(self, pred, "filter")), self.npartitions)
end

function Bag:remove(pred)
  return new(self._s:loc(~mask(self, pred, "remove")), self.npartitions)
end

for _, name in ipairs({ "sum", "min", "max", "count", "mean" }) do
  Bag[name] = function(self)
    return values(self, name)[name](self._s)
  end
end

-- Dask's frequencies: (item, count) pairs in order of first appearance, or by count
-- descending (sort = true; ties keep that order)
function Bag:frequencies(sort)
  if type(sort) == "table" then
    sort = sort.sort
  end
  return new(nil, 1, values(self, "frequencies"):value_counts({ sort = sort == true }))
end

-- The k largest elements, largest first (equal ones in order of appearance)
function Bag:topk(k, key)
  if key ~= nil then
    fail("topk: a key function is not supported yet")
  end
  if math.type(k) ~= "integer" or k < 0 then
    fail("topk: k must be a non-negative integer")
  end
  return new(values(self, "topk"):nlargest(k), 1)
end

-- The distinct elements in order of first appearance
function Bag:distinct()
  return new(values(self, "distinct"):drop_duplicates(), 1)
end

function Bag:compute()
  return self
end

function Bag:__tostring()
  return string.format("dask.bag<%s, npartitions=%d>", self._pairs and "frequencies" or "bag",
    self.npartitions)
end

function db.print(x, label)
  if is_bag(x) then
    db._print(x._pairs or x._s, label, x._pairs ~= nil)
  else
    db._print(x, label)
  end
end

return db
