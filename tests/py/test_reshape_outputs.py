"""A reshape that merges axes reads its input's memory. When that reshape is itself stored
(an output) and other work reads it too, the readers must read the stored reshape: the
input's buffer may already be freed (issue 10, wrong answer 1: SIGSEGV). Each case runs
with 1 and 3 threads and several chunkings, checked against NumPy."""

import os
import sys
import tempfile

import numpy as np

from cdask_testlib import CDASKC, Results, run, short

HEAD = 'local da = require("cdask.array")\n'

A = np.arange(12.0).reshape(3, 4) * 0.5 - 1.25
C = np.arange(9.0).reshape(3, 3) * 1.5 + 0.25

# (name, script body with {ch} for the chunks of a.npy, {{name: NumPy result}})
CASES = [
    ("reshape stored and read by an add",
     'local v = da.from_npy("a.npy"{ch}):reshape(12)\n'
     'da.to_npy(v + 1, "r.npy")\n'
     'da.to_npy(v, "b.npy")\n',
     {"r.npy": A.reshape(12) + 1, "b.npy": A.reshape(12)}),
    ("reshape output first, then its reader",
     'local v = da.from_npy("a.npy"{ch}):reshape({2, 6})\n'
     'da.to_npy(v, "b.npy")\n'
     'da.to_npy((v * v):sum(1), "s.npy")\n',
     {"b.npy": A.reshape(2, 6), "s.npy": (A.reshape(2, 6) ** 2).sum(1)}),
    ("cumsum next to flatten",
     'local x = da.from_npy("a.npy"{ch})\n'
     'da.to_npy(x:cumsum(), "cs.npy")\n'
     'da.to_npy(x:flatten(), "fl.npy")\n',
     {"cs.npy": np.cumsum(A), "fl.npy": A.flatten()}),
    ("concatenate, reshape (an output), rechunk",
     'local a = da.from_npy("a.npy"{ch})\n'
     'local r = da.concatenate({a, da.from_npy("c.npy")}, 1):reshape(21)\n'
     'da.to_npy(r, "r.npy")\n'
     'da.to_npy(r:rechunk(5) * 2, "q.npy")\n',
     {"r.npy": np.concatenate([A, C], 1).reshape(21),
      "q.npy": np.concatenate([A, C], 1).reshape(21) * 2}),
    ("reshape read by a reduction and a transpose",
     'local v = (da.from_npy("a.npy"{ch}) * 3):reshape({4, 3})\n'
     'da.to_npy(v, "b.npy")\n'
     'da.to_npy(v:max(0), "m.npy")\n'
     'da.to_npy(v.T - 1, "t.npy")\n',
     {"b.npy": (A * 3).reshape(4, 3), "m.npy": (A * 3).reshape(4, 3).max(0),
      "t.npy": (A * 3).reshape(4, 3).T - 1}),
]

CHUNKS = ["", ', {chunks = {1, 4}}', ', {chunks = {2, 3}}']


def main():
    r = Results()
    for name, body, want in CASES:
        for ch in CHUNKS:
            with tempfile.TemporaryDirectory() as d:
                np.save(os.path.join(d, "a.npy"), A)
                np.save(os.path.join(d, "c.npy"), C)
                with open(os.path.join(d, "p.lua"), "w") as f:
                    f.write(HEAD + body.replace("{ch}", ch))
                label = "%s (%s)" % (name, ch.lstrip(", ") or "default chunks")
                p = run([CDASKC, "p.lua", "-o", "p"], cwd=d, timeout=300)
                if not r.check(p.returncode == 0, label + ": compiles", short(p.stderr)):
                    continue
                for threads in ("1", "3"):
                    for out in want:
                        if os.path.exists(os.path.join(d, out)):
                            os.unlink(os.path.join(d, out))
                    q = run([os.path.join(d, "p"), "--threads", threads], cwd=d)
                    if not r.check(q.returncode == 0, "%s, %s threads: runs (exit %s)" %
                                   (label, threads, q.returncode), short(q.stderr)):
                        continue
                    for out, ref in want.items():
                        got = np.load(os.path.join(d, out))
                        r.check(got.shape == ref.shape and np.allclose(got, ref, rtol=1e-15,
                                                                       atol=0),
                                "%s, %s threads: %s equals NumPy" % (label, threads, out),
                                "got %r, want %r" % (got, ref))
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
