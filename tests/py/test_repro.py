#!/usr/bin/python3
"""Reproducibility.

  - The emitted C is byte-identical when cdaskc runs twice (a second apart, in another
    environment), and when it compiles a copy of the script in another directory under the
    same relative name; `-o prog` writes the same prog.c as `--emit-c prog.c`.
  - The outputs (random normal and uniform arrays, reductions over them: sum, mean, var, std,
    min, max, argmax, argmin, over every axis and none) are bitwise identical for --threads
    1, 2, 3 and 7, and again for 7.
  - Random arrays are bitwise identical across chunkings ({7, 13}, {64, 64}, {100, 1},
    {1, 100}, "auto", 50) and across views (x.T of one is the transpose of another), in
    float64 and float32; other seeds, and normal against uniform, differ.
  - `prog --manifest` prints one valid JSON object with cdask_version (cdaskc --version's),
    script_sha256 (hashlib.sha256 of the script), cflags.

Environment: CDASK_BUILD (holds cdaskc), CDASK_SOURCE (the repository)."""

import hashlib
import json
import re
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()

SHAPE = (300, 250)
SEED = 20240601
CHUNKINGS = [("7x13", "{7, 13}"), ("64x64", "{64, 64}"), ("100x1", "{100, 1}"),
             ("1x100", "{1, 100}"), ("auto", '"auto"'), ("50", "50"), ("whole", "{-1, -1}")]


def script():
    s = ['local da = require("cdask.array")',
         "local shape = {%d, %d}" % SHAPE,
         "local function normal(chunks, seed, dtype)",
         "  return da.random.normal(1.5, 2.0, shape, {chunks = chunks, seed = seed, "
         "dtype = dtype})",
         "end",
         "local function uniform(chunks, seed, dtype)",
         "  return da.random.uniform(-1, 3, shape, {chunks = chunks, seed = seed, "
         "dtype = dtype})",
         "end"]
    for name, chunks in CHUNKINGS:
        s.append('da.to_npy(normal(%s, %d), "n_%s.npy")' % (chunks, SEED, name))
        s.append('da.to_npy(uniform(%s, %d), "u_%s.npy")' % (chunks, SEED, name))
        s.append('da.to_npy(normal(%s, %d, "float32"), "n32_%s.npy")' % (chunks, SEED, name))
    s += [
        # views of differently chunked arrays
        'da.to_npy(normal({64, 64}, %d).T, "nT.npy")' % SEED,
        'da.to_npy(uniform({1, 100}, %d).T, "uT.npy")' % SEED,
        'da.to_npy(normal({100, 1}, %d)["::-1, 3:200:3"], "nslice.npy")' % SEED,
        'da.to_npy(normal({7, 13}, %d)["-2::-5, ::-1"], "nslice2.npy")' % SEED,
        # other seeds
        'da.to_npy(normal({7, 13}, %d), "n_seed2.npy")' % (SEED + 1),
        'da.to_npy(normal({7, 13}, 0), "n_seed0.npy")',
        'da.to_npy(uniform({7, 13}, %d), "u_seed2.npy")' % (SEED + 1),
        # reductions, chunked so that every thread count splits them differently
        "local n = normal({7, 13}, %d)" % SEED,
        "local u = uniform({37, 53}, %d)" % SEED,
        'local n32 = normal({16, 9}, %d, "float32")' % SEED,
    ]
    for x in ("n", "u", "n32"):
        for op in ("sum", "mean", "var", "std", "min", "max", "argmax", "argmin"):
            for axis, tag in (("", "all"), ("0", "0"), ("1", "1")):
                s.append('da.to_npy(%s:%s(%s), "%s_%s_%s.npy")' % (x, op, axis, x, op, tag))
    s += ['da.to_npy(n.T["::-1"]:sum(0), "n_view_sum.npy")',
          'da.to_npy((n * u):mean{axis = 1, keepdims = true}, "nu_mean.npy")',
          'da.to_npy(n:var{axis = 0, ddof = 1}, "n_var_ddof.npy")',
          'da.print(n:sum(), "nsum")',
          'da.print(u:argmax(), "uargmax")']
    return "\n".join(s) + "\n"


SECOND = """local da = require("cdask.array")
-- a second script for the emitted C: inputs, views, where, casts, prints
local x = da.from_npy("in.npy", {chunks = {3, 5}})
local y = da.where(x:gt(0), da.sqrt(x), -x) + da.arange(7)["::-1"]
da.to_npy(y:astype("float32"), "y.npy")
da.print(y:max(0), "ymax")
da.print(x.T["1:, ::2"]:argmin(1), "xargmin")
"""


