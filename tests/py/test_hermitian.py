"""The Hermitian rewrite (compiler/hermitian.c): real(ifftn(Y)) becomes irfftn of Y's half
spectrum when Y is provably Hermitian, and only then. Every case is checked against
numpy.fft (relative L2 <= 1e-12) on two chunkings and 1 and 3 threads (same bits), and
--explain must say "as irfftn" exactly for the cases that are provably Hermitian: a rewrite
of one that is not would give wrong numbers, a missed one would be slow."""

import os
import re
import tempfile

import numpy as np

from cdask_testlib import CDASKC, Results, run

F = np.fft
R = np.random.RandomState(7)
INPUTS = {
    "a": R.normal(size=17),          # prime
    "b": R.normal(size=(12, 9)),     # even x odd
    "c": R.normal(size=(5, 6, 7)),
    "z": R.normal(size=(8, 11)) + 1j * R.normal(size=(8, 11)),
    "s": R.normal(size=(6, 7)).astype("float32"),
}
CHUNKS = [{}, {"a": 5, "b": (5, 4), "c": (2, 4, 3), "z": (3, 5), "s": (4, 2)}]


def ffq(n):
    return F.fftfreq(n)


# (label, provably Hermitian, lua expression, numpy function of the inputs)
CASES = [
    ("roundtrip_2d", True, "da.real(da.fft.ifft2(da.fft.fft2(b)))",
     lambda i: F.ifft2(F.fft2(i["b"])).real),
    ("roundtrip_1d_prime", True, "da.real(da.fft.ifft(da.fft.fft(a)))",
     lambda i: F.ifft(F.fft(i["a"])).real),
    ("roundtrip_3d", True, "da.real(da.fft.ifftn(da.fft.fftn(c)))",
     lambda i: F.ifftn(F.fftn(i["c"])).real),
    ("axes_02", True, "da.real(da.fft.ifftn(da.fft.fftn(c, nil, {0, 2}), nil, {0, 2}))",
     lambda i: F.ifftn(F.fftn(i["c"], axes=(0, 2)), axes=(0, 2)).real),
    ("axes_20", True, "da.real(da.fft.ifftn(da.fft.fftn(c, nil, {2, 0}), nil, {2, 0}))",
     lambda i: F.ifftn(F.fftn(i["c"], axes=(2, 0)), axes=(2, 0)).real),
    ("norms", True, 'da.real(da.fft.ifft2(da.fft.fft2(b, nil, nil, "ortho"), nil, nil, "forward"))',
     lambda i: F.ifft2(F.fft2(i["b"], norm="ortho"), norm="forward").real),
    ("wiener", True,
     "da.real(da.fft.ifft2(da.conj(da.fft.fft2(b)) * da.fft.fft2(b * 2 - 1) / (da.abs(da.fft.fft2(b)) ^ 2 + 0.5)))",
     lambda i: F.ifft2(np.conj(F.fft2(i["b"])) * F.fft2(i["b"] * 2 - 1) /
                       (np.abs(F.fft2(i["b"])) ** 2 + 0.5)).real),
    ("laplacian", True,
     "da.real(da.fft.ifft2(da.fft.fft2(b) / (1 + (4 - 2 * da.cos(da.fft.fftfreq(12) * 6.2):reshape({12, 1}) - 2 * da.cos(da.fft.fftfreq(9) * 6.2)) ^ 2)))",
     lambda i: F.ifft2(F.fft2(i["b"]) / (1 + (4 - 2 * np.cos(ffq(12) * 6.2).reshape(12, 1) -
                                                 2 * np.cos(ffq(9) * 6.2)) ** 2)).real),
    ("odd_times_odd", True,
     "da.real(da.fft.ifft(da.fft.fft(a) * (da.fft.fftfreq(17) * da.sin(da.fft.fftfreq(17)) + 1)))",
     lambda i: F.ifft(F.fft(i["a"]) * (ffq(17) * np.sin(ffq(17)) + 1)).real),
    ("where_abs", True,
     "da.real(da.fft.ifft2(da.where(da.abs(da.fft.fft2(b)):gt(1), da.fft.fft2(b), 0)))",
     lambda i: F.ifft2(np.where(np.abs(F.fft2(i["b"])) > 1, F.fft2(i["b"]), 0)).real),
    ("float32", True, "da.real(da.fft.ifft2(da.fft.fft2(s) * 3))",
     lambda i: F.ifft2(F.fft2(i["s"]) * 3).real),
    # not provably Hermitian: the transform must stay complex
    ("times_input", False, "da.real(da.fft.ifft2(da.fft.fft2(b) * b))",
     lambda i: F.ifft2(F.fft2(i["b"]) * i["b"]).real),
    ("times_odd", False, "da.real(da.fft.ifft(da.fft.fft(a) * da.fft.fftfreq(17)))",
     lambda i: F.ifft(F.fft(i["a"]) * ffq(17)).real),
    # (the imaginary part is odd: the real part of its inverse is the delta of the + 1)
    ("imag_part", False, "da.real(da.fft.ifft2(da.imag(da.fft.fft2(b)) + 1))",
     lambda i: F.ifft2(F.fft2(i["b"]).imag + 1).real),
    ("other_axes", False, "da.real(da.fft.ifftn(da.fft.fftn(c, nil, {0, 1}), nil, {1, 2}))",
     lambda i: F.ifftn(F.fftn(i["c"], axes=(0, 1)), axes=(1, 2)).real),
    ("reversed", False, 'da.real(da.fft.ifft2(da.fft.fft2(b) * da.fft.fft2(b)["::-1"]))',
     lambda i: F.ifft2(F.fft2(i["b"]) * F.fft2(i["b"])[::-1]).real),
    ("complex_input", False, "da.real(da.fft.ifft2(da.fft.fft2(z)))",
     lambda i: F.ifft2(F.fft2(i["z"])).real),
    ("inverse_first", False, "da.real(da.fft.ifft2(da.fft.ifft2(b)))",
     lambda i: F.ifft2(F.ifft2(i["b"])).real),
]


