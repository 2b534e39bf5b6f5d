"""The SIMD path of the vector kernels is measured, not assumed (issue 10): a program chooses
at its start the ISA of each vector kernel it calls (SLEEF's sin, cos, tan, exp, log, pow in
float64 and float32, the random generators); CDRT_VMATH_ISA forces one. Every ISA gives the
same bits, so the outputs of a pipeline with random normals, sin/cos/exp/log, float32 and
float64 are byte-identical with CDRT_VMATH_ISA=sse2, avx, avx512 (those the CPU has), auto
and unset, and match NumPy. --stats names the CPU (as /proc/cpuinfo does) and the ISA of each
kernel the program calls, one it can run on here; --manifest says the same in valid JSON. A
bad CDRT_VMATH_ISA is exit 2 with a message, before any work. A program without vector
kernels does no calibration. (The calibration's time is printed by --stats but not checked:
no timed tests.)"""

import json
import os
import re
import tempfile

import numpy as np

from cdask_testlib import CDASKC, Results, run

SCRIPT = """local da = require("cdask.array")
local x = da.from_npy("x.npy", {chunks = {50, 300}})
local n = da.random.normal(0, 1, {120, 700}, {chunks = {50, 300}, seed = 7})
local u = da.random.uniform(0.5, 2, {120, 700}, {chunks = {50, 300}, seed = 8})
da.to_npy(da.sin(x) + da.cos(x) * da.exp(x / 4) + da.log(da.abs(x) + 1) + da.tan(x / 3)
          + (da.abs(x) + 0.5) ^ 0.7, "f64.npy")
local xf = x:astype("float32")
da.to_npy(da.sin(xf) + da.cos(xf) * da.exp(xf / 4) + da.log(da.abs(xf) + 1), "f32.npy")
da.to_npy(da.sin(n) * da.exp(n / 4) + da.log(u) + da.cos(n), "rnd.npy")
"""
KERNELS = {"sin_f64", "cos_f64", "exp_f64", "log_f64", "tan_f64", "pow_f64", "sin_f32",
           "cos_f32", "exp_f32", "log_f32", "random_normal", "random_uniform"}
OUTPUTS = ("f64.npy", "f32.npy", "rnd.npy")
NONE_SCRIPT = """local da = require("cdask.array")
da.print((da.arange(10) * 2):sum(), "s")
"""


def cpuinfo():
    """The model name and the flags of the first CPU in /proc/cpuinfo."""
    model, flags = None, set()
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key.strip() == "model name" and model is None:
                model = value.strip()
            elif key.strip() == "flags" and not flags:
                flags = set(value.split())
    return model, flags


def runnable(kernel, flags, clang):
    """The ISAs a kernel can run on here (vmath.c's vm_supported): the CPU has it (AVX2 for
    the random kernels' "avx"); a clang build without -mavx calls SLEEF with SSE2 only."""
    isas = {"sse2"}
    sleef = kernel != "random_uniform"
    if not (clang and sleef):
        if "avx2" in flags or ("avx" in flags and not kernel.startswith("random")):
            isas.add("avx")
        if "avx512f" in flags:
            isas.add("avx512")
    return isas


def kernel_lines(stderr):
    """{kernel: (isa, rest of the line)} from the --stats lines."""
    return {m.group(1): (m.group(2), m.group(3)) for m in
            re.finditer(r"^stats: vector kernel (\w+): (\w+)(.*)$", stderr, re.M)}


def check_stats(r, name, stderr, model, expect_isa):
    """expect_isa(kernel) -> the set of ISAs allowed for it."""
    r.check(("stats: cpu: %s\n" % model) in stderr, name + ": --stats names the CPU", stderr)
    lines = kernel_lines(stderr)
    r.check(set(lines) == KERNELS, name + ": --stats lists the kernels the program calls",
            str(sorted(lines)))
    bad = {k: v for k, v in lines.items() if v[0] not in expect_isa(k)}
    r.check(not bad, name + ": each kernel on an allowed ISA", str(bad))


