-- expect: ext_isnan_number.lua:3: error: expected an array, got number
local da = require("cdask.array")
local y = da.isnan(1.5)
da.print(y, "y")
