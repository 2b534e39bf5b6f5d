import numpy as np


def expected(d):
    x = np.linspace(0.5, 4.5, 9)
    i = np.arange(1, 10)
    return {
        "add.npy": 2 + x,
        "sub.npy": 2 - x,
        "mul.npy": 2 * x,
        "div.npy": 2 / x,
        "fdiv.npy": 7 // x,
        "mod.npy": 7 % x,
        "pow.npy": 2 ** x,
        "isub.npy": 10 - i,
        "idiv.npy": 10 / i,
        "ifdiv.npy": 10 // i,
        "imod.npy": -10 % i,
        "ffdiv.npy": 10.0 // i,
        "fmul.npy": 2.5 * i,
        "neg.npy": -i,
        "negneg.npy": -(-x),
    }
