-- Seed 000 (a Dask tutorial): delayed functions over a list, then their sum.
--   for x in data: a = inc(x); b = double(x); c = add(a, b); output.append(c)
--   total = delayed(sum)(output)
-- The functions are C (examples/kernels/delayed000.c); each call is a task, and the
-- independent ones run at the same time.
local cd = require("cdask")
local k = cd.cfile("kernels/delayed000.c")

local inc = cd.delayed(k.inc)
local double = cd.delayed(k.dbl)
local add = cd.delayed(k.add)

local data = {1, 2, 3, 4, 5}
local output = {}
for _, x in ipairs(data) do
  local a = inc(x)
  local b = double(x)
  local c = add(a, b)
  output[#output + 1] = c
end

local total = cd.delayed(k.sum)(output)
cd.print(total, "total")
