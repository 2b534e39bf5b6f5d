-- expect: sandbox_load_binary.lua:3: error: load: binary chunks are not available in a pipeline script (cdaskc --unsafe-lua allows it)
local da = require("cdask.array")
load(string.dump(function() return 1 end))
da.print(da.arange(3), "x")
