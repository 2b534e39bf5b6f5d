-- reductions over no axis (issue 10, WA8: x:sum({}, opts) is NumPy's axis=(), like
-- x:sum{axis = {}}), argmin/argmax of 0-d arrays (WA7), -1 chunks on empty axes (WA9)
local da = require("cdask.array")
local x = da.from_npy("x.npy", {chunks = {1, 2}})
local i = da.from_npy("i.npy")
local names = {"sum", "prod", "mean", "min", "max", "any", "all", "std", "var", "nansum",
               "nanmean", "nanmax", "nanmin"}
for _, f in ipairs(names) do
  da.to_npy(x[f](x, {}, {keepdims = false}), "x_" .. f .. "_empty.npy")
  da.to_npy(x[f](x, {axis = {}}), "x_" .. f .. "_axis_empty.npy")
  da.to_npy(da[f](i, {}, {keepdims = true}), "i_" .. f .. "_empty.npy")
end
da.to_npy(x:var({}, {ddof = 1}), "x_var_ddof1.npy")
da.to_npy(x:sum({}, true), "x_sum_empty_keepdims.npy")
da.to_npy(x:sum({}), "x_sum_all.npy") -- an empty options table: every axis
da.print(da.full({}, 5):argmax(), "argmax0d")
da.print(da.full({}, 5):argmin(), "argmin0d")
da.print(da.full({}, 0 / 0):argmax(), "argmaxnan0d")
da.print(x:sum():argmin(), "argminsum")
da.print(da.argmax(i:max()), "argmaxmax")
local e = da.ones({3, 0}, {chunks = {2, -1}})
da.to_npy(e:sum(1), "empty_sum1.npy")
da.to_npy(da.zeros({0, 4}, {chunks = {-1, 2}}):sum(0), "empty_sum0.npy")
