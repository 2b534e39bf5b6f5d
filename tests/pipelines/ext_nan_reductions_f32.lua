-- nansum, nanmean, nanmax, nanmin of float32 (results stay float32), with all-NaN slices
local da = require("cdask.array")
local x = da.from_npy("x.npy", {chunks = {5, 3}})        -- (13, 9) float32
local y = da.from_npy("x.npy", {chunks = 1})
for _, f in ipairs({"nansum", "nanmean", "nanmax", "nanmin"}) do
  da.to_npy(x[f](x), f .. "_all.npy")
  da.to_npy(x[f](x, 0), f .. "_0.npy")
  da.to_npy(da[f](x, 1, {keepdims = true}), f .. "_1_keep.npy")
  da.to_npy(da[f](y, -1), f .. "_y_m1.npy")
end
da.to_npy(da.nanmean(x:astype("float64"), 0), "nanmean_f64.npy")
