-- expect: sandbox_io_popen.lua:3: error: io.popen is not available in a pipeline script (cdaskc --unsafe-lua allows it)
local da = require("cdask.array")
io.popen("true"):close()
da.print(da.arange(3), "x")
