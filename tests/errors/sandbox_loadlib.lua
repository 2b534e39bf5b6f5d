-- expect: sandbox_loadlib.lua:3: error: package.loadlib is not available in a pipeline script (cdaskc --unsafe-lua allows it)
local da = require("cdask.array")
package.loadlib("libm.so.6", "cos")
da.print(da.arange(3), "x")