def emitted_c_checks(tmp):
    """The emitted C, byte for byte, across runs and directories."""
    for name, text, inputs in (("p", script(), False), ("second", SECOND, True)):
        a = os.path.join(tmp, "emit_a_" + name)
        b = os.path.join(tmp, "emit_b_" + name, "deeper", "dir")
        os.makedirs(a)
        os.makedirs(b)
        for d in (a, b):
            tl.write(os.path.join(d, name + ".lua"), text)
            if inputs:
                np.save(os.path.join(d, "in.npy"), np.linspace(-3, 4, 42).reshape(6, 7))
        r1 = tl.cdaskc([name + ".lua", "--emit-c", "a.c"], cwd=a)
        c1 = open(os.path.join(a, "a.c"), "rb").read() if r1.returncode == 0 else None
        if not R.check(c1 is not None, "%s: --emit-c works" % name, tl.short(r1.stderr)):
            continue
        time.sleep(1.1)  # a timestamp in the C would show
        env = dict(os.environ, TZ="Asia/Kathmandu", LANG="C", LC_ALL="C", SOURCE_DATE_EPOCH="1")
        r2 = tl.cdaskc([name + ".lua", "--emit-c", "a.c"], cwd=a, env=env)
        c2 = open(os.path.join(a, "a.c"), "rb").read() if r2.returncode == 0 else b""
        R.check(c1 == c2, "%s: --emit-c twice: byte-identical C" % name,
                first_difference(c1, c2))
        r3 = tl.cdaskc([name + ".lua", "--emit-c", "a.c"], cwd=b)
        c3 = open(os.path.join(b, "a.c"), "rb").read() if r3.returncode == 0 else b""
        R.check(c1 == c3, "%s: --emit-c from a copy in another directory: byte-identical C"
                % name, first_difference(c1, c3))
        # the absolute path of the directory must not leak into the C
        R.check(a.encode() not in c1 and tmp.encode() not in c1,
                "%s: the C does not name the build directory" % name)


def first_difference(x, y):
    x, y = x or b"", y or b""
    if x == y:
        return ""
    xl, yl = x.splitlines(), y.splitlines()
    for i, (p, q) in enumerate(zip(xl, yl)):
        if p != q:
            return "line %d:\n      %r\n      %r" % (i + 1, p[:200], q[:200])
    return "one is a prefix of the other (%d vs %d lines)" % (len(xl), len(yl))


def load_dir(d):
    return {f: open(os.path.join(d, f), "rb").read() for f in sorted(os.listdir(d))}


def npy(blob):
    import io
    return np.load(io.BytesIO(blob))


