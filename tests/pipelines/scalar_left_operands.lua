-- Lua numbers on the left of every operator; int vs float scalars; unary minus
local da = require("cdask.array")
local x = da.linspace(0.5, 4.5, 9, {chunks = 4})
local i = da.arange(1, 10, {chunks = 4})
da.to_npy(2 + x, "add.npy")
da.to_npy(2 - x, "sub.npy")
da.to_npy(2 * x, "mul.npy")
da.to_npy(2 / x, "div.npy")
da.to_npy(7 // x, "fdiv.npy")
da.to_npy(7 % x, "mod.npy")
da.to_npy(2 ^ x, "pow.npy")
da.to_npy(10 - i, "isub.npy")          -- int64
da.to_npy(10 / i, "idiv.npy")          -- float64
da.to_npy(10 // i, "ifdiv.npy")        -- int64
da.to_npy(-10 % i, "imod.npy")
da.to_npy(10.0 // i, "ffdiv.npy")      -- float64
da.to_npy(2.5 * i, "fmul.npy")
da.to_npy(-i, "neg.npy")
da.to_npy(-(-x), "negneg.npy")
