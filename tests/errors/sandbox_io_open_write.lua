-- expect: sandbox_io_open_write.lua:3: error: io.open with mode "w" is not available in a pipeline script, which only reads files (cdaskc --unsafe-lua allows it)
local da = require("cdask.array")
io.open("/dev/null", "w")
da.print(da.arange(3), "x")
