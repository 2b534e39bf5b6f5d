-- Open finding of fuzz_chunks (not in CI; the harness's KNOWN_OPEN_CHUNK_SUM_OVERFLOW keeps
-- the fuzzer away from it until it is fixed). frontend/lua_array.c regular_chunk sums the
-- sizes of an explicit chunk tuple in int64 without a check:
--   lua_array.c:107:9: runtime error: signed integer overflow: 9223372036854775807 + 5
-- Expected: a clean error at line 8 ("chunks for axis 0 add up to ..., but the axis has
-- length 5"), with no undefined behaviour on the way.
local da = require("cdask.array")
da.print(da.ones(5, {chunks = {{math.maxinteger, 5}}}):sum(), "s")
