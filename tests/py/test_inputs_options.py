#!/usr/bin/python3
"""Inputs, standard output, option values and the memory limit (issue 10).

- Standard output is an output: a program whose da.print (or --manifest, --help) cannot
  reach it (`> /dev/full`, a closed descriptor) exits 4 naming standard output.
- --memory-limit: zero, negative, under one byte, garbage and overflowing values are usage
  errors (cdaskc and the program exit 2, nothing written); "none" is no limit.
- OMP_NUM_THREADS gets the check --threads gets: 100000 (libgomp crashed), 0, garbage are
  exit 2 with a message; a list "4,2" uses its first number; empty is unset; --threads
  wins over it. The thread count --stats reports is checked, and the values against NumPy.
- Inputs must be regular files: a FIFO (which blocked forever), a directory or a device is
  refused at compile time at the script line and at run time with exit 3.
- One shape rule for the .npy reader and writer (NumPy's): (2^63-1, 0) float64 is refused
  by both, as by numpy.load; (2^63-1, 0) bool is read and written.
- Every descr spelling NumPy 1.24 loads for the supported dtypes ('f8', '=f8', '?', 'b1',
  '|i8', 'D', '1f8', ...) is read, as the same dtype; big-endian ones are refused clearly;
  the values of files with such headers are NumPy's.
- The emitted C does not depend on the compiling machine's memory: cdaskc under two faked
  physical memory sizes (an LD_PRELOAD'd sysconf) emits byte-identical C, and the program
  decides its default limit where it runs (exit 5 under a small faked memory).

Environment: CDASK_BUILD (holds cdaskc), CDASK_SOURCE (the repository)."""

import io
import itertools
import os
import stat
import string
import subprocess
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
HEAD = 'local da = require("cdask.array")\n'
CC = os.environ.get("CC", "cc")


def npy_bytes(descr, shape, data=b""):
    """A version 1.0 .npy file with the descr written verbatim between single quotes."""
    d = "{'descr': '%s', 'fortran_order': False, 'shape': %r, }" % (descr, tuple(shape))
    total = 10 + len(d) + 1
    pad = (64 - total % 64) % 64
    header = (d + " " * pad + "\n").encode("latin1")
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + data


def expect(name, r, code, must_say=(), first_line=None, outdir=None, before=()):
    why = []
    if r.returncode != code:
        why.append("exit code %r, want %d" % (r.returncode, code))
    for s in must_say:
        if s not in (r.stderr or ""):
            why.append("stderr does not mention %r" % s)
    if first_line is not None and tl.first_line(r.stderr) != first_line:
        why.append("first line %r, want %r" % (tl.first_line(r.stderr), first_line))
    if outdir is not None:
        left = [f for f in tl.listing(outdir) if f not in before]
        if left:
            why.append("left files: %s" % left)
    if why:
        why.append("stderr: %r" % tl.short(r.stderr))
    return R.check(not why, name, "; ".join(why))


def printed(stdout):
    """{label: text} from 'label = value' lines."""
    return dict(line.split(" = ", 1) for line in stdout.splitlines() if " = " in line)


# ---- standard output ------------------------------------------------------------------

def stdout_lost(tmp):
    script = HEAD + ('local a = da.arange(10, {chunks = 3})\n'
                     'da.print(a:sum(), "total")\n'
                     'da.to_npy(a * 2, "twice.npy")\n')
    exe, r = tl.build_program(script, tmp, "out")
    if not R.check(exe is not None, "stdout: compile", tl.short(r.stderr)):
        return
    q = tl.run([exe], cwd=tmp)
    R.check(q.returncode == 0 and printed(q.stdout).get("total") == str(np.arange(10).sum()),
            "stdout: a normal run prints NumPy's sum", q.stdout + q.stderr)
    if not os.path.exists("/dev/full"):
        R.check(False, "stdout: /dev/full exists")
        return
    for args in ([], ["--manifest"], ["--help"]):
        with open("/dev/full", "w") as full:
            p = subprocess.run([exe] + args, cwd=tmp, stdout=full, stderr=subprocess.PIPE,
                               text=True, timeout=tl.RUN_TIMEOUT)
        expect("stdout: %s > /dev/full -> exit 4" % " ".join(["prog"] + args), p, 4,
               ("cannot write to standard output", "No space left on device"))
    p = subprocess.run([exe], cwd=tmp, stderr=subprocess.PIPE, text=True,
                       timeout=tl.RUN_TIMEOUT, preexec_fn=lambda: os.close(1))
    expect("stdout: prog >&- (closed) -> exit 4", p, 4, ("cannot write to standard output",))
    twice = os.path.join(tmp, "twice.npy")
    R.check(os.path.exists(twice) and tl.same_values(np.load(twice), np.arange(10) * 2),
            "stdout: closed, the .npy output is still right (not written into fd 1)")


