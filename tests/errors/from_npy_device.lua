-- expect: from_npy_device.lua:4: error: /dev/null is not a regular file (it is a character device)
local da = require("cdask.array")
-- a device (or a FIFO) is refused before it is read: reading one could block forever
local x = da.from_npy("/dev/null")
da.print(x:sum(), "sum")