def main():
    r = Results()
    model, flags = cpuinfo()
    have = ["sse2"] + [isa for isa, flag in (("avx", "avx"), ("avx512", "avx512f")) if flag in flags]
    rng = np.random.RandomState(11)
    x = rng.normal(scale=3, size=(120, 700))
    with tempfile.TemporaryDirectory(prefix="cdask_vmath_") as d:
        np.save(os.path.join(d, "x.npy"), x)
        with open(os.path.join(d, "p.lua"), "w") as f:
            f.write(SCRIPT)
        p = run([CDASKC, "p.lua", "-o", "p"], cwd=d, timeout=300)
        if not r.check(p.returncode == 0, "compiles", p.stderr):
            return r.finish()
        m = json.loads(run(["./p", "--manifest"], cwd=d).stdout)
        clang = "clang" in m.get("built_with", "").lower()

        def allowed(k):
            return runnable(k, flags, clang)

        outputs = {}
        for setting in [None, "auto"] + have:
            name = "CDRT_VMATH_ISA=%s" % setting if setting is not None else "CDRT_VMATH_ISA unset"
            env = dict(os.environ)
            env.pop("CDRT_VMATH_ISA", None)
            if setting is not None:
                env["CDRT_VMATH_ISA"] = setting
            out = os.path.join(d, "out_%s" % setting)
            os.mkdir(out)
            q = run(["./p", "--stats", "--threads", "2", "--out", out], cwd=d, env=env)
            if not r.check(q.returncode == 0, name + ": runs", q.stderr):
                continue
            outputs[name] = [open(os.path.join(out, o), "rb").read() for o in OUTPUTS]
            if setting in (None, "auto"):
                check_stats(r, name, q.stderr, model, allowed)
                r.check(re.search(r"^stats: vector kernels: 12, calibration \d+\.\d{6} seconds$",
                                  q.stderr, re.M) is not None,
                        name + ": --stats gives the calibration's time", q.stderr)
            else:
                # forced: the widest ISA the kernel can run on, at or below the forced one
                order = ["sse2", "avx", "avx512"]

                def forced(k, setting=setting):
                    ok = [i for i in order[:order.index(setting) + 1] if i in allowed(k)]
                    return {ok[-1]}
                check_stats(r, name, q.stderr, model, forced)
                lines = kernel_lines(q.stderr)
                r.check(all(v[1] == " (forced)" for v in lines.values()),
                        name + ": --stats says forced", q.stderr)
            qm = run(["./p", "--manifest"], cwd=d, env=env)
            try:
                mm = json.loads(qm.stdout)
            except ValueError as e:
                r.check(False, name + ": --manifest is JSON", "%s: %s" % (e, qm.stdout[-300:]))
                continue
            r.check(mm.get("cpu") == model, name + ": the manifest names the CPU", str(mm.get("cpu")))
            want = "calibrated" if setting in (None, "auto") else "forced"
            r.check(mm.get("vmath_choice") == want, name + ": the manifest says " + want,
                    str(mm.get("vmath_choice")))
            isa = mm.get("vmath_isa", {})
            r.check(set(isa) == KERNELS and all(v in allowed(k) for k, v in isa.items()),
                    name + ": the manifest gives each kernel's ISA", str(isa))
        names = list(outputs)
        r.check(len(names) == len(have) + 2 and
                all(outputs[n] == outputs[names[0]] for n in names),
                "the same bytes with every ISA (%s)" % ", ".join(names))

        # the oracle: NumPy, for the parts without random numbers
        with np.errstate(all="ignore"):
            want64 = (np.sin(x) + np.cos(x) * np.exp(x / 4) + np.log(np.abs(x) + 1)
                      + np.tan(x / 3) + (np.abs(x) + 0.5) ** 0.7)
            xf = x.astype(np.float32)
            want32 = (np.sin(xf) + np.cos(xf) * np.exp(xf / np.float32(4))
                      + np.log(np.abs(xf) + np.float32(1)))
        out = os.path.join(d, "out_None")
        got64, got32 = np.load(os.path.join(out, "f64.npy")), np.load(os.path.join(out, "f32.npy"))
        r.check(got64.dtype == np.float64 and np.allclose(got64, want64, rtol=1e-12, atol=1e-12),
                "float64 values match NumPy", str(np.max(np.abs(got64 - want64))))
        r.check(got32.dtype == np.float32 and np.allclose(got32, want32, rtol=2e-6, atol=2e-6),
                "float32 values match NumPy", str(np.max(np.abs(got32 - want32))))
        rnd = np.load(os.path.join(out, "rnd.npy"))
        r.check(rnd.shape == (120, 700) and np.all(np.isfinite(rnd)), "the random part is finite")

        # a bad CDRT_VMATH_ISA: exit 2 before any work, nothing written
        bad = os.path.join(d, "out_bad")
        os.mkdir(bad)
        q = run(["./p", "--out", bad], cwd=d, env=dict(os.environ, CDRT_VMATH_ISA="avx2"))
        r.check(q.returncode == 2 and q.stderr ==
                "./p: error: CDRT_VMATH_ISA is 'avx2': it must be sse2, avx, avx512 or auto\n"
                and os.listdir(bad) == [], "CDRT_VMATH_ISA=avx2 is exit 2 with a message",
                "%s %r %s" % (q.returncode, q.stderr, os.listdir(bad)))

        # no vector kernel: no calibration
        with open(os.path.join(d, "none.lua"), "w") as f:
            f.write(NONE_SCRIPT)
        p = run([CDASKC, "none.lua", "-o", "none"], cwd=d, timeout=300)
        if r.check(p.returncode == 0, "compiles a program without vector kernels", p.stderr):
            q = run(["./none", "--stats"], cwd=d)
            r.check(q.returncode == 0 and q.stdout == "s = 90\n" and
                    "stats: vector kernels: none (no calibration)\n" in q.stderr and
                    not kernel_lines(q.stderr) and ("stats: cpu: %s\n" % model) in q.stderr,
                    "no vector kernel: --stats says no calibration", q.stdout + q.stderr)
            mm = json.loads(run(["./none", "--manifest"], cwd=d).stdout)
            r.check(mm.get("vmath_choice") == "none" and mm.get("vmath_isa") == {},
                    "no vector kernel: the manifest says none", str(mm))
    return r.finish()


if __name__ == "__main__":
    raise SystemExit(main())
