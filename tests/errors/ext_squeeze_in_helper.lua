-- expect: ext_squeeze_in_helper.lua:4: error: cannot select an axis to squeeze out which has size not equal to one
local da = require("cdask.array")
local function flat(a)
  return a:squeeze(0)
end

local y = flat(da.ones({3, 1}))
da.print(y, "y")