# ---- --memory-limit ---------------------------------------------------------------------

BAD_LIMITS = [("0.5", "is less than one byte"), ("1e-9", "is less than one byte"),
              ("-0", "is negative"), ("-1G", "is negative"), ("0", "is zero"),
              ("0K", "is zero"), ("lots", "is not a size"), ("", "is not a size"),
              ("1e400", "is too large"), ("8E", "is not a size"),
              ("9223372036854775808", "is too large"), ("9000000T", "is too large"),
              ("0x10", "is not a size"), ("inf", "is not a size"), ("nan", "is not a size"),
              (" 4G", "is not a size"), ("4G ", "is not a size"), ("4GG", "is not a size"),
              ("None", "is not a size")]


def memory_limit(tmp):
    script = HEAD + ('local x = da.random.uniform(0, 1, {300, 200}, {seed = 3})\n'
                     'da.to_npy(x, "x.npy")\n'
                     'da.print(x:sum(), "sum")\n')
    tl.write(os.path.join(tmp, "lim.lua"), script)
    for value, why in BAD_LIMITS:
        before = tl.listing(tmp)
        r = tl.cdaskc(["lim.lua", "-o", "lim", "--memory-limit", value], cwd=tmp)
        expect("cdaskc --memory-limit %r -> exit 2" % value, r, 2,
               first_line="cdaskc: --memory-limit: '%s' %s: give a size such as 4G or 512M, "
               "or none for no limit" % (value, why), outdir=tmp, before=before)
    r = tl.cdaskc(["lim.lua", "-o", "lim", "--memory-limit=1.5K"], cwd=tmp)
    expect("cdaskc --memory-limit=1.5K is 1536 bytes (a plan over it is an error)", r, 1,
           ("lim.lua:2: error: the arrays kept in memory need ",
            "over the memory limit of 1.54 kB (largest: random.uniform float64(300,200)"))
    r = tl.cdaskc(["lim.lua", "-o", "lim", "--memory-limit", "none"], cwd=tmp)
    if not R.check(r.returncode == 0, "cdaskc --memory-limit none compiles", r.stderr):
        return
    exe = os.path.join(tmp, "lim")
    out = os.path.join(tmp, "limout")
    os.mkdir(out)
    for value, why in BAD_LIMITS:
        q = tl.run([exe, "--memory-limit", value, "--out", out], cwd=tmp)
        expect("prog --memory-limit %r -> exit 2" % value, q, 2,
               first_line="%s: error: --memory-limit: '%s' %s: give a size such as 4G or 512M, "
               "or none for no limit" % (exe, value, why), outdir=out)
    for value, shown in (("1KiB", "1.02 kB"), ("2.5k", "2.56 kB"), ("999b", "999 B"),
                         ("1.9", "1 B")):
        q = tl.run([exe, "--memory-limit", value, "--out", out], cwd=tmp)
        expect("prog --memory-limit %s is %s" % (value, shown), q, 5,
               ("over the memory limit of %s" % shown,), outdir=out)
    q = tl.run([exe, "--memory-limit", "none", "--out", out], cwd=tmp)
    x = np.load(os.path.join(out, "x.npy")) if q.returncode == 0 else None
    R.check(x is not None and x.shape == (300, 200) and
            abs(float(printed(q.stdout).get("sum", "nan")) - x.sum()) <= 1e-9 * x.size,
            "prog --memory-limit none runs (the sum is NumPy's)", q.stdout + q.stderr)


# ---- OMP_NUM_THREADS and --threads --------------------------------------------------------

