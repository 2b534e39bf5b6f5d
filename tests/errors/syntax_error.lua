-- expect: syntax_error.lua:4: error: unexpected symbol near '*'
local da = require("cdask.array")
local x = da.ones({4, 4})
local y = x + * 2
da.print(y, "y")
