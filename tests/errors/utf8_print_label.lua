-- expect: utf8_print_label.lua:3: error: da.print: the label is not valid UTF-8 (byte 4)
local da = require("cdask.array")
da.print(da.ones({2}), "caf\xe9")
da.print(da.arange(3), "x")
