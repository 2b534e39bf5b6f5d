"""Memory: fused pipelines run in memory independent of the array size (the seed's 6.4 GB
big_ones pipelines and a 64 GB virtual random array under a 512 MB address-space limit,
peak RSS under 256 MB), and plans that do not fit the memory limit fail clearly: at
compile time with the line and the array, at run time (--memory-limit) with exit code 5
and no output written."""

import os
import resource
import subprocess
import sys
import tempfile

import numpy as np

from cdask_testlib import CDASKC, Results, run

HEAD = 'local da = require("cdask.array")\n'


def limited(limit):
    def set_limit():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return set_limit


def run_measured(cmd, cwd, limit):
    """Runs cmd under an address-space limit; returns (returncode, stdout, stderr, peak KB)."""
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         preexec_fn=limited(limit), text=True)
    out, err = p.stdout.read(), p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, out, err, ru.ru_maxrss


def write(d, name, body):
    with open(os.path.join(d, name), "w") as f:
        f.write(HEAD + body)


def main():
    r = Results()
    with tempfile.TemporaryDirectory() as d:
        write(d, "big.lua",
              'local o = da.ones({200000, 4000}, {chunks = {1000, 1000}})\n'
              'da.print((o * o["::-1, ::-1"]):mean(), "a")\n'
              'da.print((da.cos(o) ^ 2):mean(1):sum(), "b")\n'
              'local x = da.random.normal(0, 1, {200000, 40000}, {chunks = {1000, 1000}})\n'
              'da.print(x:mean(), "c")\n')
        p = run([CDASKC, "big.lua", "-o", "big"], cwd=d, timeout=300)
        r.check(p.returncode == 0, "6.4 GB and 64 GB pipelines compile", p.stderr)
        rc, out, err, kb = run_measured([os.path.join(d, "big"), "--threads", "2"], d, 512 << 20)
        r.check(rc == 0, "they run under a 512 MB address-space limit", err)
        r.check(kb < 256 * 1024, "peak RSS under 256 MB (got %d MB)" % (kb // 1024))
        vals = dict(line.split(" = ") for line in out.splitlines() if " = " in line)
        r.check(vals.get("a") == "1", "ones * reversed ones has mean 1", out)
        c = float(vals.get("c", "nan"))
        r.check(abs(c) < 5 / (8e9 ** 0.5), "the 64 GB normal array has mean ~0 (%g)" % c)

        write(d, "toobig.lua",
              'local x = da.random.normal(0, 1, {20000, 4000})\n'
              'da.to_npy(x:mean(1), "m.npy")\n'
              'da.to_npy(x + 1, "y.npy")\n')
        p = run([CDASKC, "toobig.lua", "-o", "tb", "--memory-limit", "100M"], cwd=d)
        want = ("toobig.lua:4: error: the arrays kept in memory need 640.16 MB, over the memory "
                "limit of 104.86 MB (largest: add float64(20000,4000), 640.00 MB, made here); "
                "raise it with --memory-limit")
        r.check(p.returncode == 1 and p.stderr.splitlines()[:1] == [want],
                "compile time: the array, its size and its line", p.stderr)
        r.check(not os.path.exists(os.path.join(d, "tb")), "no program was built")
        p = run([CDASKC, "toobig.lua", "-o", "tb"], cwd=d, timeout=300)
        r.check(p.returncode == 0, "fits the default limit", p.stderr)
        q = run([os.path.join(d, "tb"), "--memory-limit", "100M"], cwd=d)
        r.check(q.returncode == 5 and "over the memory limit of 104.86 MB" in q.stderr and
                "toobig.lua:4" in q.stderr, "run time: exit 5 with the array and its line",
                q.stderr)
        r.check(not os.path.exists(os.path.join(d, "m.npy")) and
                not os.path.exists(os.path.join(d, "y.npy")), "run time: nothing written")
        q = run([os.path.join(d, "tb"), "--memory-limit", "lots"], cwd=d)
        r.check(q.returncode == 2, "a bad --memory-limit is a usage error", q.stderr)

        # a 2 GB input, streamed: a fused reduction under a 512 MB address-space limit
        rows, cols = 16384, 16384
        big = np.lib.format.open_memmap(os.path.join(d, "in.npy"), mode="w+",
                                        dtype=np.float64, shape=(rows, cols))
        for i in range(0, rows, 1024):
            big[i:i + 1024] = np.arange(i, i + 1024, dtype=np.float64)[:, None] * 1e-3 + \
                np.arange(cols, dtype=np.float64)[None, :]
        big.flush()
        want = np.asarray(big[:, ::-1]).mean(0)
        del big
        write(d, "stream.lua",
              'local a = da.from_npy("in.npy", {chunks = {1024, 1024}})\n'
              'da.to_npy(a[":, ::-1"]:mean(0), "m.npy")\n')
        p = run([CDASKC, "stream.lua", "-o", "stream"], cwd=d, timeout=300)
        r.check(p.returncode == 0, "2 GB input: compiles", p.stderr)
        rc, out, err, kb = run_measured([os.path.join(d, "stream")], d, 512 << 20)
        r.check(rc == 0, "2 GB input: runs under a 512 MB address-space limit", err)
        got = np.load(os.path.join(d, "m.npy")) if rc == 0 else None
        r.check(got is not None and np.allclose(got, want, rtol=1e-12, atol=0),
                "2 GB input: the mean equals NumPy's")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
