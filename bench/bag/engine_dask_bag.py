#!/usr/bin/python3
"""The bag benchmark's Dask engine (Debian's python3-dask): one task with one scheduler,
its answers printed as cdask's db.print prints them ("label = repr").

    engine_dask_bag.py words|json|fold PATH_OR_N processes|threads WORKERS"""

import json
import sys
from operator import add

import dask
import dask.bag as db


def second(p):
    return p[1]


def main():
    task, arg, scheduler, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    dask.config.set(scheduler=scheduler, num_workers=workers)
    if task == "words":
        b = db.read_text(arg, blocksize="32MiB")
        top = b.str.split().flatten().frequencies().topk(10, key=second)
        print("top =", repr(top.compute()))
    elif task == "json":
        r = db.read_text(arg, blocksize="32MiB").map(json.loads)
        types, sizes = dask.compute(
            r.pluck("type").frequencies(),
            r.foldby("type", lambda t, x: t + x["size"], 0, add, 0))
        print("types =", repr(types))
        print("sizes =", repr(sizes))
    else:
        b = db.from_sequence(range(int(arg)), npartitions=6)
        print("total =", repr(b.fold(add, initial=0).compute()))


if __name__ == "__main__":
    main()
