"""Storing against recomputing (compiler/fuse.c): an expensive intermediate that several
groups read is computed once and stored when that fits in the memory budget, and
recomputed in each group when it does not. Either way the results are the same bits, and
they match NumPy computed from the random array the program saves. Reshapes that merge
axes and concatenations store their inputs; reshapes that only split axes do not."""

import json
import os
import tempfile

import numpy as np

from cdask_testlib import CDASKC, Results, run

SCRIPT = """local da = require("cdask.array")
local x = da.random.normal(0, 1, {400, 300}, {chunks = {100, 100}, seed = 5})
local y = da.sin(x) * da.exp(x * 0.1) + da.cos(x)
da.to_npy(y:mean(0), "m0.npy")
da.to_npy(y:max(1), "m1.npy")
da.to_npy(y:std(), "sd.npy")
da.to_npy(x, "x.npy")
"""

LAYOUT = """local da = require("cdask.array")
local x = da.random.uniform(0, 1, {60, 40}, {chunks = {7, 9}, seed = 2})
da.to_npy(x:reshape({3, 20, 40}):sum(1), "split.npy")
da.to_npy((x * 2):reshape({40, 60}):sum(0), "merge.npy")
"""


def compile_run(d, name, script, extra):
    with open(os.path.join(d, name + ".lua"), "w") as f:
        f.write(script)
    p = run([CDASKC, name + ".lua", "-o", name, "--explain", "--dump-fused", name + ".json"] + extra,
            cwd=d)
    if p.returncode != 0:
        return p, None
    out = os.path.join(d, name + "_out")
    os.mkdir(out)
    q = run([os.path.join(d, name), "--threads", "2", "--out", out], cwd=d)
    return p, (q, out)


def main():
    r = Results()
    with tempfile.TemporaryDirectory() as d:
        p, res = compile_run(d, "big", SCRIPT, [])
        r.check(p.returncode == 0 and res and res[0].returncode == 0, "default budget compiles and runs",
                p.stderr if res is None else res[0].stderr)
        r.check("stored: read by" in p.stdout, "--explain says the intermediate is stored",
                p.stdout)
        groups = json.load(open(os.path.join(d, "big.json")))["groups"]
        p2, res2 = compile_run(d, "small", SCRIPT, ["--memory-limit", "1500kB"])
        r.check(p2.returncode == 0 and res2 and res2[0].returncode == 0,
                "a small budget compiles and runs", p2.stderr if res2 is None else res2[0].stderr)
        r.check("stored: read by" not in p2.stdout, "a small budget recomputes", p2.stdout)
        groups2 = json.load(open(os.path.join(d, "small.json")))["groups"]
        r.check(len(groups) == len(groups2) + 1, "storing adds one group",
                "%d vs %d" % (len(groups), len(groups2)))
        if res and res2:
            x = np.load(os.path.join(res[1], "x.npy"))
            y = np.sin(x) * np.exp(x * 0.1) + np.cos(x)
            want = {"m0.npy": y.mean(0), "m1.npy": y.max(1), "sd.npy": y.std()}
            for f, v in want.items():
                a = np.load(os.path.join(res[1], f))
                b = np.load(os.path.join(res2[1], f))
                r.check(a.tobytes() == b.tobytes(), f + ": stored and recomputed agree bit for bit")
                r.check(np.allclose(a, v, rtol=1e-13, atol=0), f + ": matches NumPy",
                        "max diff %g" % np.max(np.abs(a - v)))
        p3, res3 = compile_run(d, "layout", LAYOUT, [])
        r.check(p3.returncode == 0 and res3 and res3[0].returncode == 0, "reshapes compile and run",
                p3.stderr)
        stored = [l for l in p3.stdout.splitlines() if "merges axes" in l]
        r.check(len(stored) == 1 and "multiply" in stored[0],
                "only the merging reshape stores its input (x * 2)", p3.stdout)
    r.finish()


if __name__ == "__main__":
    main()
