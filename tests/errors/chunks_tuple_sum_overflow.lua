-- expect: chunks_tuple_sum_overflow.lua:4: error: chunks for axis 0 add up to more than the axis length 5
-- (found by fuzz_chunks: the sum overflowed int64, undefined behaviour)
local da = require("cdask.array")
da.print(da.ones(5, {chunks = {{math.maxinteger, 5}}}):sum(), "s")
