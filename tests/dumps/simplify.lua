-- simplify: constants folded, x ^ 2 as x * x and x ^ 0.5 as sqrt(x) (as NumPy computes
-- them), a view of a constant a constant, and identical nodes merged (sin(x) once)
local da = require("cdask.array")
local x = da.arange(6, {chunks = 3}):astype("float64")
local c = da.full({6}, 2, {chunks = 3}) * 3 + 1
local y = (x + c) ^ 2
local s = da.sin(x) + da.sin(x)
local r = x ^ 0.5 + c["::-1"]
da.to_npy(y + s + r, "y.npy")
-- >>> dump-after=frontend
-- == after frontend
-- t0 = arange : int64(6,) chunks=(3,)  ; simplify.lua:4
-- t1 = astype t0 : float64(6,) chunks=(3,)  ; simplify.lua:4
-- t2 = full 2 : int64(6,) chunks=(3,)  ; simplify.lua:5
-- t3 = full 3 : int64(6,) chunks=(6,)  ; simplify.lua:5
-- t4 = multiply t2, t3 : int64(6,) chunks=(3,)  ; simplify.lua:5
-- t5 = full 1 : int64(6,) chunks=(6,)  ; simplify.lua:5
-- t6 = add t4, t5 : int64(6,) chunks=(3,)  ; simplify.lua:5
-- t7 = astype t6 : float64(6,) chunks=(3,)  ; simplify.lua:6
-- t8 = add t1, t7 : float64(6,) chunks=(3,)  ; simplify.lua:6
-- t9 = full 2 : float64(6,) chunks=(6,)  ; simplify.lua:6
-- t10 = power t8, t9 : float64(6,) chunks=(3,)  ; simplify.lua:6
-- t11 = sin t1 : float64(6,) chunks=(3,)  ; simplify.lua:7
-- t12 = sin t1 : float64(6,) chunks=(3,)  ; simplify.lua:7
-- t13 = add t11, t12 : float64(6,) chunks=(3,)  ; simplify.lua:7
-- t14 = full 0.5 : float64(6,) chunks=(6,)  ; simplify.lua:8
-- t15 = power t1, t14 : float64(6,) chunks=(3,)  ; simplify.lua:8
-- t16 = view in=[5-1*o0] t6 : int64(6,) chunks=(3,)  ; simplify.lua:8
-- t17 = astype t16 : float64(6,) chunks=(3,)  ; simplify.lua:8
-- t18 = add t15, t17 : float64(6,) chunks=(3,)  ; simplify.lua:8
-- t19 = add t10, t13 : float64(6,) chunks=(3,)  ; simplify.lua:9
-- t20 = add t19, t18 : float64(6,) chunks=(3,)  ; simplify.lua:9
-- t21 = to_npy y.npy t20 : float64(6,) chunks=(3,)  ; simplify.lua:9
-- <<<
-- >>> dump-after=simplify
-- == after simplify
-- t0 = arange : int64(6,) chunks=(3,)  ; simplify.lua:4
-- t1 = astype t0 : float64(6,) chunks=(3,)  ; simplify.lua:4
-- t7 = full 7 : float64(6,) chunks=(3,)  ; simplify.lua:6
-- t8 = add t1, t7 : float64(6,) chunks=(3,)  ; simplify.lua:6
-- t10 = multiply t8, t8 : float64(6,) chunks=(3,)  ; simplify.lua:6
-- t11 = sin t1 : float64(6,) chunks=(3,)  ; simplify.lua:7
-- t13 = add t11, t11 : float64(6,) chunks=(3,)  ; simplify.lua:7
-- t15 = sqrt t1 : float64(6,) chunks=(3,)  ; simplify.lua:8
-- t18 = add t15, t7 : float64(6,) chunks=(3,)  ; simplify.lua:8
-- t19 = add t10, t13 : float64(6,) chunks=(3,)  ; simplify.lua:9
-- t20 = add t19, t18 : float64(6,) chunks=(3,)  ; simplify.lua:9
-- t21 = to_npy y.npy t20 : float64(6,) chunks=(3,)  ; simplify.lua:9
-- <<<
