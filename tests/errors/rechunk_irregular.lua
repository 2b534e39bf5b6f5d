-- expect: rechunk_irregular.lua:3: error: chunks for axis 1 are irregular: cdask needs equal chunks with a smaller last one, got a chunk of 4 after one of 2
local da = require("cdask.array")
da.print(da.ones({4, 6}):rechunk({2, {2, 4}}), "y")
