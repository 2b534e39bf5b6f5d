"""The memory plan (compiler/memplan.c): groups run in order, buffers die after their last
reader, a group writes in place over an input that dies with it when every read is at the
same index (never otherwise), and the compile-time peak (--manifest "peak_bytes") is what
the memory limit is checked against, at compile time and in the program. Checked on the
manifest, --explain, the peak RSS of runs (os.wait4), and NumPy for the values."""

import json
import os
import subprocess
import tempfile

import numpy as np

from cdask_testlib import CDASKC, Results, run

N = 2048  # the FFT image: 32 MB of float64
R = np.random.RandomState(11)


def compile_(d, name, text, extra=()):
    with open(os.path.join(d, name + ".lua"), "w") as f:
        f.write(text)
    return run([CDASKC, name + ".lua", "-o", name, "--explain"] + list(extra), cwd=d, timeout=300)


def manifest(d, name):
    p = run([os.path.join(d, name), "--manifest"], cwd=d)
    return json.loads(p.stdout)


def run_rss(d, name, args=()):
    """Runs the program; returns (exit code, peak RSS in bytes, stderr)."""
    p = subprocess.Popen([os.path.join(d, name)] + list(args), cwd=d, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    err = p.stderr.read().decode()
    p.stdout.close(), p.stderr.close()
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024, err


def fft_roundtrip(r, d):
    x = R.normal(size=(N, N))
    np.save(os.path.join(d, "x.npy"), x)
    p = compile_(d, "rt", 'local da = require("cdask.array")\n'
                 'local x = da.from_npy("x.npy")\n'
                 'da.to_npy(da.real(da.fft.ifft2(da.fft.fft2(x))), "rt.npy")\n')
    if not r.check(p.returncode == 0, "fft round trip compiles", p.stderr):
        return
    m = manifest(d, "rt")
    half = N * (N // 2 + 1) * 16
    want_peak = N * N * 8 + half  # the r2c input and its half spectrum; later the spectrum
    r.check(m["peak_bytes"] == want_peak, "round trip: peak is one real image and one half "
            "spectrum", "%s != %d" % (m["peak_bytes"], want_peak))
    g = m["groups"]
    r.check(len(g) == 2 and g[1]["in_place_over"] == 0, "round trip: the inverse runs in place "
            "over the forward transform's spectrum", json.dumps(g))
    r.check("no tiles: they would copy it onto itself" in p.stdout,
            "round trip: --explain says the copy is skipped", p.stdout)
    code, rss, err = run_rss(d, "rt", ["--threads", "2"])
    r.check(code == 0, "round trip runs", err)
    got = np.load(os.path.join(d, "rt.npy"))
    want = np.fft.ifft2(np.fft.fft2(x)).real
    r.check(np.linalg.norm(got - want) <= 1e-12 * np.linalg.norm(want), "round trip values")
    # the program's own memory on top of the plan: code, libraries, FFT batches, stacks
    r.check(rss <= want_peak + 48 * 2**20, "round trip: peak RSS %.0f MB within the plan's "
            "%.0f MB (+48 MB)" % (rss / 2**20, want_peak / 2**20))
    # the limit is checked against the peak, not the sum of all buffers
    lim = "%dK" % ((want_peak + 2**20) // 1024)
    q = run([os.path.join(d, "rt"), "--memory-limit", lim, "--out", d], cwd=d)
    r.check(q.returncode == 0, "round trip runs under a limit just above its peak (%s)" % lim,
            q.stderr)
    low = "%dK" % ((want_peak - 2**20) // 1024)
    q = run([os.path.join(d, "rt"), "--memory-limit", low], cwd=d)
    r.check(q.returncode == 5 and "over the memory limit" in q.stderr,
            "round trip: a limit under the peak is exit 5 with a message", q.stderr)
    p = compile_(d, "rt2", open(os.path.join(d, "rt.lua")).read(), ["--memory-limit", low])
    r.check(p.returncode != 0 and "rt2.lua:" in p.stderr and "memory limit" in p.stderr,
            "round trip: cdaskc with a limit under the peak names the line", p.stderr)


SCAN = """local da = require("cdask.array")
local x = da.from_npy("s.npy", {chunks = {7, 5}})
local y = x:cumsum(0)
da.to_npy(da.sin(y) * 2 + y, "inplace.npy")
local w = x:cumprod(1)
da.to_npy(w.T + w, "transposed.npy")
local v = (x * 3):cumsum(1)
da.to_npy(v + v["::-1"], "reversed.npy")
local u = x:cumsum(1)
da.to_npy(u:sum(0), "sum.npy")
da.to_npy(u * 2, "twice.npy")
"""


def in_place(r, d):
    s = R.uniform(0.5, 1.5, size=(12, 12))
    np.save(os.path.join(d, "s.npy"), s)
    p = compile_(d, "sc", SCAN)
    if not r.check(p.returncode == 0, "scan pipeline compiles", p.stderr):
        return
    g = manifest(d, "sc")["groups"]
    by_line = {}
    for x in g:
        by_line.setdefault(x["line"], []).append(x)

    def donor(line):
        return [x["in_place_over"] for x in by_line.get(line, [])]

    r.check(any(k >= 0 for k in donor(4)), "sin(y) * 2 + y writes in place over y",
            json.dumps(g))
    r.check(all(k < 0 for k in donor(6)), "w.T + w is not in place (transposed read)",
            json.dumps(g))
    r.check(all(k < 0 for k in donor(8)), "v + v[::-1] is not in place (reversed read)",
            json.dumps(g))
    r.check(any(k >= 0 for k in donor(11)), "u * 2 writes in place over u, after u:sum(0) "
            "(an earlier group) read it", json.dumps(g))
    for threads in ("1", "3"):
        out = os.path.join(d, "o" + threads)
        os.mkdir(out)
        q = run([os.path.join(d, "sc"), "--threads", threads, "--out", out], cwd=d)
        if not r.check(q.returncode == 0, "scan pipeline runs on %s threads" % threads, q.stderr):
            continue
        y, w, v, u = s.cumsum(0), s.cumprod(1), (s * 3).cumsum(1), s.cumsum(1)
        for name, want in (("inplace", np.sin(y) * 2 + y), ("transposed", w.T + w),
                           ("reversed", v + v[::-1]), ("sum", u.sum(0)), ("twice", u * 2)):
            got = np.load(os.path.join(out, name + ".npy"))
            r.check(np.allclose(got, want, rtol=1e-14, atol=0), "%s on %s threads" % (
                name, threads), "max diff %g" % np.max(np.abs(got - want)))


def main():
    r = Results()
    with tempfile.TemporaryDirectory() as d:
        in_place(r, d)
        fft_roundtrip(r, d)
    return r.finish()


if __name__ == "__main__":
    raise SystemExit(main())