def threads(tmp):
    script = HEAD + ('local a = da.arange(100000, {chunks = 1000})\n'
                     'da.print((a * a):sum(), "s")\n')
    exe, r = tl.build_program(script, tmp, "thr")
    if not R.check(exe is not None, "threads: compile", tl.short(r.stderr)):
        return
    want = str((np.arange(100000) * np.arange(100000)).sum())

    def run_env(value, args=()):
        env = dict(os.environ)
        env.pop("OMP_NUM_THREADS", None)
        if value is not None:
            env["OMP_NUM_THREADS"] = value
        return tl.run([exe, "--stats"] + list(args), cwd=tmp, env=env, timeout=60)

    for value in ("100000", "4097", "0", "-1", "abc", "4,0", "2,", "4,100000", "3x", "1e3"):
        q = run_env(value)
        expect("OMP_NUM_THREADS=%r -> exit 2" % value, q, 2,
               ("error: OMP_NUM_THREADS='%s' is not a number of threads from 1 to 4096" % value,))
    for value, n, args in (("3", 3, ()), (" 3 ", 3, ()), ("4,2", 4, ()), ("1, 5", 1, ()),
                           ("100000", 2, ("--threads", "2")), ("abc", 1, ("--threads=1",))):
        q = run_env(value, args)
        R.check(q.returncode == 0 and printed(q.stdout).get("s") == want and
                ", %d threads," % n in q.stderr,
                "OMP_NUM_THREADS=%r %s runs on %d threads" % (value, " ".join(args), n),
                "rc=%r %s %s" % (q.returncode, q.stdout, q.stderr))
    q = run_env("")
    R.check(q.returncode == 0 and printed(q.stdout).get("s") == want,
            "OMP_NUM_THREADS='' is unset", q.stderr)
    for value in ("100000", "4097", "0"):
        q = run_env(None, ("--threads", value))
        expect("--threads %s -> exit 2" % value, q, 2,
               ("--threads needs a number of threads from 1 to 4096",))


# ---- inputs must be regular files -------------------------------------------------------

def regular_inputs(tmp):
    fifo = os.path.join(tmp, "pipe.npy")
    os.mkfifo(fifo)
    tl.write(os.path.join(tmp, "fifo.lua"), HEAD + 'local x = da.from_npy("pipe.npy")\n'
             'da.print(x:sum(), "s")\n')
    before = tl.listing(tmp)
    r = tl.run([tl.CDASKC, "fifo.lua", "-o", "fifo"], cwd=tmp, timeout=60)
    expect("compile time: a FIFO input is refused, not waited on", r, 1,
           first_line="fifo.lua:2: error: pipe.npy is not a regular file (it is a FIFO)",
           outdir=tmp, before=before)

    inp = os.path.join(tmp, "in.npy")
    data = np.arange(12, dtype=np.float64).reshape(3, 4)
    np.save(inp, data)
    tl.write(os.path.join(tmp, "rd.lua"), HEAD + 'local x = da.from_npy("in.npy")\n'
             'da.to_npy(x:sum(0), "s.npy")\n')
    r = tl.cdaskc(["rd.lua", "-o", "rd"], cwd=tmp)
    if not R.check(r.returncode == 0, "run time: compile the reader", r.stderr):
        return
    exe = os.path.join(tmp, "rd")
    out = os.path.join(tmp, "rdout")
    os.mkdir(out)
    q = tl.run([exe, "--out", out], cwd=tmp)
    R.check(q.returncode == 0 and tl.same_values(np.load(os.path.join(out, "s.npy")),
                                                 data.sum(0)), "run time: a regular input works",
            q.stderr)
    os.unlink(os.path.join(out, "s.npy"))
    os.rename(inp, inp + ".saved")
    for kind, make in (("FIFO", os.mkfifo), ("directory", os.mkdir)):
        make(inp)
        q = tl.run([exe, "--out", out], cwd=tmp, timeout=60)
        expect("run time: a %s input -> exit 3, not a hang" % kind, q, 3,
               first_line="%s: error: input in.npy is not a regular file (it is a %s)" %
               (exe, kind), outdir=out)
        os.rmdir(inp) if kind == "directory" else os.unlink(inp)
    os.symlink("in.npy.saved", inp)
    q = tl.run([exe, "--out", out], cwd=tmp)
    R.check(q.returncode == 0 and tl.same_values(np.load(os.path.join(out, "s.npy")),
                                                 data.sum(0)),
            "run time: a symlink to a regular file is read", q.stderr)


# ---- the .npy reader and writer: one shape rule, NumPy's descr spellings ------------------

def compile_driver(tmp):
    srcs = [os.path.join(tl.SRC, "runtime", f) for f in ("dtype.c", "npy.c", "outfile.c", "format.c")]
    srcs.append(os.path.join(tl.SRC, "tests", "py", "npy_format_driver.c"))
    exe = os.path.join(tmp, "npy_driver")
    r = tl.run([CC, "-std=c11", "-O1", "-I", os.path.join(tl.SRC, "runtime")] + srcs +
               ["-o", exe, "-lm"])
    return exe if R.check(r.returncode == 0, "compile the .npy driver", r.stderr) else None


