#!/usr/bin/python3
"""The predicted cost of each fused group (compiler/cost.c): the manifest's
groups[i].cost and --explain's "cost:" lines, checked exactly on small pipelines against
numbers computed here from the shapes and dtypes (NumPy's itemsize): elements computed,
bytes read from input files and stored arrays (elements * itemsize per read), bytes written
(the stored result), and the FLOP estimate (1 per elementwise operation, 20 per
transcendental one, 1 per reduced element, 0 for a C kernel's call, which --explain flags)."""

import json
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdask_testlib import Results, cdaskc, rmtree, run, tempdir, write  # noqa: E402

SCRIPT = """local da = require("cdask.array")
local cd = require("cdask")
local k = cd.cfile("k.c")
local a = da.from_npy("a.npy")     -- (10, 20) float32
local b = da.from_npy("b.npy")     -- (20,) int64
local y = a * 2 + 1                -- group 0: stored, read by two groups
da.to_npy(y, "y.npy")
da.to_npy(y:sum(0), "s.npy")       -- group 1: reads y
da.to_npy(da.exp(y) + b, "e.npy")  -- group 2: reads y and the file b.npy
da.to_npy(k.twice(b), "t.npy")     -- group 3: a C kernel
"""

KERNEL = """double twice(double x) { return 2 * x; }
"""


def cost_lines(stdout):
    """--explain's cost lines, in group order, as tuples of numbers"""
    return [tuple(float(v) for v in m) for m in re.findall(
        r"^  cost: (\d+) elements, (\d+) bytes read, (\d+) bytes written, (\d+) flops", stdout, re.M)]


def main():
    r = Results()
    d = tempdir("cost")
    try:
        np.save(os.path.join(d, "a.npy"), np.zeros((10, 20), np.float32))
        np.save(os.path.join(d, "b.npy"), np.zeros(20, np.int64))
        write(os.path.join(d, "p.lua"), SCRIPT)
        write(os.path.join(d, "k.c"), KERNEL)
        p = cdaskc(["p.lua", "-o", "p", "--explain"], cwd=d)
        if not r.check(p.returncode == 0, "compiles", p.stderr):
            return r.finish()
        m = run([os.path.join(d, "p"), "--manifest"], cwd=d)
        groups = json.loads(m.stdout)["groups"]
        f4, i8, f8 = 4, np.dtype(np.int64).itemsize, 8
        e = 10 * 20
        want = [  # elements, bytes read, bytes written, flops
            (e, e * f4, e * f4, 2 * e),           # a * 2 + 1: multiply, add
            (e, e * f4, 20 * f4, e),              # sum(0): one add per element
            (e, e * f4 + e * i8, e * f8, 23 * e),  # exp 20, add 1, casts of both to float64 1 each
            (20, 20 * i8, 20 * f8, 20),           # the kernel 0, its int64 -> float64 cast 1
        ]
        keys = ("elements", "bytes_read", "bytes_written", "flops")
        got = [tuple(g["cost"][k] for k in keys) for g in groups]
        r.check(len(groups) == 4, "four groups", m.stdout)
        for i, (g, w) in enumerate(zip(got, want)):
            r.check(g == w, "group %d cost %s" % (i, dict(zip(keys, w))), "got %s" % (g,))
        r.check(all(isinstance(g["cost"][k], int) for g in groups for k in keys),
                "the manifest's numbers are JSON integers", m.stdout)
        r.check(cost_lines(p.stdout) == got, "--explain prints the manifest's numbers", p.stdout)
        lines = p.stdout.splitlines()
        gline = [i for i, s in enumerate(lines) if s.startswith("group 3 ")]
        r.check(gline and "the C kernels' work not counted" in lines[gline[0] + 1] and
                "not counted" not in lines[gline[0] - 1],
                "--explain flags the group that calls a C kernel, only it", p.stdout)
    finally:
        rmtree(d)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
