#!/usr/bin/python3
"""Checks the runtime's .npy reader/writer and cdrt_print against NumPy as the oracle.

Compiles tests/py/npy_format_driver.c with runtime/{dtype,npy,outfile,format}.c, then:
  - files written by cdrt_npy_write load with numpy.load, equal the data, and are
    byte-identical to numpy.save's;
  - files written by NumPy (all dtypes, ranks 0-3, both orders, versions 1.0-3.0) parse
    with cdrt_npy_read_header giving NumPy's dtype, shape, order and data offset;
  - unsupported or corrupt files are rejected with the documented messages, and random
    corruptions never crash the reader;
  - cdrt_print prints what NumPy's str() prints.
Run with CDASK_SOURCE=<repo> (and optionally CDASK_BUILD=<build dir>).
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import numpy as np

SOURCE = os.environ.get("CDASK_SOURCE") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DTYPES = {"bool": np.bool_, "int32": np.int32, "int64": np.int64,
          "float32": np.float32, "float64": np.float64}

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL %s%s" % (name, ("\n" + detail) if detail else ""))


def compile_driver(tmp):
    srcs = [os.path.join(SOURCE, "runtime", f)
            for f in ("dtype.c", "npy.c", "outfile.c", "format.c")]
    srcs.append(os.path.join(SOURCE, "tests", "py", "npy_format_driver.c"))
    base = [os.environ.get("CC", "cc"), "-std=c11", "-O1", "-g", "-ffp-contract=off",
            "-I", os.path.join(SOURCE, "runtime")]
    out = os.path.join(tmp, "npy_format_driver")
    # Prefer a sanitized build, so that the fuzzing below also catches memory errors.
    san = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all"]
    for flags in (san, []):
        r = subprocess.run(base + flags + srcs + ["-o", out, "-lm"], capture_output=True,
                           text=True)
        if r.returncode == 0 and subprocess.run([out, "header"], capture_output=True,
                                                env=driver_env()).returncode == 0:
            return out
        if not flags:
            sys.exit("cannot compile the driver:\n" + r.stderr)
    return out


def driver_env():
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = "detect_leaks=0"
    return env


def run(driver, *args):
    r = subprocess.run([driver] + list(args), capture_output=True, text=True,
                       env=driver_env())
    return r.returncode, r.stdout, r.stderr


def sample(dtype, shape, rng):
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype in ("int32", "int64"):
        info = np.iinfo(DTYPES[dtype])
        return rng.integers(info.min, info.max, size=shape, dtype=DTYPES[dtype],
                            endpoint=True)
    return rng.normal(size=shape).astype(DTYPES[dtype])


def test_write(driver, tmp, rng):
    shapes = [(), (0,), (1,), (5,), (3, 4), (2, 3, 4), (0, 3), (2, 0, 4),
              (1, 2, 1, 2, 1, 2, 1, 2), (12345,)]
    for name in DTYPES:
        for shape in shapes:
            a = sample(name, shape, rng)
            src = os.path.join(tmp, "in.npy")
            outdir = os.path.join(tmp, "out")
            os.makedirs(outdir, exist_ok=True)
            dst = os.path.join(outdir, "w.npy")
            np.save(src, a)
            code, out, err = run(driver, "copy", src, dst)
            tag = "write %s %s" % (name, shape)
            check(tag + " runs", code == 0 and out == "ok\n", out + err)
            if code != 0 or out != "ok\n":
                continue
            b = np.load(dst)
            check(tag + " loads", b.dtype == a.dtype and b.shape == a.shape and
                  np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
            with open(src, "rb") as f1, open(dst, "rb") as f2:
                check(tag + " same bytes as numpy.save", f1.read() == f2.read())
            check(tag + " leaves no temp file", os.listdir(outdir) == ["w.npy"],
                  str(os.listdir(outdir)))
            os.unlink(dst)
    # A failed write reports the path and leaves nothing behind.
    src = os.path.join(tmp, "in.npy")
    np.save(src, np.arange(3.0))
    missing = os.path.join(tmp, "no", "such", "dir", "w.npy")
    code, out, err = run(driver, "copy", src, missing)
    check("write to a missing directory fails",
          out.startswith("error cannot write %s: " % missing), out + err)


def expected_header(path):
    with open(path, "rb") as f:
        version = np.lib.format.read_magic(f)
        shape, fortran, dtype = np.lib.format._read_array_header(f, version)
        return shape, fortran, dtype, f.tell()


def test_read_header(driver, tmp, rng):
    files, expect = [], []
    i = 0
    for name in DTYPES:
        for shape in [(), (0,), (7,), (3, 5), (2, 3, 4), (4, 0, 2), (1, 1, 1)]:
            for fortran in (False, True):
                for version in ((1, 0), (2, 0), (3, 0), None):
                    a = sample(name, shape, rng)
                    if fortran:
                        a = np.asfortranarray(a)
                    path = os.path.join(tmp, "h%d.npy" % i)
                    i += 1
                    if version is None:
                        np.save(path, a)
                    else:
                        with open(path, "wb") as f:
                            np.lib.format.write_array(f, a, version=version)
                    shape_, fortran_, dtype_, offset = expected_header(path)
                    want = "ok %s %d %d %d%s" % (
                        name, int(fortran_), offset, a.nbytes,
                        "".join(" %d" % d for d in shape_))
                    files.append(path)
                    expect.append((path, want))
    code, out, err = run(driver, "header", *files)
    lines = out.splitlines()
    check("header: driver runs", code == 0 and len(lines) == len(files), err)
    for (path, want), got in zip(expect, lines):
        check("header %s" % path, got == want, "want %r\ngot  %r" % (want, got))


def raw_npy(path, header, data=b"", version=(1, 0), pad=True):
    """Writes a .npy file with an arbitrary header dict text."""
    h = header.encode("latin1")
    if pad:
        n = 10 if version == (1, 0) else 12
        h += b" " * ((64 - (n + len(h) + 1) % 64) % 64) + b"\n"
    fmt = "<H" if version == (1, 0) else "<I"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY" + bytes(version) + struct.pack(fmt, len(h)) + h + data)


def test_reject(driver, tmp, rng):
    cases = []

    def add(name, want, maker):
        path = os.path.join(tmp, "r_%s.npy" % name)
        maker(path)
        cases.append((name, path, want))

    good = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"
    add("good", "ok float64 0 128 16 2", lambda p: raw_npy(p, good, b"\0" * 16))
    add("spacing", "ok int32 1 128 24 2 3", lambda p: raw_npy(
        p, "{ 'shape':(2 ,3) ,\"fortran_order\" :True,'descr':'<i4' }", b"\0" * 24))
    add("zerod", "ok bool 0 64 1", lambda p: raw_npy(
        p, "{'descr': '|b1', 'fortran_order': False, 'shape': ()}", b"\1"))
    add("empty", "error not a .npy file (empty)", lambda p: open(p, "wb").close())
    add("magic", "error not a .npy file (bad magic)",
        lambda p: open(p, "wb").write(b"PK\x03\x04 this is a zip file"))
    add("short", "error not a .npy file (too short)",
        lambda p: open(p, "wb").write(b"\x93NUM"))
    add("version", "error unsupported .npy version 4.0",
        lambda p: open(p, "wb").write(b"\x93NUMPY\x04\x00\x10\x00" + b" " * 16))
    add("bigendian", "error unsupported dtype '>f8' (big-endian)",
        lambda p: np.save(p, np.arange(3, dtype=">f8")))
    add("bigendian_i4", "error unsupported dtype '>i4' (big-endian)",
        lambda p: np.save(p, np.arange(3, dtype=">i4")))
    add("int16", "error unsupported dtype '<i2'",
        lambda p: np.save(p, np.arange(3, dtype="<i2")))
    add("uint8", "error unsupported dtype '|u1'",
        lambda p: np.save(p, np.arange(3, dtype="u1")))
    add("float16", "error unsupported dtype '<f2'",
        lambda p: np.save(p, np.arange(3, dtype="f2")))
    add("unicode", "error unsupported dtype '<U3'",
        lambda p: np.save(p, np.array(["abc"])))
    add("structured", "error unsupported dtype (structured array)",
        lambda p: np.save(p, np.zeros(2, dtype=[("a", "<f8")])))
    add("ninedims", "error shape (1, 1, 1, 1, 1, 1, 1, 1, 1) has more than 8 dimensions",
        lambda p: np.save(p, np.zeros((1,) * 9)))
    add("overflow", "error shape (4294967296, 4294967296) overflows", lambda p: raw_npy(
        p, "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }"))
    add("overflow_bytes", "error shape (2305843009213693952,) overflows", lambda p: raw_npy(
        p, "{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,), }"))
    add("overflow_dim", "error shape (99999999999999999999,) overflows", lambda p: raw_npy(
        p, "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }"))
    add("negative", "error bad header: negative dimension in shape", lambda p: raw_npy(
        p, "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }"))
    add("notuple", "error bad header: shape is not a tuple", lambda p: raw_npy(
        p, "{'descr': '<f8', 'fortran_order': False, 'shape': (5), }"))
    add("nokey", "error bad header: no 'shape'", lambda p: raw_npy(
        p, "{'descr': '<f8', 'fortran_order': False}"))
    add("extrakey", "error bad header: unexpected key 'extra'", lambda p: raw_npy(
        p, "{'descr': '<f8', 'fortran_order': False, 'shape': (), 'extra': 1}"))
    add("fortran", "error bad header: fortran_order is not True or False", lambda p: raw_npy(
        p, "{'descr': '<f8', 'fortran_order': 0, 'shape': ()}"))
    add("notdict", "error bad header: not a dict", lambda p: raw_npy(p, "[1, 2]"))
    add("unclosed", "error bad header: expected a quoted key", lambda p: raw_npy(
        p, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), "))
    add("junk", "error bad header: junk after the dict", lambda p: raw_npy(
        p, "{'descr': '<f8', 'fortran_order': False, 'shape': ()} x"))
    add("trunc_data", "error truncated: header promises 80 bytes of data, file has 79",
        lambda p: open(p, "wb").write(_npy_bytes(np.arange(10.0))[:-1]))
    add("trunc_header", "error truncated header",
        lambda p: open(p, "wb").write(_npy_bytes(np.arange(10.0))[:40]))
    add("huge_header", "error truncated header", lambda p: open(p, "wb").write(
        b"\x93NUMPY\x02\x00\xff\xff\xff\xff{'descr'"))

    code, out, err = run(driver, "header", *[c[1] for c in cases])
    lines = out.splitlines()
    check("reject: driver runs", code == 0 and len(lines) == len(cases), err)
    for (name, path, want), got in zip(cases, lines):
        check("reject %s" % name, got.startswith(want), "want %r\ngot  %r" % (want, got))

    # Fuzz: corrupt valid files at random; the reader must answer, never crash.
    base = _npy_bytes(np.arange(12.0).reshape(3, 4))
    paths = []
    for i in range(400):
        b = bytearray(base)
        kind = i % 4
        if kind == 0:
            b = bytearray(rng.integers(0, 256, size=int(rng.integers(0, 200)),
                                       dtype=np.uint8).tobytes())
        elif kind == 1:
            b = b[:int(rng.integers(0, len(b)))]
        elif kind == 2:
            for _ in range(int(rng.integers(1, 6))):
                b[int(rng.integers(0, 128))] = int(rng.integers(0, 256))
        else:
            b[6] = int(rng.integers(1, 4))
            for j in range(8, 12):
                b[j] = int(rng.integers(0, 256))
        path = os.path.join(tmp, "f%d.npy" % i)
        with open(path, "wb") as f:
            f.write(bytes(b))
        paths.append(path)
    code, out, err = run(driver, "header", *paths)
    lines = out.splitlines()
    check("fuzz: no crash", code == 0 and len(lines) == len(paths), err[-2000:])
    check("fuzz: every answer is ok or error",
          all(l.startswith("ok ") or l.startswith("error ") for l in lines))


def _npy_bytes(a):
    import io
    buf = io.BytesIO()
    np.save(buf, a)
    return buf.getvalue()


def scalar_str(a):
    """The 0-d format documented in cdrt.h: %.17g floats, integers, True/False."""
    v = a[()]
    if a.dtype == np.bool_:
        return "True" if v else "False"
    if a.dtype.kind == "i":
        return str(int(v))
    return "%.17g" % float(v)


def print_cases(rng):
    f32 = np.float32
    nan, inf = np.nan, np.inf
    cases = [
        np.array(1.5), np.array(0.1), np.array(-0.0), np.array(nan), np.array(-inf),
        np.array(1e300), np.array(f32(0.1)), np.array(np.int32(-7)),
        np.array(np.iinfo(np.int64).min), np.array(True), np.array(False),
        np.zeros(0), np.zeros((0, 3)), np.zeros((2, 0, 4), dtype=np.int32),
        np.zeros(0, dtype=bool),
        np.array([0.0, 1e-5, 1.5]), np.array([-0.0, 1.5]), np.array([nan, -inf, 1.0]),
        np.array([nan]), np.array([inf, -inf]), np.array([nan, nan]), np.array([-inf, 1e10]),
        np.array([1e100, 1e-100, 0, nan]), np.array([1.5, 2.25, 100.125]),
        np.array([0.1, 0.2, 0.30000000000000004]), np.array([1 / 3, 2 / 3]),
        np.array([123456.7891234]), np.array([1e8]), np.array([99999999.99999999]),
        np.array([1e-4, 0.1]), np.array([1e-4, 0.10000000000000002]),
        np.array([5e-324, 1.7976931348623157e308]), np.array([2.0 ** -1022, 1.0]),
        np.array([0.5, 0.25, 0.125, 2.0 ** 60]), np.array([9.5, 0.05]),
        np.array([0.0, 0.0]), np.array([-1e-20, 1e20]), np.array([0.99999999999]),
        np.array([0.999999999, 9.9999999999]), np.array([1e16, 1e-16]),
        np.array([f32(0.1), f32(1.2345678e5)]), np.array([f32(1.0000001), f32(1e5)]),
        np.array([f32(99999992)]), np.array([f32(1e-4)]), np.array([f32(1e8)]),
        np.array([1.0200539, 1020.0539], dtype=f32), np.array([f32(1e-45), f32(3e38)]),
        np.array([True, True]), np.array([[True, False], [False, True]]),
        np.array([np.iinfo(np.int64).min, 5]), np.array([np.iinfo(np.int32).max, -1],
                                                        dtype=np.int32),
        np.arange(-5, 1000, dtype=np.int32), np.arange(24).reshape(2, 3, 4),
        np.arange(2000.0), np.arange(1001, dtype=np.int64), np.arange(1000.0),
        np.ones((1, 2, 1, 2, 1, 2, 1, 2)),
    ]
    for shape in [(5,), (3, 4), (2, 3, 4), (7,), (100,), (2, 3, 30), (40, 40), (20, 20, 20),
                  (3, 400), (1001,), (4, 4, 4, 4), (2, 1, 9)]:
        cases.append(rng.normal(size=shape))
        cases.append(rng.normal(size=shape).astype(f32))
        cases.append(rng.normal(size=shape) * 1e10)
        cases.append(rng.normal(size=shape) * 1e-7)
        cases.append(rng.normal(size=shape) * 10.0 ** rng.integers(-3, 6, size=shape))
        cases.append(rng.integers(-10 ** 6, 10 ** 6, size=shape))
        cases.append(rng.integers(-100, 100, size=shape, dtype=np.int32))
        cases.append(rng.random(shape) < 0.5)
        a = rng.normal(size=shape)
        a.flat[::3] = nan
        a.flat[1::5] = -inf
        cases.append(a)
        cases.append(np.round(rng.normal(size=shape) * 100, 2))
    # Random values of every magnitude, alone and in small groups.
    for t in range(1500):
        dt = (np.float64, np.float32)[t % 2]
        n = int(rng.integers(1, 6))
        kind = t % 5
        if kind == 0:
            if dt == np.float64:
                a = rng.integers(0, 2 ** 63, size=n, dtype=np.int64).view(np.float64)
            else:
                a = rng.integers(0, 2 ** 31, size=n, dtype=np.int64).astype(
                    np.uint32).view(np.float32)
            a = np.where(rng.random(n) < 0.5, -a, a)
        elif kind == 1:
            a = rng.normal(size=n) * 10.0 ** rng.integers(-6, 10)
        elif kind == 2:
            a = np.round(rng.normal(size=n) * 1000, int(rng.integers(0, 6)))
        elif kind == 3:
            a = 10.0 ** rng.uniform(-5, 9, size=n)
        else:
            a = rng.integers(-10 ** 6, 10 ** 6, size=n) / 10.0 ** rng.integers(0, 9)
        cases.append(np.asarray(a).astype(dt))
    return cases


def test_print(driver, tmp, rng):
    with np.errstate(all="ignore"):
        cases = print_cases(rng)
    paths = []
    for i, a in enumerate(cases):
        path = os.path.join(tmp, "p%d.npy" % i)
        np.save(path, a.copy(order="C"))
        paths.append(path)
    outs = []
    for k in range(0, len(paths), 500):
        code, out, err = run(driver, "print", *paths[k:k + 500])
        check("print: driver runs", code == 0, err[-2000:])
        outs += out.split("@@\n")[:-1]
    check("print: one answer per array", len(outs) == len(cases))
    for a, got in zip(cases, outs):
        want = "x = %s\n" % (scalar_str(a) if a.ndim == 0 else str(a))
        check("print %s %s" % (a.dtype, a.shape), got == want,
              "array bytes: %s\nwant:\n%sgot:\n%s" % (a.tobytes().hex()[:200], want, got))


def main():
    rng = np.random.default_rng(20240601)
    tmp = tempfile.mkdtemp(prefix="cdask_npy_format_")
    try:
        driver = compile_driver(tmp)
        test_write(driver, tmp, rng)
        test_read_header(driver, tmp, rng)
        test_reject(driver, tmp, rng)
        test_print(driver, tmp, rng)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