def numpy_header(blob):
    """numpy.load's reading of a header: its dtype, or None if it refuses it."""
    f = io.BytesIO(blob)
    try:
        version = np.lib.format.read_magic(f)
        return np.lib.format._read_array_header(f, version)
    except Exception:
        return None


def numpy_load(blob):
    """numpy.load of a file's bytes, or None if it refuses it."""
    try:
        return np.load(io.BytesIO(blob))
    except Exception:
        return None


def shape_rule(tmp, driver):
    huge = 2 ** 63 - 1
    for descr, shape in (("<f8", (huge, 0)), ("<f8", (0, 2 ** 60)), ("<i4", (2 ** 61, 0, 1))):
        path = os.path.join(tmp, "refused.npy")
        tl.write(path, npy_bytes(descr, shape), "wb")
        r = tl.run([driver, "header", path])
        R.check(numpy_load(npy_bytes(descr, shape)) is None and
                r.stdout.strip() == "error shape %r overflows" % (shape,),
                "reader refuses %s %s as numpy.load does" % (descr, shape), r.stdout)
    for descr, shape in (("|b1", (huge, 0)), ("<f8", (0, 2 ** 60 - 1)), ("<c16", (0, 2, 3))):
        src, dst = os.path.join(tmp, "in.npy"), os.path.join(tmp, "copy.npy")
        tl.write(src, npy_bytes(descr, shape), "wb")
        want = np.load(src)
        r = tl.run([driver, "copy", src, dst])
        ok = r.stdout.strip() == "ok" and os.path.exists(dst)
        got = np.load(dst) if ok else None
        R.check(ok and got.shape == want.shape and got.dtype == want.dtype,
                "reader and writer both take %s %s (numpy.load does)" % (descr, shape),
                r.stdout)
        for f in (src, dst):
            if os.path.exists(f):
                os.unlink(f)

    tl.write(os.path.join(tmp, "zero.lua"),
             HEAD + 'local x = da.from_npy("zero.npy")\nda.to_npy(x, "z.npy")\n')
    tl.write(os.path.join(tmp, "zero.npy"), npy_bytes("<f8", (huge, 0)), "wb")
    before = tl.listing(tmp)
    r = tl.cdaskc(["zero.lua", "-o", "zero"], cwd=tmp)
    expect("compile time: a (2^63-1, 0) float64 input is refused at its line", r, 1,
           first_line="zero.lua:2: error: cannot read zero.npy: shape (%d, 0) overflows" % huge,
           outdir=tmp, before=before)


SUPPORTED = {np.dtype(t): t for t in ("bool", "int32", "int64", "float32", "float64",
                                      "complex64", "complex128")}


def numpy_verdict(descr):
    h = numpy_header(npy_bytes(descr, (2,)))
    if h is None:
        return "error"
    dt = h[2]
    if dt in SUPPORTED:
        return "ok " + SUPPORTED[dt]
    if dt.byteorder == ">" and dt.newbyteorder("<") in SUPPORTED:
        return "big-endian"
    return "error"


def descr_candidates():
    """Spellings near the supported types: every name NumPy knows with every byte-order
    prefix, one- and two-character strings, kind+size forms with blanks, signs and leading
    zeros, and the comma-string forms (repeat counts, trailing commas, blanks)."""
    c = set()
    for k in np.sctypeDict:
        if isinstance(k, str):
            c.update(p + k for p in ("", "<", ">", "=", "|"))
    alpha = string.ascii_letters + string.digits + "<>=|?_ ,.()[]\t\x05\x07\x0c\x0f\x1c\xa0"
    c.update(alpha)
    c.update("".join(t) for t in itertools.product("<>=|?bilqpfdFDc1( ,", repeat=2))
    bodies = ["b1", "i4", "i8", "f4", "f8", "c8", "c16", "?", "i", "l", "q", "p", "f", "d",
              "F", "D", "u4", "i2", "f2", "e", "g", "b", "B", "L"]
    for p in ("", "<", ">", "=", "|"):
        for body in bodies:
            c.add(p + body)
            for mid in (" ", "0", "00", "+", "-", "\t", "x", " +0"):
                c.add(p + body[0] + mid + body[1:])
            for pre in ("1", "()", "( )", "(1)", "1 ", " 1", "(1,)", "2", "0", "01", "<1",
                        ">1", "=1", "|1"):
                c.add(pre + p + body)
                for post in (",", " ,", ", ", ",,", ",f8", " ", "\xa0"):
                    c.add(pre + p + body + post)
            for post in (",", ", ", " ", "\n"):
                c.add(p + body + post)
    c.update(["f4294967304", "i4294967300", "f8[s]", "f8,f8", "1>f8", "<1>f8", "|1<f8",
              "\0", "?\0", "f8\0", "1f8\0", "f\08"])  # NumPy refuses NUL in a header
    return sorted(x for x in c if x and "'" not in x and "\\" not in x)


