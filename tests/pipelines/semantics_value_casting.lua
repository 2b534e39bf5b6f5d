-- NumPy 1.24's value-based casting of Lua numbers next to arrays (issue 10, WA10):
-- float32 and complex64 stay single precision only with integers in [-32768, 65535] and
-- floats below 3.4e38 in magnitude; int32 with integers outside int32 is int64; bool
-- with numbers takes the number's kind. The oracle checks every dtype and value.
local da = require("cdask.array")
local inf, nan = 1 / 0, 0 / 0
local dtypes = {"bool", "int32", "int64", "float32", "float64", "complex64", "complex128"}
local narrow = {bool = true, int32 = true, float32 = true, complex64 = true}
local values = {0, 1, -1, 255, 256, 32767, 32768, 65535, 65536, -32768, -32769, 2147483647,
                2147483648, -2147483648, -2147483649, 4611686018427387904, 0.5, 65504.0, 1e5,
                3.3999999999999996e38, 3.4e38, -3.4e38, 1e39, inf, -inf, nan, true, false}
for _, t in ipairs(dtypes) do
  local a = da.from_npy(t .. ".npy")
  for k, v in ipairs(values) do
    da.to_npy(a + v, string.format("add_%s_%d.npy", t, k))
    if narrow[t] and t ~= "bool" then
      da.to_npy(da.equal(a, v), string.format("eq_%s_%d.npy", t, k))
    end
    if narrow[t] and k % 3 == 0 and not (t == "bool" and type(v) == "boolean") then
      da.to_npy(v - a, string.format("rsub_%s_%d.npy", t, k))
      da.to_npy(da.where(a:ne(0), a, v), string.format("where_%s_%d.npy", t, k))
    end
  end
end
