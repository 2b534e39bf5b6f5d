-- hermitian: real(ifft2(fft2(x) * |fftfreq|)) of a real x is an inverse real transform of
-- the half spectrum, made of a forward real transform (x real, the filter even)
local da = require("cdask.array")
local x = da.arange(20, {chunks = 20}):reshape({4, 5}):astype("float64")
local f = da.abs(da.fft.fftfreq(5))
local y = da.real(da.fft.ifft2(da.fft.fft2(x) * f))
da.to_npy(y, "y.npy")
-- >>> dump-after=simplify
-- == after simplify (unchanged)
-- t0 = arange : int64(20,) chunks=(20,)  ; hermitian.lua:4
-- t1 = reshape in=[0+5*o0+1*o1] t0 : int64(4,5) chunks=(4,5)  ; hermitian.lua:4
-- t2 = astype t1 : float64(4,5) chunks=(4,5)  ; hermitian.lua:4
-- t3 = arange : int64(3,) chunks=(3,)  ; hermitian.lua:5
-- t4 = arange : int64(2,) chunks=(2,)  ; hermitian.lua:5
-- t5 = concatenate t3, t4 : int64(5,) chunks=(3,)  ; hermitian.lua:5
-- t6 = astype t5 : float64(5,) chunks=(3,)  ; hermitian.lua:5
-- t7 = full 0.20000000000000001 : float64(5,) chunks=(5,)  ; hermitian.lua:5
-- t8 = multiply t6, t7 : float64(5,) chunks=(3,)  ; hermitian.lua:5
-- t9 = abs t8 : float64(5,) chunks=(3,)  ; hermitian.lua:5
-- t10 = astype t2 : complex128(4,5) chunks=(4,5)  ; hermitian.lua:6
-- t11 = fft2 t10 : complex128(4,5) chunks=(4,5)  ; hermitian.lua:6
-- t12 = astype t9 : complex128(5,) chunks=(3,)  ; hermitian.lua:6
-- t13 = view in=[0+1*o1] t12 : complex128(4,5) chunks=(4,3)  ; hermitian.lua:6
-- t14 = multiply t11, t13 : complex128(4,5) chunks=(4,3)  ; hermitian.lua:6
-- t15 = ifft2 t14 : complex128(4,5) chunks=(4,3)  ; hermitian.lua:6
-- t16 = real t15 : float64(4,5) chunks=(4,3)  ; hermitian.lua:6
-- t17 = to_npy y.npy t16 : float64(4,5) chunks=(4,3)  ; hermitian.lua:7
-- <<<
-- >>> dump-after=hermitian
-- == after hermitian
-- t0 = arange : int64(20,) chunks=(20,)  ; hermitian.lua:4
-- t1 = reshape in=[0+5*o0+1*o1] t0 : int64(4,5) chunks=(4,5)  ; hermitian.lua:4
-- t2 = astype t1 : float64(4,5) chunks=(4,5)  ; hermitian.lua:4
-- t3 = arange : int64(3,) chunks=(3,)  ; hermitian.lua:5
-- t4 = arange : int64(2,) chunks=(2,)  ; hermitian.lua:5
-- t5 = concatenate t3, t4 : int64(5,) chunks=(3,)  ; hermitian.lua:5
-- t6 = astype t5 : float64(5,) chunks=(3,)  ; hermitian.lua:5
-- t7 = full 0.20000000000000001 : float64(5,) chunks=(5,)  ; hermitian.lua:5
-- t8 = multiply t6, t7 : float64(5,) chunks=(3,)  ; hermitian.lua:5
-- t9 = abs t8 : float64(5,) chunks=(3,)  ; hermitian.lua:5
-- t12 = astype t9 : complex128(5,) chunks=(3,)  ; hermitian.lua:6
-- t16 = fft2 as rfftn t2 : complex128(4,3) chunks=(4,3)  ; hermitian.lua:6
-- t17 = view in=[0+1*o1] t12 : complex128(4,3) chunks=(4,3)  ; hermitian.lua:6
-- t18 = multiply t16, t17 : complex128(4,3) chunks=(4,3)  ; hermitian.lua:6
-- t19 = real(ifft2) as irfftn t18 : float64(4,5) chunks=(4,3)  ; hermitian.lua:6
-- t20 = to_npy y.npy t19 : float64(4,5) chunks=(4,3)  ; hermitian.lua:7
-- <<<
