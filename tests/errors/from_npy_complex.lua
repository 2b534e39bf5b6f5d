-- expect: from_npy_complex.lua:4: error: cannot read complex.npy: unsupported dtype '<c16'
-- fixture: complex.npy complex128
local da = require("cdask.array")
local x = da.from_npy("complex.npy")
da.print(x:sum(), "sum")
