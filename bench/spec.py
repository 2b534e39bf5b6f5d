"""The benchmark pipelines: one table shared by the harness and the Python engines."""
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Pipeline:
    name: str
    reference: str       # the Python (dask.array / NumPy) form every engine implements
    shape: tuple         # shape of the input array
    out_shape: tuple     # shape of the full reduction result
    expect_mean: float   # expected mean of the result array
    tol: float           # absolute tolerance on that mean
    exact: bool          # deterministic input: engines must agree element-wise


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

CHUNKS = (1000, 1000)
SEED = 1
RESULT_FILE = "result.npy"
