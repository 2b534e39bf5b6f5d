-- views: chains of transposes, reversals and slices become one affine view of the input
-- each (simplify composes the maps). For a of shape (4, 5):
--   b[i, j] = a[3 - j, 4 - 2 i], shape (3, 4)
--   g[i, j] = a[1 + j, 4 - 2 i], shape (3, 2), and b[:, 1:3][i, j] = a[2 - j, 4 - 2 i]
local da = require("cdask.array")
local a = da.arange(20, {chunks = 20}):reshape({4, 5})
local b = a.T["::-2, ::-1"].T:transpose()
local g = a["1:3, ::-1"]:transpose()["::2"]
da.to_npy(b, "b.npy")
da.to_npy(g + b[":, 1:3"], "h.npy")
-- >>> dump-after=frontend
-- == after frontend
-- t0 = arange : int64(20,) chunks=(20,)  ; views.lua:6
-- t1 = reshape in=[0+5*o0+1*o1] t0 : int64(4,5) chunks=(4,5)  ; views.lua:6
-- t2 = view in=[0+1*o1, 0+1*o0] t1 : int64(5,4) chunks=(5,4)  ; views.lua:7
-- t3 = view in=[4-2*o0, 3-1*o1] t2 : int64(3,4) chunks=(2,4)  ; views.lua:7
-- t4 = view in=[0+1*o1, 0+1*o0] t3 : int64(4,3) chunks=(4,2)  ; views.lua:7
-- t5 = view in=[0+1*o1, 0+1*o0] t4 : int64(3,4) chunks=(2,4)  ; views.lua:7
-- t6 = view in=[1+1*o0, 4-1*o1] t1 : int64(2,5) chunks=(2,5)  ; views.lua:8
-- t7 = view in=[0+1*o1, 0+1*o0] t6 : int64(5,2) chunks=(5,2)  ; views.lua:8
-- t8 = view in=[0+2*o0, 0+1*o1] t7 : int64(3,2) chunks=(2,2)  ; views.lua:8
-- t9 = to_npy b.npy t5 : int64(3,4) chunks=(2,4)  ; views.lua:9
-- t10 = view in=[0+1*o0, 1+1*o1] t5 : int64(3,2) chunks=(2,2)  ; views.lua:10
-- t11 = add t8, t10 : int64(3,2) chunks=(2,2)  ; views.lua:10
-- t12 = to_npy h.npy t11 : int64(3,2) chunks=(2,2)  ; views.lua:10
-- <<<
-- >>> dump-after=simplify
-- == after simplify
-- t0 = arange : int64(20,) chunks=(20,)  ; views.lua:6
-- t3 = view in=[19-2*o0-5*o1] t0 : int64(3,4) chunks=(2,4)  ; views.lua:7
-- t8 = view in=[9-2*o0+5*o1] t0 : int64(3,2) chunks=(2,2)  ; views.lua:8
-- t9 = to_npy b.npy t3 : int64(3,4) chunks=(2,4)  ; views.lua:9
-- t10 = view in=[14-2*o0-5*o1] t0 : int64(3,2) chunks=(2,2)  ; views.lua:10
-- t11 = add t8, t10 : int64(3,2) chunks=(2,2)  ; views.lua:10
-- t12 = to_npy h.npy t11 : int64(3,2) chunks=(2,2)  ; views.lua:10
-- <<<
