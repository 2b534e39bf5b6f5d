-- expect: sandbox_os_exit.lua:3: error: os.exit is not available in a pipeline script (cdaskc --unsafe-lua allows it)
local da = require("cdask.array")
os.exit(0)
da.print(da.arange(3), "x")
