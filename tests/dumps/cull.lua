-- cull: only what the outputs need is computed: x:sum(0)["1:3"] needs columns 1 and 2
-- of x (all its rows); the max of the last row needs row 5 of x only
local da = require("cdask.array")
local x = da.random.uniform(0, 1, {6, 8}, {chunks = {2, 4}, seed = 3})
local s = x:sum(0)["1:3"]
da.to_npy(s, "s.npy")
da.print(x["-1"]:max(), "last_row_max")
-- >>> dump-after=cull
-- == after cull
-- t0 = random.uniform (0, 1) seed=3 : float64(6,8) chunks=(2,4)  ; cull.lua:4
-- t1 = sum axes=(0) t0 : float64(8,) chunks=(4,)  ; cull.lua:5
-- t2 = view in=[1+1*o0] t1 : float64(2,) chunks=(2,)  ; cull.lua:5
-- t3 = to_npy s.npy t2 : float64(2,) chunks=(2,)  ; cull.lua:6
-- t4 = view in=[5, 0+1*o0] t0 : float64(8,) chunks=(4,)  ; cull.lua:7
-- t5 = max axes=(0) t4 : float64() chunks=()  ; cull.lua:7
-- t6 = print last_row_max t5 : float64() chunks=()  ; cull.lua:7
-- <<<
-- >>> dump-after=fuse
-- == after fuse
-- t0 = random.uniform (0, 1) seed=3 : float64(6,8) chunks=(2,4)  ; cull.lua:4
-- t1 = sum axes=(0) t0 : float64(8,) chunks=(4,) [group 0]  ; cull.lua:5
-- t2 = view in=[1+1*o0] t1 : float64(2,) chunks=(2,) [group 1]  ; cull.lua:5
-- t3 = to_npy s.npy t2 : float64(2,) chunks=(2,)  ; cull.lua:6
-- t4 = view in=[5, 0+1*o0] t0 : float64(8,) chunks=(4,)  ; cull.lua:7
-- t5 = max axes=(0) t4 : float64() chunks=() [group 2]  ; cull.lua:7
-- t6 = print last_row_max t5 : float64() chunks=()  ; cull.lua:7
-- group 0: sink t1, 3 tiles, fuses t0; ends in a reduction (sum)
-- group 1: sink t2, 1 tiles, fuses t2; ends in an output (to_npy s.npy)
-- group 2: sink t5, 2 tiles, fuses t0 t4; ends in a reduction (max)
-- <<<
-- >>> explain
-- group 0 (cull.lua:5): fuses random.uniform -> sum; domain (6,8), chunks (2,4), 3 tiles of (2,4) (the chunks); ends in a reduction (sum); culled: computes [0:6, 1:3], 25% of the domain
--   cost: 12 elements, 0 bytes read, 16 bytes written, 12 flops
-- group 1 (cull.lua:5): fuses view; domain (2,), chunks (2,), 1 tiles of (2,) (the chunks); ends in an output (to_npy s.npy); reads group 0; then frees group 0
--   cost: 2 elements, 16 bytes read, 16 bytes written, 0 flops
-- group 2 (cull.lua:7): fuses random.uniform, view -> max; domain (8,), chunks (4,), 2 tiles of (4,) (the chunks); ends in a reduction (max)
--   cost: 8 elements, 0 bytes read, 8 bytes written, 8 flops
-- memory: groups run in order; the arrays held at once peak at 80 B
-- <<<
