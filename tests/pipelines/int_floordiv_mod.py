import numpy as np


def expected(d):
    a = np.arange(-10, 11)
    a32 = np.arange(-10, 11, dtype="int32")
    x = np.arange(-5, 5.5, 0.5)
    one = np.ones(3)
    return {
        "a_fd_3.npy": a // 3,
        "a_mod_3.npy": a % 3,
        "a_fd_m3.npy": a // -3,
        "a_mod_m3.npy": a % -3,
        "a32_fd_4.npy": a32 // 4,
        "a32_mod_m4.npy": a32 % -4,
        "seven_fd_a32.npy": 7 // a32[11:],
        "m7_mod_a.npy": -7 % a[11:],
        "x_fd_2.npy": x // 2,
        "x_mod_2.npy": x % 2,
        "x_fd_m1_5.npy": x // -1.5,
        "x_mod_m1_5.npy": x % -1.5,
        "a_fd_arr.npy": a // np.full(21, -4),
        "a_mod_arr.npy": a % np.full(21, -4),
        "one_fd_tenth.npy": one // 0.1,
        "one_mod_tenth.npy": one % 0.1,
    }
