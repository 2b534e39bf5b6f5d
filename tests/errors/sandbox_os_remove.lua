-- expect: sandbox_os_remove.lua:3: error: os.remove is not available in a pipeline script (cdaskc --unsafe-lua allows it)
local da = require("cdask.array")
os.remove("cdask_no_such_file_to_remove")
da.print(da.arange(3), "x")
