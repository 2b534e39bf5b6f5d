-- expect: unclosed_paren.lua:4: error: ')' expected (to close '(' at line 3) near 'da'
local da = require("cdask.array")
local x = da.ones({4, 4}
da.print(x, "x")
