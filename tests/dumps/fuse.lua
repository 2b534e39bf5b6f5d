-- fuse: elementwise work is fused into the groups that read it; y, expensive and read by
-- two reductions over different axes, is stored once instead of computed twice
local da = require("cdask.array")
local x = da.random.normal(0, 1, {40, 30}, {chunks = {20, 10}, seed = 5})
local y = da.sin(x) * da.exp(x * 0.1) + da.cos(x)
da.to_npy(y:mean(0), "m0.npy")
da.to_npy(y:max(1), "m1.npy")
da.to_npy((x + 1):sum(), "s.npy")
-- >>> dump-after=fuse
-- == after fuse
-- t0 = random.normal (0, 1) seed=5 : float64(40,30) chunks=(20,10)  ; fuse.lua:4
-- t1 = sin t0 : float64(40,30) chunks=(20,10)  ; fuse.lua:5
-- t2 = full 0.10000000000000001 : float64(40,30) chunks=(40,30)  ; fuse.lua:5
-- t3 = multiply t0, t2 : float64(40,30) chunks=(20,10)  ; fuse.lua:5
-- t4 = exp t3 : float64(40,30) chunks=(20,10)  ; fuse.lua:5
-- t5 = multiply t1, t4 : float64(40,30) chunks=(20,10)  ; fuse.lua:5
-- t6 = cos t0 : float64(40,30) chunks=(20,10)  ; fuse.lua:5
-- t7 = add t5, t6 : float64(40,30) chunks=(20,10) [group 0]  ; fuse.lua:5
-- t8 = mean axes=(0) t7 : float64(30,) chunks=(10,) [group 1]  ; fuse.lua:6
-- t9 = to_npy m0.npy t8 : float64(30,) chunks=(10,)  ; fuse.lua:6
-- t10 = max axes=(1) t7 : float64(40,) chunks=(20,) [group 2]  ; fuse.lua:7
-- t11 = to_npy m1.npy t10 : float64(40,) chunks=(20,)  ; fuse.lua:7
-- t12 = full 1 : float64(40,30) chunks=(40,30)  ; fuse.lua:8
-- t13 = add t0, t12 : float64(40,30) chunks=(20,10)  ; fuse.lua:8
-- t14 = sum axes=(0,1) t13 : float64() chunks=() [group 3]  ; fuse.lua:8
-- t15 = to_npy s.npy t14 : float64() chunks=()  ; fuse.lua:8
-- group 0: sink t7, 6 tiles, fuses t0 t1 t2 t3 t4 t5 t6 t7; stored: read by 2 groups, storing saves ~0 ms of recomputing
-- group 1: sink t8, 6 tiles, fuses; ends in a reduction (mean)
-- group 2: sink t10, 6 tiles, fuses; ends in a reduction (max)
-- group 3: sink t14, 6 tiles, fuses t0 t12 t13; ends in a reduction (sum)
-- <<<
-- >>> explain
-- group 0 (fuse.lua:5): fuses random.normal, sin, full, multiply, exp, multiply, cos, add; domain (40,30), chunks (20,10), 6 tiles of (20,10) (the chunks); stored: read by 2 groups, storing saves ~0 ms of recomputing
--   cost: 1200 elements, 0 bytes read, 9600 bytes written, 75600 flops
-- group 1 (fuse.lua:6): fuses mean; domain (40,30), chunks (20,10), 6 tiles of (20,10) (the chunks); ends in a reduction (mean); reads group 0
--   cost: 1200 elements, 9600 bytes read, 240 bytes written, 1230 flops
-- group 2 (fuse.lua:7): fuses max; domain (40,30), chunks (20,10), 6 tiles of (20,10) (the chunks); ends in a reduction (max); reads group 0; then frees group 0
--   cost: 1200 elements, 9600 bytes read, 320 bytes written, 1200 flops
-- group 3 (fuse.lua:8): fuses random.normal, full, add -> sum; domain (40,30), chunks (20,10), 6 tiles of (20,10) (the chunks); ends in a reduction (sum)
--   cost: 1200 elements, 0 bytes read, 8 bytes written, 2400 flops
-- memory: groups run in order; the arrays held at once peak at 10.16 kB
-- <<<
