-- expect: from_npy_shape_overflow.lua:4: error: cannot read huge.npy: shape (4611686018427387904, 4) overflows
-- fixture: huge.npy shape_overflow
local da = require("cdask.array")
local x = da.from_npy("huge.npy")
da.print(x:sum(), "sum")
