-- expect: sandbox_debug.lua:3: error: debug.getinfo is not available in a pipeline script (cdaskc --unsafe-lua allows it)
local da = require("cdask.array")
local info = debug.getinfo(1)
da.print(da.arange(3), "x")
