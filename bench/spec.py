"""The benchmark pipelines: one table shared by the harness and the Python engines."""
import math
from dataclasses import dataclass

ENGINES = ("cdask", "handc", "dask", "numpy")


@dataclass(frozen=True)
class Pipeline:
    name: str
    reference: str       # the Python (dask.array / NumPy) form every engine implements
    shape: tuple         # shape of the input array
    out_shape: tuple     # shape of the full reduction result
    expect_mean: float   # expected mean of the result array (None: not checked)
    tol: float           # absolute tolerance on that mean
    exact: bool          # deterministic input: engines must agree element-wise
    chunks: tuple = (1000, 1000)  # Dask's chunks (the .lua files say cdask's)
    handc: str = ""      # bench/baseline/ source and -D flags; default NAME.c
    engines: tuple = ENGINES      # the engines that run it
    skip: tuple = ()     # (engine, reason): shown as a skipped row
    once: tuple = ()     # engines that run it only once, whatever --repeat (too slow)
    suite: str = "default"        # "default", "scale" or "fft" (run.py --suite)
    group: str = ""      # rows compared with each other in results.md (chunk sweep)
    inputs: str = ""     # input .npy files the harness makes once, of `shape`, for every
    #                      engine: "random" (input.npy) or "ska" (dirty.npy, psf.npy, from
    #                      examples/make_ska_inputs.py); see run.py make_inputs
    l2_tol: float = 0.0  # > 0: every engine's result must agree with every other's (and with
    #                      the file l2_input, if given) to this relative L2 error
    l2_input: str = ""
    handc_libs: str = ""  # extra libraries to link hand C with

    @property
    def tiles(self):
        return math.prod(-(-s // c) for s, c in zip(self.shape, self.chunks))


_E_COS2_NORMAL = (1 + math.exp(-2)) / 2  # E[cos(X)^2] for X ~ N(0, 1)

PIPELINES = {p.name: p for p in [
    Pipeline("normal_tadd_mean0", "a = normal(size=(10000, 10000)); (a.T + a).mean(axis=0)",
             (10000, 10000), (10000,), 0.0, 0.01, False),
    Pipeline("normal_cos2_mean1", "b = normal(size=(200000, 4000)); (cos(b)**2).mean(axis=1)",
             (200000, 4000), (200000,), _E_COS2_NORMAL, 0.01, False),
    Pipeline("normal_revmul_mean", "b = normal(size=(200000, 4000)); (b * b[::-1, ::-1]).mean()",
             (200000, 4000), (), 0.0, 0.01, False),
    Pipeline("normal10_mean0", "x = normal(10, 0.1, size=(20000, 20000)); x.mean(axis=0)",
             (20000, 20000), (20000,), 10.0, 0.01, False),
    Pipeline("ones_cos2_mean1", "o = ones((200000, 4000)); (cos(o)**2).mean(axis=1)",
             (200000, 4000), (200000,), math.cos(1.0) ** 2, 1e-12, True),
    # The seed writes big_ones[::-1, :-1], whose shape (200000, 3999) does not broadcast
    # against (200000, 4000): a typo. We benchmark the intended [::-1, ::-1].
    Pipeline("ones_revmul_mean", "o = ones((200000, 4000)); (o * o[::-1, ::-1]).mean()",
             (200000, 4000), (), 1.0, 1e-12, True),
    Pipeline("ones_mean0", "o = ones((20000, 20000)); o.mean(axis=0)",
             (20000, 20000), (20000,), 1.0, 1e-12, True),
]}

# The scale suite: chunk sizes, culling, a 64 GB virtual array, 10^6 chunks. cdask's
# random arrays here use its default seed 0, as the seeds' Python forms have no seed.
_SCALE = dict(suite="scale", engines=("cdask", "handc", "dask", "numpy"))
_NUMPY_64GB = ("numpy", "skipped: NumPy holds the whole 64 GB array; this machine has 24 GB")
_DASK_1E6 = ("dask", "skipped: about 0.3 ms per chunk in Dask (measured at 10^4 to 3*10^4 "
             "chunks), so over 5 min for 10^6")
PIPELINES.update({p.name: p for p in [
    *(Pipeline(f"normal_mean0_c{c}", f"x = normal(size=(10000, 10000)); x.mean(axis=0), chunks {c}",
               (10000, 10000), (10000,), 0.0, 0.01, False, chunks=(c, c),
               handc="normal10_mean0.c -DLOC=0.0 -DSCALE=1.0 -DSEED=0", group="chunk sweep", **_SCALE)
      for c in (100, 250, 1000, 5000, 10000)),
    Pipeline("normal10_mean0_cull", "x = normal(10, 0.1, size=(20000, 20000)); x.mean(axis=0)[:100]",
             (20000, 20000), (100,), 10.0, 0.01, False,
             handc="normal10_mean0.c -DSEED=0 -DNOUT=100", **_SCALE),
    Pipeline("normal_mean_64gb", "x = normal(size=(200000, 40000)); x.mean()",
             (200000, 40000), (), 0.0, 0.01, False, once=("dask",), suite="scale",
             engines=("cdask", "handc", "dask"), skip=(_NUMPY_64GB,)),
    Pipeline("ones_mean_1e6chunks", "o = ones((1000, 1000)); o.mean(), chunks (1, 1)",
             (1000, 1000), (), 1.0, 1e-12, True, chunks=(1, 1), suite="scale",
             engines=("cdask", "handc", "numpy"), skip=(_DASK_1E6,)),
]})

# The fft suite: 2-D FFTs of images read from .npy files (run.py makes them, once, in
# bench/out/inputs/). cdask's .lua files spell WIENER_LAMBDA out: keep them in step.
WIENER_LAMBDA = 0.1   # tests/py/ska_reference.py's default (chosen there)
SKA_SOURCES = 1000    # point sources in the Wiener rows' sky (make_ska_inputs.py --sources)
_FFT = dict(suite="fft", chunks=(1024, 1024), l2_tol=1e-9, handc_libs="-lfftw3_omp -lfftw3")
PIPELINES.update({p.name: p for p in [
    *(Pipeline(f"fft2_roundtrip_{n}", "x = load('input.npy'); real(ifft2(fft2(x)))",
               (n, n), (n, n), None, 0.0, False, inputs="random", l2_input="input.npy",
               handc="fft2_roundtrip.c", **_FFT) for n in (4096, 8192)),
    *(Pipeline(f"wiener_{n}", "H = fft2(ifftshift(load('psf.npy'))); D = fft2(load('dirty.npy')); "
               f"real(ifft2(conj(H) * D / (abs(H)**2 + {WIENER_LAMBDA!r})))",
               (n, n), (n, n), None, 0.0, False, inputs="ska",
               handc=f"wiener.c -DLAMBDA={WIENER_LAMBDA!r}", **_FFT) for n in (4096, 8192)),
]})

SEED = 1  # Dask's and NumPy's generators (cdask's seeds are in the .lua files), and the
#           fft suite's inputs
RESULT_FILE = "result.npy"
