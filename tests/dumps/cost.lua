-- The predicted cost of each group (--explain's "cost:" lines, compiler/cost.c): elements
-- computed, bytes read from stored arrays, bytes written, and the FLOP estimate (1 per
-- elementwise operation and element, 20 for a transcendental one, 1 per reduced or scanned
-- element, 5 N log2 N per complex transform of N points, half for a real one).
local da = require("cdask.array")

local x = da.random.uniform(0, 1, {8, 16}, {chunks = {4, 8}})
local y = da.exp(x) * 2 -- stored: read by three groups
da.to_npy(y, "y.npy")
da.to_npy(da.cumsum(y, 1), "c.npy")
da.to_npy(da.fft.rfft(y, nil, 1), "f.npy")
da.to_npy(da.concatenate({y, y + 1}, 0):sum(), "s.npy")
-- >>> explain
-- group 0 (cost.lua:8): fuses random.uniform, exp, full, multiply; domain (8,16), chunks (4,8), 4 tiles of (4,8) (the chunks); ends in an output (to_npy y.npy)
--   cost: 128 elements, 0 bytes read, 1024 bytes written, 2688 flops
-- group 1 (cost.lua:10): fuses; domain (8,16), chunks (4,8), 2 tiles of (4,16) (the chunks, each tile spanning the scanned axis); ends in a cumulative sum (cumsum); reads group 0
--   cost: 128 elements, 1024 bytes read, 1024 bytes written, 128 flops
-- group 2 (cost.lua:11): fuses; domain (8,16), chunks (4,8), 4 tiles of (4,8) (the chunks); ends in a transform (rfft); reads group 0
--   cost: 128 elements, 1024 bytes read, 1152 bytes written, 1280 flops
-- group 3 (cost.lua:12): fuses full, add; domain (8,16), chunks (4,8), 4 tiles of (4,8) (the chunks); stored: concatenated at cost.lua:12; reads group 0
--   cost: 128 elements, 1024 bytes read, 1024 bytes written, 128 flops
-- group 4 (cost.lua:12): fuses concatenate -> sum; domain (16,16), chunks (4,8), 8 tiles of (4,8) (the chunks); ends in a reduction (sum); reads group 0 3; then frees group 3
--   cost: 256 elements, 2048 bytes read, 8 bytes written, 256 flops
-- memory: groups run in order; the arrays held at once peak at 4.23 kB
-- <<<
