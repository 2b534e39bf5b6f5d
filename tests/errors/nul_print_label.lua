-- expect: nul_print_label.lua:3: error: da.print: the label contains a NUL byte
local da = require("cdask.array")
da.print(da.ones({2}), "a\0b")
da.print(da.arange(3), "x")
