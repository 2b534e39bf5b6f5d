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
Bag.__name = "cdask.bag.Bag"
local StrAccessor = {}

local function is_bag(x)
  return getmetatable(x) == Bag
end

-- A frame: of records, x.actor of a record (a nested object's fields)
local function is_frame(x)
  local mt = type(x) == "userdata" and getmetatable(x)
  return mt and mt.__name == "cdask.dataframe.DataFrame" or false
end

local function fail(fmt, ...)
  db._error(string.format(fmt, ...))
end

-- A C kernel of cd.cfile (k.f): called on a traced element, it is a call in the scan's loop
local function is_kernel(f)
  local mt = type(f) == "userdata" and getmetatable(f)
  return mt and mt.__name == "cdask.kernel" or false
end

-- A bag: s, the Series of its elements, or one of two shapes the elements cannot be yet:
-- pairs, frequencies' (item, count) tuples (a value_counts of s); lists, str.split's lists
-- of the strings s (split at sep), which flatten makes elements again; jlist, s is a JSON
-- field that holds arrays (Python's lists: db._list_items).
local function new(s, npartitions, name, shape)
  local b = { _s = s, npartitions = npartitions, _name = name }
  for k, v in pairs(shape or {}) do
    b[k] = v
  end
  return setmetatable(b, Bag)
end

local function values(b, what)
  if b._groups then
    fail("%s of a bag of groups is not supported yet: map them to (key, total) first", what)
  end
  if b._tuple then
    fail("%s of a bag of tuples (db.zip) is not supported yet: starmap or map them first", what)
  end
  if b._frame then
    fail("%s of a bag of records (JSON objects) is not supported yet: pluck a field first", what)
  end
  if b._pairs then
    fail("%s of a bag of (item, count) pairs (frequencies) is not supported yet", what)
  end
  if b._lists then
    fail("%s of a bag of lists (str.split) is not supported yet: flatten it first", what)
  end
  if b._jlist then
    fail("%s of a bag of lists (a JSON field that holds arrays) is not supported yet: flatten "
      .. "it first, or map each list to its length (function(x) return #x end)", what)
  end
  if b._shaped then
    fail("%s of a bag of the lists, tuples or dicts a map made is not supported yet", what)
  end
  return b._s
end

function Bag.__index(b, key)
  if key == "str" then
    return setmetatable({ _bag = b }, StrAccessor)
  end
  local m = Bag[key]
  local depth = db._tracing(0)
  if type(m) ~= "function" or depth <= 0 then
    return m
  end
  -- b:mean() inside a traced function is of the bag b, not of the traced element (whose
  -- reductions are refused while tracing, lua_frame.c): run outside the tracing
  return function(...)
    db._tracing(-depth)
    local r = table.pack(pcall(m, ...))
    db._tracing(depth)
    if not r[1] then
      error(r[2], 0)
    end
    return table.unpack(r, 2, r.n)
  end
end

-- What the user's function returned, r: a Series, or a clear error
local function check_traced(r, what)
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
  db._check_fields(r, what)
  return r
end

-- f(...), the user's function called on traced values: meanwhile tostring of a Series is
-- an error (the repr of the symbolic element, not each element's str; lua_frame.c)
local function call(f, ...)
  db._tracing(1)
  local r = table.pack(pcall(f, ...))
  db._tracing(-1)
  if not r[1] then
    error(r[2], 0)
  end
  return table.unpack(r, 2, r.n)
end

-- The user's function f traced on the Series s: a Series, or a clear error
local function trace(f, s, what)
  if type(f) ~= "function" and not is_kernel(f) then
    fail("%s: expected a function, got %s", what, type(f))
  end
  return check_traced(call(f, s), what)
end

-- db.list{a, b}: Python's list [a, b] in what a map's function returns; db.dict{{"k", v},
-- ...}: the dict {'k': v, ...}, its keys in that order (a Lua table has none). A plain Lua
-- sequence {a, b} is the tuple (a, b), and {k = v} the dict of one key.
local Shape = {}
function db.list(items)
  if type(items) ~= "table" then
    fail("db.list: expected a Lua sequence of the list's items, got %s", type(items))
  end
  return setmetatable({ _list = items }, Shape)
end

function db.dict(pairs_)
  if type(pairs_) ~= "table" then
    fail("db.dict: expected a sequence of {key, value} pairs, got %s", type(pairs_))
  end
  for k, p in ipairs(pairs_) do
    if type(p) ~= "table" or #p ~= 2 then
      fail("db.dict: item %d is not a {key, value} pair", k)
    end
  end
  return setmetatable({ _dict = pairs_ }, Shape)
end

-- Python's repr of what a map's function returned, value v, as the shape db.print writes
-- each row in (cdrt_pylist_print): its traced values and constants appended to cols
local function shape_of(v, cols)
  if type(v) == "number" or type(v) == "string" or db._is_series(v) then
    if #cols == 250 then
      fail("map: what the function returns holds more than 250 values (not supported)")
    end
    cols[#cols + 1] = db._is_series(v) and check_traced(v, "map") or v
    return "\1" .. string.char(#cols)
  end
  if type(v) ~= "table" then
    fail("map: the function returned a table holding %s%s", type(v), type(v) == "boolean"
      and " (Lua compares a traced element without asking cdask: write x:eq(0), x:lt(3), ...)" or "")
  end
  local function items(list, open, close)
    local parts = {}
    for k, item in ipairs(list) do
      parts[k] = shape_of(item, cols)
    end
    return open .. table.concat(parts, ", ") .. close
  end
  if getmetatable(v) == Shape and v._list then
    return items(v._list, "[", "]")
  end
  local pairs_ = getmetatable(v) == Shape and v._dict
  local n, keys = #v, {}
  for k in pairs(v) do
    keys[#keys + 1] = k
  end
  if not pairs_ and #keys == n and n > 0 then -- a sequence: a tuple, (x,) of one item
    return items(v, "(", n == 1 and ",)" or ")")
  end
  if not pairs_ and #keys == 0 then
    fail("map: an empty Lua table {} is Python's () or {}: write db.list{} for the empty list "
      .. "[], db.dict{} for the empty dict {}")
  end
  if not pairs_ and #keys == 1 and type(keys[1]) == "string" then
    pairs_ = { { keys[1], v[keys[1]] } }
  elseif not pairs_ then
    fail("map: a Lua table's fields have no order; give a dict as db.dict{{\"%s\", ...}, ...} "
      .. "(its keys in order), a tuple as {a, b} or a list as db.list{a, b}",
      tostring(keys[1] or "key"))
  end
  local parts = {}
  for k, p in ipairs(pairs_) do
    local key = p[1]
    if type(key) ~= "string" and math.type(key) ~= "integer" then
      fail("map: a dict's key must be a string or an integer, got %s", type(key))
    end
    parts[k] = (type(key) == "string" and db._repr(key) or tostring(key)) .. ": "
      .. shape_of(p[2], cols)
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

-- The bag of what map's function returned, the Lua table r: a tuple of two or more traced
-- values is a bag of tuples (as db.zip's); any other shape is printed and counted
local function shaped(b, r)
  local cols = {}
  local shape = shape_of(r, cols)
  local series = 0
  for _, c in ipairs(cols) do
    series = series + (db._is_series(c) and 1 or 0)
  end
  if series == 0 then -- constants only: the first (0 for [] or {}) as a Series of the elements
    cols[1] = db._const_of(b._tuple and b._tuple[1] or b._frame or b._s, cols[1] or 0)
  end
  if getmetatable(r) == nil and #cols >= 2 and series == #cols and shape:sub(1, 1) == "("
    and #shape == 4 * #cols then -- "(\1\1, \1\2)": a flat tuple
    return new(nil, b.npartitions, b._name, { _tuple = cols, _zipped = db._zip(table.unpack(cols)) })
  end
  return new(nil, b.npartitions, b._name, { _shaped = { frame = db._zip(table.unpack(cols)),
    shape = shape, cols = cols } })
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
  local copy = table.move(seq, 1, n, 1, {}) -- (for product: the script may change seq)
  return new(db._values(seq, size), (n + size - 1) // size, "from_sequence",
    { _origin = { seq = copy, psize = size, sized = option(opts, "partition_size") ~= nil,
      maps = {} } })
end

-- "128MiB", "64 kB", 1000000: bytes (Dask's parse_bytes)
local function bytes_of(v)
  if math.type(v) == "integer" then
    return v
  end
  if type(v) ~= "string" then
    fail("read_text: blocksize must be a number of bytes or a string such as \"64MiB\"")
  end
  local num, unit = v:match("^%s*([%d%.]+)%s*(%a*)%s*$")
  local scale = {
    [""] = 1, b = 1, kb = 1e3, mb = 1e6, gb = 1e9, tb = 1e12,
    kib = 2 ^ 10, mib = 2 ^ 20, gib = 2 ^ 30, tib = 2 ^ 40,
  }
  local f = unit and scale[unit:lower()]
  if not num or not tonumber(num) or not f then
    fail("read_text: cannot read blocksize \"%s\" as bytes (\"64MiB\", \"100 kB\")", v)
  end
  return math.floor(tonumber(num) * f)
end

-- compression: "infer" (a path ending in .gz is gzip, as Dask's default), "gzip" or false
local function compression_of(opts, fn, path)
  local c = option(opts, "compression")
  if c == false then
    return "none"
  elseif c ~= nil and c ~= "infer" and c ~= "gzip" then
    fail("%s: compression \"%s\" is not supported yet (\"infer\", \"gzip\" or false)", fn, tostring(c))
  end
  for _, p in ipairs(type(path) == "table" and path or { path }) do
    if c ~= "gzip" and type(p) == "string" and (p:lower():match("%.bz2$") or p:lower():match("%.xz$")) then
      fail("%s: compressed files other than gzip (%s) are not supported yet", fn, p)
    end
  end
  return c or "infer"
end

-- read_text's encoding, errors and linedelimiter (what: the function, for messages)
local function text_options(opts, what)
  local enc, errs = option(opts, "encoding"), option(opts, "errors")
  if enc ~= nil and not tostring(enc):lower():match("^utf%-?8$") then
    fail("%s: encoding \"%s\" is not supported yet (UTF-8 only)", what, tostring(enc))
  end
  if errs ~= nil and errs ~= "strict" and errs ~= "replace" and errs ~= "ignore"
      and errs ~= "backslashreplace" then
    fail("%s: errors = \"%s\" is not supported yet (\"strict\", \"replace\", \"ignore\" or "
      .. "\"backslashreplace\")", what, tostring(errs))
  end
  local delim, bs = option(opts, "linedelimiter"), option(opts, "blocksize")
  if delim ~= nil and (type(delim) ~= "string" or #delim > 8 or delim:find("\0", 1, true)) then
    fail("%s: linedelimiter must be a string of at most 8 bytes (and no \\0)", what)
  end
  if bs ~= nil and delim == "" then
    fail("%s: linedelimiter \"\" with blocksize: Dask cuts the blocks at byte offsets, "
      .. "not at line ends (leave blocksize out)", what)
  elseif bs ~= nil and (delim == "\r" or delim == "\r\n") then
    fail("%s: linedelimiter \"%s\" with blocksize: Dask's blocks turn each \"\\n\" into "
      .. "it (io.StringIO's newline), not supported (leave blocksize out)", what,
      delim == "\r" and "\\r" or "\\r\\n")
  end
  return errs or "strict", delim, bs
end

function db.read_text(path, opts)
  for _, key in ipairs({ "files_per_partition", "include_path" }) do
    if option(opts, key) ~= nil then
      fail("read_text: %s is not supported yet", key)
    end
  end
  local errs, delim, bs = text_options(opts, "read_text")
  local comp = compression_of(opts, "read_text", path)
  local s, parts = db._read_text(path, bs ~= nil and bytes_of(bs) or nil, comp, errs, delim)
  return new(s, parts, "bag-from-delayed", { _text = { path = path, opts = opts } })
end

-- A delimiter as Python writes it in a str: "\r\n", "|"
local function escaped(d)
  return (d:gsub("[%c\"\\]", function(c)
    local named = { ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t", ['"'] = '\\"', ["\\"] = "\\\\" }
    return named[c] or string.format("\\x%02x", c:byte())
  end))
end

-- JSON lines: a bag of records whose fields and types cdaskc reads from the first 1000
-- lines of the first file (sample = "all": every line of every file). With errors and
-- linedelimiter, Dask's read_text(...).map(json.loads): the lines decoded, then parsed.
function db.read_json_lines(path, opts)
  local errs, delim = text_options(opts, "read_json_lines")
  if delim ~= nil and delim:find("[^ \t\r\n]") then
    fail("read_json_lines: linedelimiter \"%s\": each element but a file's last keeps it, and "
      .. "json.loads of '{...}%s' raises (Extra data); only a delimiter of JSON whitespace "
      .. "(\" \", \"\\t\", \"\\r\", \"\\n\") can be read", escaped(delim), escaped(delim))
  end
  local sample = option(opts, "sample")
  if sample ~= nil and sample ~= "all" then
    fail("read_json_lines: sample must be \"all\" (every line) or left out (the first 1000)")
  end
  local bs = option(opts, "blocksize")
  local comp = compression_of(opts, "read_json_lines", path)
  local frame, parts = db._read_json(path, bs ~= nil and bytes_of(bs) or nil, sample == "all",
    comp, errs, delim)
  return new(nil, parts, "bag-from-delayed", { _frame = frame })
end

-- b.str: Dask's string methods of a bag of strings
StrAccessor.__index = StrAccessor
for _, name in ipairs({ "strip", "lstrip", "rstrip", "lower", "upper" }) do
  StrAccessor[name] = function(self, chars)
    local b = self._bag
    if chars ~= nil then
      fail("str.%s: characters other than whitespace are not supported yet", name)
    end
    local s = values(b, "str." .. name)
    if db._type(s) ~= "object" then
      fail("str.%s: the bag's elements are %s, not strings", name, db._type(s))
    end
    return b:map(function(x) -- (a map: db.zip of sequences traces it again)
      return x.str[name](x.str)
    end)
  end
end

-- Python's str.split: at runs of whitespace (sep nil) or at every sep; a bag of lists
function StrAccessor:split(sep)
  local b = self._bag
  if sep ~= nil and type(sep) ~= "string" then
    fail("str.split: the separator must be a string, got %s", type(sep))
  end
  local s = values(b, "str.split")
  if db._type(s) ~= "object" then
    fail("str.split: the bag's elements are %s, not strings", db._type(s))
  end
  return new(s, b.npartitions, b._name, { _lists = { sep = sep } })
end

-- The items of a flat tuple or list of what map's function returned (a shape of "\1" k
-- references in order), or nil
local function flat_items(b)
  if b._tuple then
    return b._tuple
  end
  local shape = b._shaped and b._shaped.shape
  local open, body, close = (shape or ""):match("^([%[%(])(.*)([%]%)])$")
  if not open or (open == "[") ~= (close == "]") then
    return nil
  end
  if open == "(" then
    body = body:gsub(",$", "") -- (x,): a tuple of one
  end
  local items, k = {}, 0
  for part in (body .. ", "):gmatch("(.-), ") do
    k = k + 1
    if part ~= "\1" .. string.char(k) then
      return nil
    end
    items[k] = b._shaped.cols[k]
  end
  return k > 0 and items or nil
end

-- The lists' items, in order, as the elements: str.split's words, or the items of the
-- tuples and lists a map's function returned ({x, x * 2}, db.list{...})
function Bag:flatten()
  if self._lists then
    return new(db._flatten(self._s, self._lists.sep), self.npartitions, self._name)
  end
  if self._jlist then -- a JSON field's lists: their items (a missing list has none)
    local items = db._flatten_list(self._s)
    if is_frame(items) then -- a list of objects: a bag of records, one per object
      return new(nil, self.npartitions, self._name, { _frame = items })
    end
    return new(items, self.npartitions, self._name)
  end
  local items = flat_items(self)
  if items then
    return new(db._flatten_items("flatten", table.unpack(items)), self.npartitions, self._name)
  end
  if self._shaped and self._shaped.shape == "[]" then
    fail("flatten of empty lists (db.list{}) is not supported yet: Dask's result is the empty "
      .. "bag, whose elements have no type")
  end
  fail("flatten of a bag of %s is not supported yet (flatten str.split's lists, or flat tuples "
    .. "and lists of values)", self._pairs and "pairs" or self._shaped and "nested tuples, lists "
    .. "or dicts" or "values")
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
  return new(frame.x, parts, "range")
end

-- db.json: map(db.json) of a bag read_text made reads its lines as JSON records
function db.json()
  fail("db.json is a function to map over read_text's lines: b:map(db.json)")
end

-- The element the user's function sees: a value, a record (its fields by name), or a
-- tuple (db.zip's: t[1], t[2], ... are Python's t[0], t[1], ...)
local function element(b, what)
  if b._tuple then
    return b._tuple
  end
  if b._jlist then -- a JSON list: #x is its length (Python's len)
    return b._s
  end
  return b._frame or values(b, what)
end

-- The element a step's function is traced on, of a bag made row by row: a computed bag's
-- values (distinct's, topk's, made after the scan) are not a scan's rows, so a function
-- traced on them would not run per value
local function lazy_element(b, what)
  local x = element(b, what)
  if not (b._tuple or b._jlist or b._frame) and not db._is_series(x) then
    fail("%s of a computed bag (%s) is not supported yet", what, b._name)
  end
  return x
end

local map_groups -- (with groupby, below)

function Bag:map(f)
  if self._groups then
    return map_groups(self, f)
  end
  if f == db.json then
    if not self._text then
      fail("map(db.json) reads the lines of db.read_text(...) itself (no other step between)")
    end
    return db.read_json_lines(self._text.path, self._text.opts)
  end
  if type(f) ~= "function" and not is_kernel(f) then
    fail("map: expected a function, got %s", type(f))
  end
  local x = lazy_element(self, "map")
  local r = call(f, x)
  if is_frame(r) then -- x.actor of records: the nested objects, a bag of records (pluck's)
    return new(nil, self.npartitions, self._name, { _frame = r })
  end
  if db._list_items(r) then -- x.tags of records: their lists (pluck's)
    return new(r, self.npartitions, self._name, { _jlist = true })
  end
  if type(r) == "table" then
    return shaped(self, r)
  end
  if type(r) == "number" or type(r) == "string" then -- a function that ignores its element
    r = db._const_of(self._tuple and self._tuple[1] or x, r)
  end
  local o = self._origin -- (for db.zip of other from_sequence bags: the maps from it)
  local maps = o and table.move(o.maps, 1, #o.maps, 1, {})
  if maps then
    maps[#maps + 1] = f
  end
  return new(check_traced(r, "map"), self.npartitions, self._name,
    { _origin = o and { seq = o.seq, psize = o.psize, sized = o.sized, maps = maps } })
end

local function mask(b, pred, what)
  local m = trace(pred, lazy_element(b, what), what)
  if db._is_call(m) and db._type(m) ~= "bool" then
    m = m:astype("bool") -- a C kernel's number: nonzero is true, as in C (and Python's truth)
  end
  if db._type(m) ~= "bool" then
    fail("%s: the predicate returned a Series of %s; comparisons (x:eq(0), x:lt(3)) make bools", what,
      db._type(m))
  end
  return m
end

local function select(b, m)
  if b._tuple then
    local series = {}
    for k, s in ipairs(b._tuple) do
      series[k] = s:loc(m)
    end
    return new(nil, b.npartitions, b._name, { _tuple = series, _zipped = db._zip(table.unpack(series)) })
  end
  if b._frame then
    return new(nil, b.npartitions, b._name, { _frame = b._frame:loc(m) })
  end
  return new(b._s:loc(m), b.npartitions, b._name, { _jlist = b._jlist })
end

function Bag:filter(pred)
  return select(self, mask(self, pred, "filter"))
end

function Bag:remove(pred)
  return select(self, ~mask(self, pred, "remove"))
end

-- A field of every record (Dask's pluck; default: for a record without it, else missing)
function Bag:pluck(key, default)
  if not self._frame then
    fail("pluck of a bag of %s is not supported yet (of records only)",
      self._pairs and "pairs" or "values")
  end
  if type(key) ~= "string" then
    fail("pluck of records: the key must be a field's name (a string), got %s", type(key))
  end
  -- a field, or a nested object's fields (a bag of records); arrays are errors (db._field)
  local s = db._field(self._frame, key)
  if s == nil then
    fail("pluck: no record of the first ones has a field '%s'", tostring(key))
  end
  if is_frame(s) then
    if default ~= nil then
      fail("pluck: a default for field '%s', a nested object, is not supported yet", key)
    end
    return new(nil, self.npartitions, self._name, { _frame = s })
  end
  if db._list_items(s) then -- a field that holds arrays: a bag of lists
    if default ~= nil then
      fail("pluck: a default for field '%s', which holds lists, is not supported yet", key)
    end
    return new(s, self.npartitions, self._name, { _jlist = true })
  end
  if default ~= nil then
    s = s:fillna(default)
  end
  db._check_fields(s, "pluck")
  return new(s, self.npartitions, self._name)
end

for _, name in ipairs({ "sum", "min", "max", "mean" }) do
  Bag[name] = function(self)
    return values(self, name)[name](self._s)
  end
end

-- Dask's std and var: over n (ddof = 0) unless ddof says otherwise
for _, name in ipairs({ "std", "var" }) do
  Bag[name] = function(self, ddof)
    if type(ddof) == "table" then
      ddof = ddof.ddof
    end
    local s = values(self, name)
    if db._type(s) == "object" then
      fail("%s: the bag's elements are strings", name)
    end
    return s[name](s, { ddof = ddof or 0 })
  end
end

-- Python's any and all of the elements; a missing value (Dask's None) is false
for _, name in ipairs({ "any", "all" }) do
  Bag[name] = function(self)
    local s = values(self, name)
    if db._type(s) == "float64" then
      s = s:fillna(0)
    elseif db._type(s) == "object" then
      s = s:fillna("")
    end
    return s[name](s)
  end
end

function Bag:count()
  if self._groups then
    return self._grouped["0"]:nunique()
  end
  if self._frame or self._zipped or self._shaped then
    return db._rows(self._frame or self._zipped or self._shaped.frame)
  end
  if self._pairs then
    return self._pairs:count()
  end
  if self._jlist then -- every list, None (a missing one) too
    return self._s:isna():count()
  end
  return self._s:count() -- a bag of lists has one element per string
end

-- Records are Python's dicts, which Dask's frequencies and distinct cannot hash
local function unhashable(b, what)
  if b._frame then
    fail("%s of a bag of records (JSON objects): Dask raises TypeError: unhashable type: "
      .. "'dict'; pluck a field first", what)
  end
  if b._jlist then
    fail("%s of a bag of lists (a JSON field that holds arrays): Dask raises TypeError: "
      .. "unhashable type: 'list'; flatten it first", what)
  end
end

-- Dask's frequencies: (item, count) pairs in order of first appearance, or by count
-- descending (sort = true; ties keep that order)
function Bag:frequencies(sort)
  if type(sort) == "table" then
    sort = sort.sort
  end
  unhashable(self, "frequencies")
  local s = values(self, "frequencies")
  if not db._is_series(s) then
    fail("frequencies of a computed bag (%s) is not supported yet", self._name)
  end
  return new(nil, 1, "frequencies", { _pairs = s:value_counts({ sort = sort == true }), _of = s })
end

-- The k largest elements, largest first (equal ones in order of appearance); of
-- frequencies' pairs by their count: key = function(p) return p[2] end (Dask's second);
-- of values by key(x), a traced function: heapq.nlargest's order, a stable sort by the key
-- descending (so equal keys in the bag's order, for any partitioning)
function Bag:topk(k, key)
  if math.type(k) ~= "integer" or k < 0 then
    fail("topk: k must be a non-negative integer")
  end
  if self._pairs then
    local item, count = {}, {}
    if type(key) ~= "function" or call(key, { item, count }) ~= count then
      fail("topk of (item, count) pairs: only by count is supported yet, "
        .. "key = function(p) return p[2] end")
    end
    -- the counts' order is first appearance, so a stable sort by count is Dask's heap order
    return new(nil, 1, "topk", { _pairs = self._of:value_counts():head(k), _of = self._of })
  end
  local v = values(self, "topk")
  if key ~= nil then
    if not db._is_series(v) then
      fail("topk with a key of a computed bag (%s) is not supported yet", self._name)
    end
    local kx = trace(key, v, "topk's key")
    local top = db._zip(kx, v):sort_values("0", { ascending = false }):head(k)
    return new(top["1"], 1, "topk")
  end
  if v.dtype == "object" or v.dtype == "bool" then
    -- strings (by code point, as Python compares them) or bools: pandas' nlargest has
    -- neither, the sort has both (equal elements are alike, so their order is Dask's)
    return new(v:sort_values({ ascending = false }):head(k), 1, "topk")
  end
  return new(v:nlargest(k), 1, "topk")
end

-- The distinct elements in order of first appearance
function Bag:distinct()
  unhashable(self, "distinct")
  return new(values(self, "distinct"):drop_duplicates(), 1, "distinct")
end

-- ---- fold and foldby: the binary functions traced on symbols ----
-- A symbol records what a function does to it; replay evaluates the record on Series.
local Sym = {}
local function sym(op, a, b) -- (false for an operand it does not have: a missing key
  -- would reach __index, which records a field)
  if a == nil then
    a = false
  end
  if b == nil then
    b = false
  end
  return setmetatable({ _op = op, _a = a, _b = b }, Sym)
end
for _, op in ipairs({ "add", "sub", "mul", "div", "mod", "pow", "idiv" }) do
  Sym["__" .. op] = function(a, b)
    return sym(op, a, b)
  end
end
Sym.__unm = function(a)
  return sym("unm", a)
end
local METHODS = { eq = true, ne = true, lt = true, le = true, gt = true, ge = true, isna = true,
  notna = true, fillna = true, astype = true }
Sym.__index = function(t, key)
  if METHODS[key] then
    return function(self, other)
      return sym(key, self, other)
    end
  end
  return sym("field", t, key) -- a record's field: x.size, x["size"]
end
-- k(x, ...) of a C kernel on symbols (lua_call.c calls this): the call, replayed on Series
Sym.__cdask_call = function(k, ...)
  return sym("call", k, table.pack(...))
end
local function is_sym(v)
  return getmetatable(v) == Sym
end
-- x.str:len(), x.str:lower(), ... : the field "str" called as a method (replayed as the
-- Series' str accessor); #x is Python's len(x) of a string
Sym.__call = function(f, self, ...)
  if f._op ~= "field" or not is_sym(self) or f._a ~= self then
    fail("a traced function called a value of its element (%s) that is not a method",
      tostring(f._b))
  end
  return sym("method", self, { name = f._b, args = table.pack(...) })
end
Sym.__len = function(a)
  return sym("len", a)
end
local function uses(v, s)
  if is_sym(v) and v._op == "call" then
    for i = 1, v._b.n do
      if uses(v._b[i], s) then
        return true
      end
    end
    return false
  end
  return v == s or (is_sym(v) and (uses(v._a, s) or uses(v._b, s)))
end

local BINARY = {
  add = function(a, b) return a + b end,
  sub = function(a, b) return a - b end,
  mul = function(a, b) return a * b end,
  div = function(a, b) return a / b end,
  mod = function(a, b) return a % b end,
  pow = function(a, b) return a ^ b end,
  idiv = function(a, b) return a // b end,
}

-- The record v evaluated with the symbol x standing for the element e
local function replay(v, x, e)
  if v == x then
    return e
  end
  if not is_sym(v) then
    return v
  end
  if v._op == "field" then
    if type(e) == "userdata" and not db._is_series(e) then
      return replay(v._a, x, e)[v._b]
    end
    fail("a field (.%s) of an element that is not a record", tostring(v._b))
  end
  if v._op == "method" or v._op == "len" then
    local on = v._a
    local accessor = is_sym(on) and on._op == "field" and on._b == "str"
    local base = replay(accessor and on._a or on, x, e)
    if not db._is_series(base) then
      fail("a method (%s) of an element that is not a string or a number",
        v._op == "len" and "#" or v._b.name)
    end
    if v._op == "len" then -- a list field's length (#x.t), or a string's
      return db._list_items(base) and #base or base.str:len()
    end
    local args = {}
    for i = 1, v._b.args.n do
      args[i] = replay(v._b.args[i], x, e)
    end
    local obj = accessor and base.str or base
    local m = obj[v._b.name]
    if type(m) ~= "function" then
      fail("%s has no method %s", accessor and "a string's .str" or "an element", v._b.name)
    end
    return m(obj, table.unpack(args, 1, v._b.args.n))
  end
  if v._op == "call" then
    local args = {}
    for i = 1, v._b.n do
      args[i] = replay(v._b[i], x, e)
    end
    return v._a(table.unpack(args, 1, v._b.n))
  end
  local a, b = replay(v._a, x, e), replay(v._b, x, e)
  if v._op == "unm" then
    return -a
  end
  if BINARY[v._op] then
    return BINARY[v._op](a, b)
  end
  return a[v._op](a, b)
end

-- The term a fold adds, f(x), replayed on the element e: a Series of it
local function replay_term(term, x, e, what)
  local s = replay(term, x, e)
  if not db._is_series(s) then
    fail("%s: the term added to the total must depend on the element", what)
  end
  db._check_fields(s, what)
  return s
end

-- What binop(total, x) does: "sum" of a term (total + f(x)), "count" (total + 1), "max" or
-- "min" (math.max, math.min); with the term traced on x
local function fold_rule(binop, what)
  if binop == math.max or binop == math.min then
    return binop == math.max and "max" or "min", nil
  end
  if is_kernel(binop) then
    fail("%s: a C kernel as the binary function (k.%s) is not supported: cdask cannot see what it "
      .. "computes, and a fold must be total + f(x), total + 1, math.max or math.min; write "
      .. "function(total, x) return total + k.f(x) end", what, binop.name)
  end
  if type(binop) ~= "function" then
    fail("%s: the binary function must be a function, got %s", what, type(binop))
  end
  local total, x = sym("total"), sym("x")
  local r = binop(total, x)
  if is_sym(r) and r._op == "add" then
    local term = r._a == total and r._b or r._b == total and r._a or nil
    if term ~= nil and not uses(term, total) then
      if type(term) == "number" then
        if term ~= 1 then
          fail("%s: total + %s is not supported yet (total + 1 counts)", what, tostring(term))
        end
        return "count", nil, x
      end
      return "sum", term, x
    end
  end
  fail("%s: the binary function must be total + f(x), total + 1, math.max or math.min "
    .. "(others are not supported yet)", what)
end

-- combine must add the partial results (sums and counts) or take their max or min
local function check_combine(combine, rule, what)
  if combine == nil then
    return
  end
  if rule == "max" or rule == "min" then
    if combine ~= math[rule] then
      fail("%s: combine must be math.%s for math.%s", what, rule, rule)
    end
    return
  end
  local a, b = sym("a"), sym("b")
  local r = type(combine) == "function" and combine(a, b)
  if not (is_sym(r) and r._op == "add" and ((r._a == a and r._b == b) or (r._a == b and r._b == a))) then
    fail("%s: combine must add the partial results (function(a, b) return a + b end)", what)
  end
end

local function check_zero(v, what, name)
  if v ~= nil and v ~= 0 then
    fail("%s: %s other than 0 is not supported yet (Dask adds it once per partition)", what, name)
  end
end

-- Dask's fold: a reduction by binop within partitions, combine across them
function Bag:fold(binop, combine, initial)
  local rule, term, x = fold_rule(binop, "fold")
  if combine == nil and (rule == "count" or term ~= x) then
    fail("fold: give combine = function(a, b) return a + b end (Dask combines the partitions' "
      .. "totals with the binary function otherwise)")
  end
  check_combine(combine, rule, "fold")
  if rule == "max" or rule == "min" then
    local s = values(self, "fold")
    if initial == nil then
      return s[rule](s)
    end
    -- Python's max(initial, x, ...): the largest element if larger than initial, else initial
    local clamped = db._fold_initial(s, rule, "fold", initial)
    local m = clamped[rule](clamped)
    db._seed(m, initial)
    return m
  end
  check_zero(initial, "fold", "initial")
  if initial == nil and (rule == "count" or term ~= x) then
    fail("fold: give initial = 0 (without it Dask starts each partition's total with its first "
      .. "element as it is, not f(x))")
  end
  if rule == "count" then
    return self:count()
  end
  return replay_term(term, x, lazy_element(self, "fold"), "fold"):sum()
end

-- foldby of a bag of values: per key(x), a traced function, the sum of the term, the count,
-- or the max or min of the elements (and of initial and combine_initial, when given), as one
-- groupby of (key, value) in first appearance
local function foldby_values(b, key, rule, term, x, initial, combine_initial)
  local s = values(b, "foldby")
  if not db._is_series(s) then
    fail("foldby of a computed bag (%s) is not supported yet", b._name)
  end
  if type(key) ~= "function" and not is_kernel(key) then
    fail("foldby of a bag of values: the key must be a function of the element, got %s "
      .. "(Dask would index each element with it)", type(key))
  end
  local k = trace(key, s, "foldby's key")
  local v = s
  if rule == "sum" then
    v = replay_term(term, x, s, "foldby")
  elseif rule ~= "count" then
    v = db._fold_initial(s, rule, "foldby", initial, combine_initial)
  end
  local g = db._zip(k, v):groupby("0", { sort = false })
  local r = rule == "count" and g:size() or g:agg({ { "1", rule } })
  return new(nil, 1, "foldby", { _pairs = r })
end

-- Dask's foldby: per key (a record's field name, or a function of the element), binop
-- folds the elements and combine the partitions' results: (key, total) pairs in order of
-- the keys' first appearance
function Bag:foldby(key, binop, initial, combine, combine_initial)
  if not self._frame and self._s == nil then
    values(self, "foldby") -- (its error for pairs, tuples, lists, groups)
  end
  local rule, term, x = fold_rule(binop, "foldby")
  check_combine(combine, rule, "foldby")
  if (rule == "sum" or rule == "count") and combine == nil then
    fail("foldby: give combine = function(a, b) return a + b end (Dask combines with binop "
      .. "otherwise)")
  end
  if rule ~= "max" and rule ~= "min" then
    check_zero(initial, "foldby", "initial")
    check_zero(combine_initial, "foldby", "combine_initial")
    if initial == nil then
      fail("foldby: give initial = 0 (without it Dask starts a key's total with its first "
        .. "record)")
    end
  end
  if not self._frame then
    return foldby_values(self, key, rule, term, x, initial, combine_initial)
  end
  local frame = self._frame
  local k
  if type(key) == "string" then
    if not db._has_column(frame, key) then
      fail("foldby: no record of the first ones has a field '%s'", key)
    end
    k = frame[key]
    db._check_fields(k, "foldby")
  else
    k = trace(key, frame, "foldby's key")
  end
  local cols = { { "__key", k } }
  if rule == "sum" then
    cols[2] = { "__value", replay_term(term, x, frame, "foldby") }
  elseif rule ~= "count" then
    fail("foldby: math.%s needs the element itself; of records it is not supported yet", rule)
  end
  local g = frame:assign(cols):groupby("__key", { sort = false })
  local r = rule == "count" and g:size() or g:agg({ { "__value", "sum" } })
  return new(nil, 1, "foldby", { _pairs = r })
end

-- Dask's accumulate: each running total, in order (and initial first, when given)
function Bag:accumulate(binop, initial)
  local rule, term, x = fold_rule(binop, "accumulate")
  if initial ~= nil and type(initial) ~= "number" then
    fail("accumulate: initial must be a number, got %s", type(initial))
  end
  local s = element(self, "accumulate")
  if rule == "count" then
    fail("accumulate: total + 1 is not supported yet")
  elseif rule == "sum" and term ~= x then
    if initial == nil then
      fail("accumulate: give initial (without it Dask's first total is the first element as it "
        .. "is, not f(x))")
    end
    s = replay_term(term, x, s, "accumulate")
  elseif self._frame then
    fail("accumulate of a bag of records: pluck a field first")
  end
  return new(db._accumulate(values(new(s), "accumulate"), rule, initial), self.npartitions,
    "accumulate")
end

-- The bag of tuples of frame's columns "0", "1", ... (the values of the from_sequence
-- bags in order), each bag's maps traced again on its column
local function sequence_tuples(bags, frame, n, name)
  local series = {}
  for k, b in ipairs(bags) do
    local x = new(frame[tostring(k - 1)], n, "from_sequence")
    for _, f in ipairs(b._origin.maps) do
      x = x:map(f)
    end
    series[k] = values(x, name)
  end
  return new(nil, n, name, { _tuple = series, _zipped = db._zip(table.unpack(series)) })
end

-- db.zip of bags of from_sequence's values and maps of them, not all of one sequence: as
-- Dask, partition i of each side by side, each cut to the shortest (Python's zip); the
-- tuples' values are written into the program and each bag's maps traced again on them
local function zip_sequences(bags)
  local n = bags[1].npartitions
  for k, b in ipairs(bags) do
    if b.npartitions ~= n then
      fail("zip: bag 1 has %d partitions and bag %d has %d; Dask zips bags of as many "
        .. "partitions", n, k, b.npartitions)
    end
  end
  local cols = {}
  for k = 1, #bags do
    cols[k] = {}
  end
  for part = 0, n - 1 do
    local len = math.huge
    for _, b in ipairs(bags) do
      local o = b._origin
      len = math.min(len, math.max(0, math.min(o.psize, #o.seq - part * o.psize)))
    end
    for k, b in ipairs(bags) do
      local o = b._origin
      for i = 1, len do
        cols[k][#cols[k] + 1] = o.seq[part * o.psize + i]
      end
    end
  end
  -- each bag's partitions but its last are full (from_sequence's), so every cut one but
  -- the last has the smallest partition size: the source's blocks are Dask's partitions
  local size = math.huge
  for _, b in ipairs(bags) do
    size = math.min(size, b._origin.psize)
  end
  return sequence_tuples(bags, db._pairs(size, table.unpack(cols)), n, "zip")
end

-- Dask's zip: the bags' elements side by side as tuples. The bags must be one bag's
-- elements under the same filters (Dask pairs them by position in each partition).
function db.zip(...)
  local bags, series = { ... }, {}
  if #bags == 0 then
    fail("zip: give at least one bag")
  end
  local sequences, one = true, true
  for k, b in ipairs(bags) do
    if not is_bag(b) then
      fail("zip: argument %d is not a bag", k)
    end
    series[k] = values(b, "zip")
    sequences = sequences and b._origin ~= nil
    one = one and b._origin and b._origin.seq == bags[1]._origin.seq
  end
  if sequences and not one then
    return zip_sequences(bags)
  end
  local frame = db._zip_rows(table.unpack(series))
  return new(nil, bags[1].npartitions, "zip", { _tuple = series, _zipped = frame })
end

-- Dask's product: (a, b) for every element a of self and b of other, partition i of self
-- with partition j of other as itertools.product(part_i, part_j), for i, then j: the
-- order depends on the partitions, so both bags must be from_sequence's as it made them,
-- whose partitions Dask 2022.12 and later count alike (up to 100 elements, or by
-- partition_size); the pairs are written into the program
function Bag:product(other)
  if not is_bag(other) then
    fail("product: expected a bag, got %s", type(other))
  end
  for _, b in ipairs({ self, other }) do
    if not b._origin then
      fail("product of a bag other than db.from_sequence's values (and maps of them) is "
        .. "not supported yet: Dask's order follows both bags' partitions")
    end
    if #b._origin.seq > 100 and not b._origin.sized then
      fail("product of a bag of more than 100 elements: give from_sequence a partition_size "
        .. "(Dask's count of its partitions changed after 2022.12)")
    end
  end
  local left, right = {}, {}
  local a, b = self._origin.seq, other._origin.seq
  local sa, sb = self._origin.psize, other._origin.psize
  if #a * #b > 10000000 then
    fail("product: %d pairs would be written into the program (at most 10000000)", #a * #b)
  end
  for i = 1, #a, sa do
    for j = 1, #b, sb do
      for x = i, math.min(i + sa - 1, #a) do
        for y = j, math.min(j + sb - 1, #b) do
          left[#left + 1], right[#right + 1] = a[x], b[y]
        end
      end
    end
  end
  -- Dask's partitions are of one size when each bag's are: the source's blocks then
  local function one_size(x)
    local o = x._origin
    return (#o.seq % o.psize == 0 or x.npartitions <= 1) and math.min(o.psize, #o.seq)
  end
  local ka, kb = one_size(self), one_size(other)
  local frame = db._pairs(ka and kb and ka * kb or 0, left, right)
  local n = math.max(self.npartitions, 1) * math.max(other.npartitions, 1)
  return sequence_tuples({ self, other }, frame, n, "product")
end

-- Dask's starmap: f(*element) of a bag of tuples
function Bag:starmap(f)
  if not self._tuple then
    fail("starmap of a bag that is not of tuples (db.zip makes them) is not supported yet")
  end
  if type(f) ~= "function" and not is_kernel(f) then
    fail("starmap: expected a function, got %s", type(f))
  end
  local s = trace(function() return f(table.unpack(self._tuple)) end, nil, "starmap")
  return new(s, self.npartitions, self._name)
end

-- Dask's map_partitions, for a function that makes its partition's elements one by one
-- (map, filter, pluck, str, ...): the same function of the whole bag. A function of a
-- partition as a whole (its sum, its length) depends on the partitioning.
local WHOLE = { frequencies = true, topk = true, distinct = true, foldby = true, accumulate = true }
function Bag:map_partitions(f)
  if type(f) ~= "function" then
    fail("map_partitions: expected a function, got %s", type(f))
  end
  local r = f(self)
  if not is_bag(r) or WHOLE[r._name] then
    fail("map_partitions: the function must return its partition's elements made one by one "
      .. "(map, filter, pluck, str, ...); a result of the partition as a whole (%s) depends on "
      .. "the partitioning and is not supported", is_bag(r) and r._name or type(r))
  end
  r.npartitions = self.npartitions
  return r
end

-- Dask's to_dataframe: a frame of the records (their fields as columns) or of the tuples
-- (columns "0", "1", ...): cdask.dataframe's, with its operations
function Bag:to_dataframe()
  if self._frame then
    db._check_fields(self._frame, "to_dataframe")
    local nested = db._nested_fields(self._frame)
    if nested then
      fail("to_dataframe of records with a field that is a nested object or an array ('%s') "
        .. "is not supported: pandas keeps each as a dict or list in a column of objects; "
        .. "pluck the object (b:pluck(\"actor\"):to_dataframe()) or map its fields first", nested)
    end
    return self._frame
  end
  if self._tuple then
    return self._zipped
  end
  local s = values(self, "to_dataframe")
  if not db._is_series(s) then
    fail("to_dataframe of a computed bag (%s) is not supported yet", self._name)
  end
  return db._zip(s) -- Dask's one column 0 (pd.DataFrame of the elements)
end

-- Dask's groupby: (key, [elements with that key]) for each key in order of first appearance
-- (Dask's for one partition; its shuffle's for several), each group's elements in the bag's
-- order (db.print orders them, runtime/pylist.c)
function Bag:groupby(key, opts)
  for _, name in ipairs({ "method", "npartitions", "blocksize", "max_branch", "shuffle" }) do
    if option(opts, name) ~= nil and name ~= "npartitions" then
      fail("groupby: %s is not supported (on one machine nothing is shuffled)", name)
    end
  end
  local v, k
  if self._frame then -- records, each as Python's repr of its dict (made from its line)
    if type(key) == "string" then -- Dask's grouper of records may be a field's name
      if not db._has_column(self._frame, key) then
        fail("groupby: no record of the first ones has a field '%s'", key)
      end
      k = self._frame[key]
      db._check_fields(k, "groupby")
    end
    v = db._records(self._frame)
  else
    v = values(self, "groupby")
  end
  k = k or (type(key) == "function" or is_kernel(key))
    and trace(key, self._frame or v, "groupby's key")
  if not k then
    fail("groupby: the key must be a function of the element%s, got %s",
      self._frame and " or a field's name" or "", type(key))
  end
  local pairs_frame = db._zip(k, v)
  return new(nil, self.npartitions, "groupby", { _groups = pairs_frame, _grouped = pairs_frame,
    _records = self._frame ~= nil, _key = k, _values = v })
end

-- A group's list of elements, as a traced function of (key, list) sees it: its reductions
-- and # (Python's len) stand for the aggregation of each group
local GroupList = {}
GroupList.__index = GroupList
-- an aggregation of each group ({_group_agg = name}), or + - * / of them and numbers
-- ({_op = "+", a, b}; unary minus: {_op = "neg", a})
local GroupAgg = {}
local GROUP_AGG = { sum = "sum", count = "size", min = "min", max = "max", mean = "mean" }
for name, agg in pairs(GROUP_AGG) do
  GroupList[name] = function()
    return setmetatable({ _group_agg = agg }, GroupAgg)
  end
end
GroupList.__len = function()
  return setmetatable({ _group_agg = "size" }, GroupAgg)
end
for meta, op in pairs({ __add = "+", __sub = "-", __mul = "*", __div = "/" }) do
  GroupAgg[meta] = function(a, b)
    for _, v in ipairs({ a, b }) do
      if getmetatable(v) ~= GroupAgg and type(v) ~= "number" then
        fail("map of groups: %s of a group's aggregation and %s is not supported (numbers and "
          .. "other aggregations are)", op, type(v))
      end
    end
    return setmetatable({ _op = op, a, b }, GroupAgg)
  end
end
GroupAgg.__unm = function(a)
  return setmetatable({ _op = "neg", a }, GroupAgg)
end
for _, meta in ipairs({ "__idiv", "__mod", "__pow" }) do
  GroupAgg[meta] = function()
    fail("map of groups: //, %% and ^ of a group's aggregations are not supported yet (+ - * / "
      .. "are)")
  end
end
local GROUP_KEY = {}

-- The aggregations an expression of them uses, each once, in order of first use
local function group_aggs(e, list, seen)
  if getmetatable(e) ~= GroupAgg then
    return list
  end
  if e._group_agg then
    if not seen[e._group_agg] then
      seen[e._group_agg] = true
      list[#list + 1] = e._group_agg
    end
    return list
  end
  group_aggs(e[1], list, seen)
  return group_aggs(e[2], list, seen)
end

-- The expression e over the frame r of the aggregations (column col[name] each)
local function group_replay(e, r, col)
  if getmetatable(e) ~= GroupAgg then
    return e
  end
  if e._group_agg then
    return r[col[e._group_agg]]
  end
  local a, c = group_replay(e[1], r, col), group_replay(e[2], r, col)
  if e._op == "neg" then
    return a * -1
  end
  return e._op == "+" and a + c or e._op == "-" and a - c or e._op == "*" and a * c or a / c
end

-- map over groups: f(g) must return g[1] and an aggregation of g[2] ({g[1], g[2]:sum()},
-- {g[1], #g[2]}) or the aggregation alone; one groupby of the elements by their key
map_groups = function(b, f)
  local r = call(f, { GROUP_KEY, setmetatable({}, GroupList) })
  local agg = getmetatable(r) == GroupAgg and r or (type(r) == "table" and r[1] == GROUP_KEY
    and #r == 2 and getmetatable(r[2]) == GroupAgg and r[2])
  if not agg then
    fail("map of groups: the function must return {g[1], g[2]:sum()} (or :count(), :min(), "
      .. ":max(), :mean(), #g[2], and + - * / of them) or the aggregation alone; others are "
      .. "not supported yet")
  end
  local aggs = group_aggs(agg, {}, {})
  for _, name in ipairs(aggs) do
    if b._records and name ~= "size" then
      fail("map of groups of records: only their count (#g[2] or g[2]:count()) is supported yet")
    end
  end
  local s
  if agg._group_agg then
    local g = b._grouped:groupby("0", { sort = false })
    s = agg._group_agg == "size" and g:size() or g["1"][agg._group_agg](g["1"])
  else -- each aggregation of its own copy of the values: columns "1", "2", ...
    local copies, spec, col = { b._key }, {}, {}
    for k, name in ipairs(aggs) do
      copies[k + 1], spec[k], col[name] = b._values, { tostring(k), name }, tostring(k)
    end
    local frame = db._zip(table.unpack(copies))
    s = group_replay(agg, frame:groupby("0", { sort = false }):agg(spec), col)
  end
  if getmetatable(r) == GroupAgg then
    return new(nil, 1, "map", { _pairs = s, _values_only = true })
  end
  return new(nil, 1, "map", { _pairs = s })
end

-- Dask's to_textfiles: one file per partition (from_sequence's, or a file of read_text's
-- each), its strings joined by "\n"; path's "*" (or path/*.part) becomes each partition's
-- number, zero-padded to the widest, or name_function(i). Inside the output directory.
function Bag:to_textfiles(path, opts)
  if type(path) ~= "string" then
    fail("to_textfiles: the path must be a string with one '*' (or a directory), got %s", type(path))
  end
  local enc = option(opts, "encoding")
  if enc ~= nil and not tostring(enc):lower():match("^utf%-?8$") then
    fail("to_textfiles: encoding \"%s\" is not supported yet (UTF-8 only)", tostring(enc))
  end
  if option(opts, "compute") == false then
    fail("to_textfiles: compute = false is not supported (the program writes the files)")
  end
  local _, stars = path:gsub("%*", "")
  if stars > 1 then
    fail("to_textfiles: Output path spec must contain exactly one '*'.")
  elseif stars == 0 then
    path = path:gsub("/*$", "") .. "/*.part"
  end
  local s = values(self, "to_textfiles")
  local lazy = db._is_series(s) -- else computed (distinct, topk): one partition
  if lazy and db._type(s) ~= "object" then
    fail("to_textfiles writes strings; these elements are %s (Dask's TypeError)", db._type(s))
  end
  local part, blocks -- each element's partition; read_bytes' blocks of a read with a blocksize
  if lazy then
    part, blocks = db._partition(s)
  end
  local nparts = blocks or lazy and self.npartitions or 1
  local name = option(opts, "name_function")
  if name ~= nil and type(name) ~= "function" then
    fail("to_textfiles: name_function must be a function of the partition's number")
  end
  local width = #tostring(math.max(nparts - 1, 0))
  local names = {}
  for i = 0, nparts - 1 do
    local n = name and name(i) or string.format("%0" .. width .. "d", i)
    if type(n) ~= "string" and math.type(n) ~= "integer" then
      fail("to_textfiles: name_function(%d) returned %s, not a string", i, type(n))
    end
    names[i + 1] = (path:gsub("%*", function() return tostring(n) end))
  end
  db._to_textfiles(lazy and db._zip(part, s) or s, names,
    option(opts, "last_endline") == true)
end

function Bag:compute()
  return self
end

function Bag:__tostring()
  return string.format("dask.bag<%s, npartitions=%d>", self._name, self.npartitions)
end

function db.print(x, label)
  if is_bag(x) and x._frame then
    -- each record as Python's repr of the dict json.loads makes of its line (made from the
    -- line when it is read: every field in the line's order, as the file has it)
    db._print(db._records(x._frame), label, "dicts")
    return
  end
  if is_bag(x) and x._shaped then
    db._print(x._shaped.frame, label, false, x._shaped.shape)
    return
  end
  if is_bag(x) and x._jlist then -- each JSON list as Python's repr of it
    db._print(db._list_repr(x._s), label, "dicts")
    return
  end
  if is_bag(x) and x._lists then -- each string's Python split, a list
    local sep = x._lists.sep or ""
    if #sep > 250 or sep:find("\0", 1, true) then
      fail("db.print of str.split's lists at a separator of more than 250 bytes or with a \\0 "
        .. "is not supported yet")
    end
    db._print(db._zip(x._s), label, false, "\2\1" .. string.char(#sep + 1) .. sep)
    return
  end
  if is_bag(x) and x._groups then
    db._print(x._groups, label, x._records and "record groups" or "groups")
  elseif is_bag(x) then
    db._print(x._pairs or x._zipped or x._s, label, x._pairs ~= nil and not x._values_only)
  else
    db._print(x, label)
  end
end

return db