def descr_spellings(tmp, driver):
    cands = descr_candidates()
    d = os.path.join(tmp, "descr")
    os.mkdir(d)
    files = []
    for i, descr in enumerate(cands):
        path = os.path.join(d, "c%d.npy" % i)
        tl.write(path, npy_bytes(descr, (2,), b"\0" * 32), "wb")
        files.append(path)
    r = tl.run([driver, "header"] + files)
    lines = r.stdout.splitlines()
    if not R.check(len(lines) == len(cands), "descr: the driver reads every candidate",
                   r.stderr):
        return
    wrong, accepted = [], 0
    for descr, line in zip(cands, lines):
        want = numpy_verdict(descr)
        got = ("ok " + line.split()[1] if line.startswith("ok ") else
               "big-endian" if line.endswith("(big-endian)") else "error")
        accepted += got.startswith("ok")
        if got != want:
            wrong.append("%r: numpy %s, cdask %s" % (descr, want, line))
    R.check(not wrong, "descr: %d spellings (%d accepted) read as numpy.load reads them" %
            (len(cands), accepted), "\n  ".join(wrong[:30]))
    tl.rmtree(d)

    # end to end: files with such headers, read by a program, give NumPy's values
    rng = np.random.default_rng(7)
    spellings = [("f8", "<f8"), ("=f8", "<f8"), ("d", "<f8"), ("float64", "<f8"),
                 ("1f8", "<f8"), ("f8,", "<f8"), ("f4", "<f4"), ("|f", "<f4"),
                 ("|b1", "|b1"), ("b1", "|b1"), ("?", "|b1"), (">?", "|b1"), ("bool", "|b1"),
                 ("<i8", "<i8"), ("i8", "<i8"), ("l", "<i8"), ("int", "<i8"), ("=i4", "<i4"),
                 ("i", "<i4"), ("<c16", "<c16"), ("D", "<c16"), ("c8", "<c8"), ("F", "<c8")]
    lua, want = [HEAD], {}
    for i, (descr, real) in enumerate(spellings):
        dt = np.dtype(real)
        if dt.kind == "b":
            a = rng.random((3, 4)) < 0.5
        elif dt.kind == "i":
            a = rng.integers(-10 ** 6, 10 ** 6, (3, 4)).astype(dt)
        elif dt.kind == "c":
            a = (rng.normal(size=(3, 4)) + 1j * rng.normal(size=(3, 4))).astype(dt)
        else:
            a = rng.normal(size=(3, 4)).astype(dt)
        path = os.path.join(tmp, "s%d.npy" % i)
        tl.write(path, npy_bytes(descr, a.shape, a.tobytes()), "wb")
        want[i] = np.load(path)
        lua.append('da.to_npy(da.from_npy("s%d.npy"), "o%d.npy")\n' % (i, i))
    exe, r = tl.build_program("".join(lua), tmp, "spell")
    if not R.check(exe is not None, "descr: a program reading every spelling compiles",
                   tl.short(r.stderr)):
        return
    out = os.path.join(tmp, "spellout")
    os.mkdir(out)
    q = tl.run([exe, "--out", out], cwd=tmp)
    R.check(q.returncode == 0, "descr: the program runs", q.stderr)
    for i, (descr, real) in enumerate(spellings):
        o = os.path.join(out, "o%d.npy" % i)
        R.check(q.returncode == 0 and tl.same_values(np.load(o), want[i]),
                "descr %r: the values numpy.load reads (%s)" % (descr, real))
    for descr in (">f8", ">d", ">i4", ">c16", "1>f8"):
        path = os.path.join(tmp, "big.npy")
        tl.write(path, npy_bytes(descr, (2,), b"\0" * 32), "wb")
        tl.write(os.path.join(tmp, "big.lua"), HEAD + 'local x = da.from_npy("big.npy")\n')
        r = tl.cdaskc(["big.lua", "--emit-c", "big.c"], cwd=tmp)
        expect("descr %r: refused as big-endian" % descr, r, 1,
               first_line="big.lua:2: error: cannot read big.npy: unsupported dtype '%s' "
               "(big-endian)" % descr)


