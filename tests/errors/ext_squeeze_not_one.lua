-- expect: ext_squeeze_not_one.lua:4: error: cannot select an axis to squeeze out which has size not equal to one
local da = require("cdask.array")
local x = da.ones({1, 4, 1})
local y = x:squeeze({0, 1})
da.print(y, "y")
