# rtol: 2e-4
# The oracle, run by test_differential.py in a temporary directory (by hand:
# PYTHONPATH=tests/py). It writes the inputs, then keeps the expected outputs.
import numpy as np
from diffgen import PRELUDE
exec(PRELUDE)

np.save("b.npy", np.array([[True, False], [True, True]]))
np.save("f.npy", np.array([[1.5, -2.25], [3.0, 0.125]], dtype=np.float32))
np.save("s.npy", np.array(0.1))
b, f, s = np.load("b.npy"), np.load("f.npy"), np.load("s.npy")
save("floordiv.npy", bop(lambda p, q: p // q, b, b))
save("mod.npy", bop(lambda p, q: p % q, b, b))
save("pow.npy", bop(lambda p, q: p ** q, b, b))
save("zero_d.npy", bop(lambda p, q: p + q, f, s))
save("zero_d_reduced.npy", bop(lambda p, q: p * q, np.sum(f, axis=0), s))
save("sin_bool.npy", fl(np.sin, b))
save("fft32.npy", tr(np.fft.fft, f))
show("weak_scalar", bop(lambda p, q: p + q, f, 2.5))