# ---- the C does not depend on the compiling machine's memory -------------------------------


# y is stored when the budget allows it (test_store.py): a budget taken from the machine
# would change the C
STORE = HEAD + """local x = da.random.normal(0, 1, {400, 300}, {chunks = {100, 100}, seed = 5})
local y = da.sin(x) * da.exp(x * 0.1) + da.cos(x)
da.to_npy(y:mean(0), "m0.npy")
da.to_npy(y:max(1), "m1.npy")
da.to_npy(x, "x.npy")
"""


def machine_independent(tmp):
    shim, why = tl.sysconf_shim(tmp)
    if not R.check(shim is not None, "compile the sysconf shim", why):
        return

    def env(pages):
        e = dict(os.environ)
        e["LD_PRELOAD"] = shim
        e["FAKE_PHYS_PAGES"] = str(pages)
        return e

    tl.write(os.path.join(tmp, "st.lua"), STORE)
    texts = []
    for pages in (512, 1 << 26):  # 2 MiB and 256 GiB
        d = os.path.join(tmp, "mem%d" % pages)
        os.mkdir(d)
        r = tl.cdaskc([os.path.join(tmp, "st.lua"), "--emit-c", os.path.join(d, "st.c")],
                      cwd=d, env=env(pages))
        R.check(r.returncode == 0, "cdaskc with %d MiB of memory emits C" % (pages // 256),
                r.stderr)
        texts.append(open(os.path.join(d, "st.c"), "rb").read() if r.returncode == 0 else None)
    R.check(texts[0] is not None and texts[0] == texts[1],
            "the same C under 2 MiB and 256 GiB of memory (byte-identical)")

    r = tl.cdaskc(["st.lua", "-o", "st"], cwd=tmp, env=env(512))
    R.check(r.returncode == 0 and "warning: the arrays kept in memory need" in r.stderr,
            "compiling on a small machine only warns", r.stderr)
    exe = os.path.join(tmp, "st")
    out = os.path.join(tmp, "stout")
    os.mkdir(out)
    if r.returncode != 0:
        return
    q = tl.run([exe, "--out", out], cwd=tmp, env=env(512))
    expect("run time default: 75% of 2 MiB is too small -> exit 5, nothing written", q, 5,
           ("over the memory limit of 1.57 MB (75% of this machine's memory)",), outdir=out)
    q = tl.run([exe, "--out", out], cwd=tmp, env=env(1 << 26))
    x = np.load(os.path.join(out, "x.npy")) if q.returncode == 0 else None
    y = np.sin(x) * np.exp(x * 0.1) + np.cos(x) if x is not None else None
    R.check(q.returncode == 0 and np.allclose(np.load(os.path.join(out, "m0.npy")), y.mean(0),
                                              rtol=1e-12, atol=1e-14) and
            np.allclose(np.load(os.path.join(out, "m1.npy")), y.max(1), rtol=1e-14, atol=0),
            "run time default on a big machine: runs, NumPy's values", q.stderr)
    r = tl.cdaskc(["st.lua", "-o", "st2", "--memory-limit", "100M"], cwd=tmp, env=env(512))
    q = tl.run([os.path.join(tmp, "st2"), "--out", out], cwd=tmp, env=env(512))
    R.check(r.returncode == 0 and q.returncode == 0,
            "an explicit cdaskc --memory-limit is compiled in (the machine's memory is not "
            "asked)", r.stderr + q.stderr)


def main():
    warnings.simplefilter("ignore")  # NumPy's FutureWarning on '1f8' (read all the same)
    tmp = tl.tempdir("inputs")
    try:
        for name, fn in (("stdout", stdout_lost), ("limit", memory_limit), ("thr", threads),
                         ("regular", regular_inputs), ("machine", machine_independent)):
            d = os.path.join(tmp, name)
            os.mkdir(d)
            fn(d)
        d = os.path.join(tmp, "npy")
        os.mkdir(d)
        driver = compile_driver(d)
        if driver:
            shape_rule(d, driver)
            descr_spellings(d, driver)
    finally:
        for root, dirs, files in os.walk(tmp):
            for f in files:
                p = os.path.join(root, f)
                if stat.S_ISFIFO(os.lstat(p).st_mode):
                    os.unlink(p)
        tl.rmtree(tmp)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
