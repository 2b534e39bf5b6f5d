-- expect: sandbox_os_execute.lua:3: error: os.execute is not available in a pipeline script (cdaskc --unsafe-lua allows it)
local da = require("cdask.array")
os.execute("true")
da.print(da.arange(3), "x")
