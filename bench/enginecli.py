"""Command line shared by engine_numpy.py and engine_dask.py: run one pipeline, time it,
save its result to DIR/result.npy and print {"compute_s": ...} as one JSON line.
Each pipeline is a function (shape, chunks) -> array; chunks come from spec.py."""
import argparse
import json
import os
import time

import numpy as np

from spec import PIPELINES, RESULT_FILE


def main(pipelines, finish=np.asarray, setup=lambda threads: None):
    ap = argparse.ArgumentParser()
    ap.add_argument("name", choices=sorted(pipelines))
    ap.add_argument("--out", help="directory for result.npy")
    ap.add_argument("--shrink", type=int, default=1, help="divide every dimension by K")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    p = PIPELINES[args.name]
    shape = tuple(d // args.shrink for d in p.shape)
    setup(args.threads)
    t0 = time.perf_counter()
    result = finish(pipelines[args.name](shape, p.chunks))
    compute_s = time.perf_counter() - t0
    if args.out:
        np.save(os.path.join(args.out, RESULT_FILE), np.asarray(result))
    print(json.dumps({"compute_s": compute_s}))
