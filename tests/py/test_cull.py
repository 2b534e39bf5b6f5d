"""Culling: only the index ranges some output needs are computed. The program's --stats
counts the random numbers it generated; the culled results must equal (bitwise) the same
elements of the uncull computation."""

import os
import re
import sys
import tempfile

import numpy as np

from cdask_testlib import CDASKC, Results, run

HEAD = 'local da = require("cdask.array")\n'
X = 'local x = da.random.normal(10, 0.1, {2000, 3000}, {chunks = {100, 300}, seed = 5})\n'

# (name, the culled output line, the full output line, numbers the culled run may generate,
#  how to cut the full result down to the culled one)
CASES = [
    ("seed: x:mean(0)[0:100]", 'da.to_npy(x:mean(0)["0:100"], "r.npy")\n',
     'da.to_npy(x:mean(0), "r.npy")\n', 2000 * 100, lambda a: a[:100]),
    ("row block of a sum", 'da.to_npy(x:sum(1)["250:260"], "r.npy")\n',
     'da.to_npy(x:sum(1), "r.npy")\n', 10 * 3000, lambda a: a[250:260]),
    ("reversed column window", 'da.to_npy((x * 2)["::-1, 10:20"], "r.npy")\n',
     'da.to_npy((x * 2)["::-1, :"], "r.npy")\n', 2000 * 10, lambda a: a[:, 10:20]),
    ("transpose then slice", 'da.to_npy(x.T["5:7, 0:3"]:max(1), "r.npy")\n',
     'da.to_npy(x.T, "r.npy")\n', 2 * 3, lambda a: a[5:7, 0:3].max(1)),
]


def compile_run(d, name, body):
    with open(os.path.join(d, name + ".lua"), "w") as f:
        f.write(HEAD + X + body)
    p = run([CDASKC, name + ".lua", "-o", name, "--explain"], cwd=d, timeout=300)
    if p.returncode != 0:
        return None, None, p.stderr
    q = run([os.path.join(d, name), "--stats", "--threads", "2"], cwd=d)
    m = re.search(r"(\d+) random numbers", q.stderr)
    return (np.load(os.path.join(d, "r.npy")), int(m.group(1)) if m else None,
            p.stdout + q.stderr)


def main():
    r = Results()
    for name, culled, full, most, cut in CASES:
        with tempfile.TemporaryDirectory() as d:
            a, n, log = compile_run(d, "culled", culled)
            if not r.check(a is not None, name + ": compiles and runs", log):
                continue
            r.check(n is not None and 0 < n <= most,
                    "%s: generates at most %d random numbers (got %s)" % (name, most, n), log)
            r.check("culled" in log, name + ": --explain says what was culled", log)
            b, nfull, _ = compile_run(d, "full", full)
            r.check(b is not None and nfull == 2000 * 3000, name + ": the full run generates all")
            r.check(b is not None and np.array_equal(a, cut(b)),
                    name + ": culled values equal the full computation's, bit for bit")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
