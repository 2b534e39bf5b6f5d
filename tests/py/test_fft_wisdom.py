"""FFTW wisdom: a program run with --fft-plan=measure --fft-wisdom-out FILE saves the plans
it measured; cdaskc --fft-wisdom FILE embeds them, and that program says "wisdom" in its
manifest, gives numpy.fft's values and the same bits on 1 and 3 threads and run after run.
Bad wisdom files are refused by cdaskc with a message naming the file."""

import json
import os
import tempfile

import numpy as np

from cdask_testlib import CDASKC, Results, run

SCRIPT = """local da = require("cdask.array")
local x = da.from_npy("x.npy", {chunks = {16, 20}})
da.to_npy(da.fft.fft2(x), "f.npy")
da.to_npy(da.fft.irfft(da.fft.rfft(x:astype("float32")), 60), "r.npy")
"""


def main():
    r = Results()
    x = np.random.RandomState(5).normal(size=(48, 60))
    with tempfile.TemporaryDirectory() as d:
        np.save(os.path.join(d, "x.npy"), x)
        with open(os.path.join(d, "w.lua"), "w") as f:
            f.write(SCRIPT)
        p = run([CDASKC, "w.lua", "-o", "m"], cwd=d, timeout=300)
        if not r.check(p.returncode == 0, "compiles without wisdom", p.stderr):
            return r.finish()
        q = run(["./m", "--fft-plan=measure", "--fft-wisdom-out", "wisdom.txt"], cwd=d)
        r.check(q.returncode == 0, "a measured run saves its wisdom", q.stderr)
        text = open(os.path.join(d, "wisdom.txt")).read() if os.path.exists(
            os.path.join(d, "wisdom.txt")) else ""
        r.check("fftw_wisdom" in text and "fftwf_wisdom" in text,
                "the wisdom file has both precisions", text[:200])
        p = run([CDASKC, "w.lua", "-o", "w", "--fft-wisdom", "wisdom.txt"], cwd=d, timeout=300)
        if not r.check(p.returncode == 0, "compiles with --fft-wisdom", p.stderr):
            return r.finish()
        m = json.loads(run(["./w", "--manifest"], cwd=d).stdout)
        r.check(m.get("fft_plan") == "wisdom", "the manifest says wisdom", str(m.get("fft_plan")))
        m0 = json.loads(run(["./m", "--manifest"], cwd=d).stdout)
        r.check(m0.get("fft_plan") == "estimate", "without wisdom the manifest says estimate",
                str(m0.get("fft_plan")))
        bits = {}
        for run_no, threads in enumerate(("1", "3", "3")):
            out = os.path.join(d, "o%d" % run_no)
            os.mkdir(out)
            q = run(["./w", "--threads", threads, "--out", out], cwd=d)
            if not r.check(q.returncode == 0, "run %d (%s threads)" % (run_no, threads), q.stderr):
                continue
            f, g = np.load(os.path.join(out, "f.npy")), np.load(os.path.join(out, "r.npy"))
            bits.setdefault("f", set()).add(f.tobytes())
            bits.setdefault("r", set()).add(g.tobytes())
            want = np.fft.fft2(x)
            r.check(np.linalg.norm(f - want) <= 1e-12 * np.linalg.norm(want),
                    "run %d: fft2 matches numpy" % run_no)
            x32 = x.astype("float32")
            want = np.fft.irfft(np.fft.rfft(x32), 60)
            r.check(np.linalg.norm(g - want) <= 1e-5 * np.linalg.norm(want),
                    "run %d: float32 rfft/irfft matches numpy" % run_no)
        r.check(len(bits.get("f", ())) == 1 and len(bits.get("r", ())) == 1,
                "same bits on every run and thread count")
        with open(os.path.join(d, "bad.txt"), "w") as f:
            f.write("(not wisdom at all")
        for name, want in (("bad.txt", "bad.txt is not FFTW wisdom"),
                           ("missing.txt", "cannot read the FFTW wisdom missing.txt")):
            p = run([CDASKC, "w.lua", "-o", "b", "--fft-wisdom", name], cwd=d, timeout=300)
            r.check(p.returncode != 0 and want in p.stderr and not os.path.exists(
                os.path.join(d, "b")), "cdaskc refuses %s" % name, p.stderr)
    return r.finish()


if __name__ == "__main__":
    raise SystemExit(main())