def main():
    if not os.path.exists(tl.CDASKC):
        print("no cdaskc at %s (set CDASK_BUILD)" % tl.CDASKC)
        print("0 passed, 1 failed")
        return 1
    tmp = tl.tempdir("repro")
    try:
        emitted_c_checks(tmp)

        # the program
        work = os.path.join(tmp, "work")
        os.mkdir(work)
        text = script()
        exe, r = tl.build_program(text, work, "p")
        if not R.check(exe is not None, "compile the program", tl.short(r.stderr)):
            return R.finish()
        emitted = os.path.join(tmp, "emit_a_p", "p.c")
        tl.cdaskc(["p.lua", "--emit-c", "p.c"], cwd=os.path.dirname(emitted))
        if os.path.exists(emitted):
            R.check(open(emitted, "rb").read() == open(os.path.join(work, "p.c"), "rb").read(),
                    "-o p writes the same p.c as --emit-c p.c")

        runs = {}
        stdouts = {}
        variants = ((1, "1"), (2, "2"), (3, "3"), (7, "7"), (7, "7 again"),
                    (None, "unset, OMP_NUM_THREADS=5"))
        for k, (threads, tag) in enumerate(variants):
            out = os.path.join(tmp, "out_%d" % k)
            os.mkdir(out)
            args = ["--threads", str(threads)] if threads else []
            env = dict(os.environ, OMP_NUM_THREADS="5")
            r = tl.run([exe] + args + ["--out", out], cwd=work, env=env, timeout=600)
            if R.check(r.returncode == 0, "run with --threads %s" % tag, tl.short(r.stderr)):
                runs[tag] = load_dir(out)
                stdouts[tag] = r.stdout
        if "1" not in runs:
            return R.finish()
        base = runs["1"]
        want_files = sorted(re.findall(r'"([^"]+\.npy)"', text))
        R.check(sorted(base) == want_files, "the program wrote its %d outputs" % len(want_files),
                "got %s" % sorted(base))
        for tag, files in runs.items():
            if tag == "1":
                continue
            differ = [f for f in base if files.get(f) != base[f]]
            R.check(not differ and sorted(files) == sorted(base),
                    "--threads %s: every output bitwise equal to --threads 1" % tag,
                    "differ: %s" % differ[:10])
            R.check(stdouts.get(tag) == stdouts["1"],
                    "--threads %s: da.print output equal to --threads 1" % tag)

        arrays = {f: npy(b) for f, b in base.items()}
        # random arrays across chunkings
        for prefix in ("n", "u", "n32"):
            ref = arrays["%s_7x13.npy" % prefix]
            want_dtype = np.float32 if prefix == "n32" else np.float64
            R.check(ref.shape == SHAPE and ref.dtype == want_dtype,
                    "%s: shape %s, dtype %s" % (prefix, SHAPE, np.dtype(want_dtype).name),
                    "got %s %s" % (ref.shape, ref.dtype))
            for name, _ in CHUNKINGS[1:]:
                got = arrays["%s_%s.npy" % (prefix, name)]
                R.check(got.tobytes() == ref.tobytes() and got.dtype == ref.dtype,
                        "%s: chunks %s bitwise equal to chunks {7, 13}" % (prefix, name),
                        tl.describe_diff(got, ref))
        n, u = arrays["n_7x13.npy"], arrays["u_7x13.npy"]
        # views
        for f, want in (("nT.npy", n.T), ("uT.npy", u.T), ("nslice.npy", n[::-1, 3:200:3]),
                        ("nslice2.npy", n[-2::-5, ::-1])):
            got = arrays[f]
            R.check(tl.same_values(got, np.ascontiguousarray(want)),
                    "view %s equals the same view of another chunking" % f,
                    tl.describe_diff(got, want))
        # seeds
        for f, other in (("n_seed2.npy", n), ("n_seed0.npy", n), ("u_seed2.npy", u),
                         ("u_7x13.npy", n)):
            same = float(np.mean(arrays[f] == other))
            R.check(same < 0.001, "%s differs from %s" % (
                f, "normal" if other is n else "uniform"), "%.3f%% equal" % (100 * same))
        # plausibility: the right distributions (loose: 75000 samples)
        R.check(abs(n.mean() - 1.5) < 0.05 and abs(n.std() - 2.0) < 0.05,
                "normal(1.5, 2): mean %.4f, std %.4f" % (n.mean(), n.std()))
        R.check(u.min() >= -1 and u.max() < 3 and abs(u.mean() - 1) < 0.05,
                "uniform(-1, 3): in [-1, 3), mean %.4f" % u.mean())
        # the reductions agree with NumPy (loosely: the bits are for the thread checks)
        n32 = arrays["n32_7x13.npy"]
        for x, arr, tol in (("n", n, 1e-10), ("u", u, 1e-10), ("n32", n32, 2e-4)):
            for op in ("sum", "mean", "var", "std", "min", "max", "argmax", "argmin"):
                for axis, tag in ((None, "all"), (0, "0"), (1, "1")):
                    got = arrays["%s_%s_%s.npy" % (x, op, tag)]
                    want = getattr(arr, op)(axis=axis)
                    ok = got.shape == np.shape(want) and got.dtype == np.asarray(want).dtype and (
                        np.array_equal(got, want) if op.startswith("arg") or op in ("min", "max")
                        else np.allclose(got, want, rtol=tol, atol=100 * tol))
                    R.check(ok, "%s:%s(%s) agrees with numpy" % (x, op, tag),
                            tl.describe_diff(got, np.asarray(want)))

        # --manifest
        r = tl.run([exe, "--manifest"], cwd=work)
        try:
            m = json.loads(r.stdout)
            parsed = isinstance(m, dict)
        except ValueError as e:
            m, parsed = {}, False
            R.check(False, "--manifest prints valid JSON", "%s: %r" % (e, tl.short(r.stdout)))
        if parsed:
            R.check(r.returncode == 0 and r.stdout.count("\n") == 1 and not r.stderr,
                    "--manifest prints valid JSON, one line, exit 0")
            v = tl.run([tl.CDASKC, "--version"]).stdout.split()
            R.check(m.get("cdask_version") == (v[1] if len(v) > 1 else None),
                    "manifest cdask_version is cdaskc --version's",
                    "%r vs %r" % (m.get("cdask_version"), v))
            sha = hashlib.sha256(open(os.path.join(work, "p.lua"), "rb").read()).hexdigest()
            R.check(m.get("script_sha256") == sha, "manifest script_sha256 is the script's",
                    "%r vs %r" % (m.get("script_sha256"), sha))
            R.check(isinstance(m.get("cflags"), str) and "-fopenmp" in m.get("cflags", ""),
                    "manifest cflags", repr(m.get("cflags")))
            R.check(m.get("script") == "p.lua", "manifest script", repr(m.get("script")))
            # the vector kernels' ISAs are measured by each run (a loaded machine can pick
            # another one), so the directory check compares the rest and the kernels' names,
            # and forces the ISA to compare the whole text
            r2 = tl.run([exe, "--manifest"], cwd=tmp)
            try:
                m2 = json.loads(r2.stdout)
            except ValueError:
                m2 = {}
            isa1, isa2 = m.pop("vmath_isa", None), m2.pop("vmath_isa", {})
            R.check(m2 == m and isinstance(isa1, dict) and sorted(isa1) == sorted(isa2),
                    "--manifest is the same from another directory",
                    "%r vs %r" % (r.stdout, r2.stdout))
            forced = dict(os.environ, CDRT_VMATH_ISA="sse2")
            f1 = tl.run([exe, "--manifest"], cwd=work, env=forced)
            f2 = tl.run([exe, "--manifest"], cwd=tmp, env=forced)
            R.check(f1.returncode == 0 and f1.stdout == f2.stdout and '"forced"' in f1.stdout,
                    "--manifest with the ISA forced: the same text from another directory",
                    "%r vs %r" % (f1.stdout, f2.stdout))
            R.check(not [f for f in os.listdir(work) if f.endswith(".npy")],
                    "--manifest computes and writes nothing")
    finally:
        tl.rmtree(tmp)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