def script(ci):
    lines = ['local da = require("cdask.array")']
    for name in INPUTS:
        c = CHUNKS[ci].get(name)
        opt = "" if c is None else ", {chunks = %s}" % (
            str(c) if isinstance(c, int) else "{" + ", ".join(map(str, c)) + "}")
        lines.append('local %s = da.from_npy("%s.npy"%s)' % (name, name, opt))
    first = len(lines) + 1
    for label, _, expr, _ in CASES:
        lines.append('da.to_npy(%s, "%s.npy")' % (expr, label))
    return "\n".join(lines) + "\n", first


def main():
    r = Results()
    with tempfile.TemporaryDirectory() as d:
        for name, v in INPUTS.items():
            np.save(os.path.join(d, name + ".npy"), v)
        for ci in range(len(CHUNKS)):
            text, first = script(ci)
            with open(os.path.join(d, "h%d.lua" % ci), "w") as f:
                f.write(text)
            p = run([CDASKC, "h%d.lua" % ci, "-o", "h%d" % ci, "--explain"], cwd=d, timeout=600)
            if not r.check(p.returncode == 0, "chunking %d compiles" % ci, p.stderr):
                continue
            rewritten = set()
            for line in p.stdout.splitlines():
                m = re.search(r"h%d\.lua:(\d+)\).*as irfftn" % ci, line)
                if m:
                    rewritten.add(int(m.group(1)) - first)
            for k, (label, herm, _, _) in enumerate(CASES):
                r.check((k in rewritten) == herm, "%s [chunking %d] %s" % (
                    label, ci, "rewritten as irfftn" if herm else "left complex"), p.stdout)
            for threads in ("1", "3"):
                out = os.path.join(d, "out%d_%s" % (ci, threads))
                os.mkdir(out)
                q = run([os.path.join(d, "h%d" % ci), "--threads", threads, "--out", out], cwd=d)
                r.check(q.returncode == 0, "chunking %d runs on %s threads" % (ci, threads), q.stderr)
            for label, _, _, fn in CASES:
                want = fn(INPUTS)
                p1 = os.path.join(d, "out%d_1" % ci, label + ".npy")
                p3 = os.path.join(d, "out%d_3" % ci, label + ".npy")
                if not (os.path.exists(p1) and os.path.exists(p3)):
                    r.check(False, "%s [chunking %d] written" % (label, ci))
                    continue
                got, got3 = np.load(p1), np.load(p3)
                f32 = label == "float32"
                tol = 1e-5 if f32 else 1e-12
                want_t = np.float32 if f32 else want.dtype
                err = np.linalg.norm(got - want) / max(np.linalg.norm(want), 1e-300)
                r.check(got.shape == want.shape and got.dtype == want_t and err <= tol,
                        "%s [chunking %d] matches numpy.fft" % (label, ci),
                        "shape %s/%s dtype %s/%s rel L2 %.3g" % (got.shape, want.shape,
                                                                 got.dtype, want_t, err))
                r.check(got.tobytes() == got3.tobytes(),
                        "%s [chunking %d] same bits on 1 and 3 threads" % (label, ci))
    return r.finish()


if __name__ == "__main__":
    raise SystemExit(main())
