-- nansum, nanmean, nanmax, nanmin: NaN placements (scattered, all-NaN rows, columns and
-- planes, NaN next to +-inf), every axis form, ragged chunks and chunks of size 1, integer
-- and bool inputs (the plain reductions), zero-size arrays
local da = require("cdask.array")
local x = da.from_npy("x.npy", {chunks = {4, 3, 2}})     -- (6, 7, 5)
local m = da.from_npy("m.npy", {chunks = 1})             -- (9, 8)
local m3 = da.from_npy("m.npy", {chunks = {4, 3}})
local i4 = da.from_npy("i4.npy", {chunks = {2, 5}})      -- (6, 11) int32
local b = da.from_npy("b.npy", {chunks = {3, 3}})        -- (4, 5) bool

for _, f in ipairs({"nansum", "nanmean", "nanmax", "nanmin"}) do
  da.to_npy(da[f](x), f .. "_x_all.npy")
  da.to_npy(da[f](x, 0), f .. "_x_0.npy")
  da.to_npy(x[f](x, -1), f .. "_x_m1.npy")
  da.to_npy(da[f](x, {0, 2}), f .. "_x_02.npy")
  da.to_npy(x[f](x, {axis = 1, keepdims = true}), f .. "_x_1_keep.npy")
  da.to_npy(da[f](x, {2, 1}, {keepdims = true}), f .. "_x_21_keep.npy")
  da.to_npy(da[f](m, 0), f .. "_m_0.npy")
  da.to_npy(da[f](m3, 1), f .. "_m3_1.npy")
  da.to_npy(da[f](m3["::-1, 1:7"].T, 0), f .. "_m3_view.npy")
  da.to_npy(da[f](i4, 1), f .. "_i4_1.npy")
  da.to_npy(da[f](i4), f .. "_i4_all.npy")
  da.to_npy(da[f](b, 0), f .. "_b_0.npy")
end
da.to_npy(m:nansum() + m:nanmax(), "combined.npy")
da.to_npy(m:nanmean(1) - m:nanmean{axis = 1}, "same.npy")
local allnan = m["4"]                                   -- the all-NaN row
da.print(allnan:nanmax(), "allnan_max")
da.print(allnan:nanmean(), "allnan_mean")
da.print(allnan:nansum(), "allnan_sum")
local e = da.zeros({0, 4}, {chunks = {1, 3}})
da.to_npy(e:nansum(0), "e_nansum0.npy")
da.to_npy(e:nanmean(0), "e_nanmean0.npy")
da.to_npy(e:nanmax(1), "e_nanmax1.npy")
da.to_npy(e:nanmin(1), "e_nanmin1.npy")
