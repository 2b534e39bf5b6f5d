-- frontend/slice.c computed the length of a slice as (stop - start + step - 1) / step,
-- which overflows for steps near 2^63 (found by tests/fuzz/fuzz_slice): the view below
-- had length 0 instead of 1.
local da = require("cdask.array")
da.print(da.arange(1 << 40)["::-9223372032233720308"], "x")
da.print(da.arange(1 << 40)["3::922337203685477580"], "y")
