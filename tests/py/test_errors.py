#!/usr/bin/python3
"""Errors, at compile time and at run time.

Compile time: every tests/errors/NAME.lua starts with
    -- expect: NAME.lua:LINE: error: MESSAGE
the exact first line cdaskc must print on stderr (the file as given on the command line,
the line where the user wrote the bad call, even inside a function the user defined), and
may name inputs it needs with lines
    -- fixture: FILE.npy KIND
which this test makes in a temporary directory (KIND: see FIXTURES below). cdaskc must exit
with 1 and create no program and no .c file: each script is compiled three ways, from
tests/errors with -o into an empty temporary directory, from a copy in a temporary
directory with the default output name, and with --emit-c.

Run time: a program compiled against in.npy then run with that input deleted, truncated,
reshaped, retyped or corrupted (exit 3, the message names the file), with --out missing,
under a regular file, read-only, or failing late while writing (exit 4), with bad options
(exit 2), and out of memory (exit 5); in every failure no output and no temporary file may
be left behind.

Environment: CDASK_BUILD (holds cdaskc), CDASK_SOURCE (the repository)."""

import glob
import os
import re
import resource
import shutil
import signal
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

ERRORS_DIR = os.path.join(tl.SRC, "tests", "errors")
NOBODY = 65534

R = tl.Results()


# ---- .npy fixtures --------------------------------------------------------------------

def npy_bytes(descr, shape, data, fortran=False):
    """A version 1.0 .npy file with the given header fields and raw data, padded the way
    numpy.save pads (the data starts at a multiple of 64)."""
    d = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, "True" if fortran else "False", repr(tuple(shape)))
    total = 10 + len(d) + 1
    pad = (64 - total % 64) % 64
    header = (d + " " * pad + "\n").encode("latin1")
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + data


BASE = np.arange(24, dtype="<f8").reshape(6, 4)


def save(path, arr):
    np.save(path, arr)


def fixture_unreadable(path):
    save(path, BASE)
    os.chmod(path, 0)


def fixture_bad_magic(path):
    save(path, BASE)
    with open(path, "r+b") as f:
        f.seek(5)
        f.write(b"X")  # \x93NUMPX


def fixture_truncated(path):
    save(path, BASE)
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(data[:-9])  # 183 of the 192 bytes of data


FIXTURES = {
    "unreadable": fixture_unreadable,
    "directory": lambda p: os.mkdir(p),
    "empty": lambda p: open(p, "wb").close(),
    "bad_magic": fixture_bad_magic,
    "float16": lambda p: save(p, BASE.astype("<f2")),
    "big_endian": lambda p: save(p, BASE.astype(">f8")),
    "shape_overflow": lambda p: tl.write(
        p, npy_bytes("<f8", (2 ** 62, 4), BASE.tobytes()), "wb"),
    "truncated": fixture_truncated,
}


def drop_privileges():
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


# ---- compile-time errors -----------------------------------------------------------------

def parse_header(path):
    with open(path) as f:
        lines = f.read().splitlines()
    expect, fixtures = None, []
    if lines and lines[0].startswith("-- expect: "):
        expect = lines[0][len("-- expect: "):]
    for line in lines[1:]:
        m = re.match(r"^-- fixture: (\S+) (\S+)\s*$", line)
        if m:
            fixtures.append((m.group(1), m.group(2)))
    return expect, fixtures


def check_compile_error(name, r, expect, outdir, before, what):
    got = tl.first_line(r.stderr)
    why = []
    if r.returncode != 1:
        why.append("exit code %r, want 1" % r.returncode)
    if got != expect:
        why.append("stderr first line\n      got:  %r\n      want: %r" % (got, expect))
    left = [f for f in tl.listing(outdir) if f not in before]
    if left:
        why.append("left files behind: %s" % left)
    R.check(not why, "%s (%s)" % (name, what), "; ".join(why))


def compile_errors():
    scripts = sorted(glob.glob(os.path.join(ERRORS_DIR, "*.lua")))
    if not scripts:
        R.check(False, "tests/errors has scripts")
        return
    for path in scripts:
        base = os.path.basename(path)
        name = base[:-4]
        expect, fixtures = parse_header(path)
        if expect is None:
            R.check(False, name, "the first line is not '-- expect: ...'")
            continue
        if not expect.startswith(base + ":"):
            R.check(False, name, "the expected line does not start with %s:" % base)
            continue
        tmp = tl.tempdir("err_" + name)
        try:
            work = os.path.join(tmp, "work")
            os.mkdir(work)
            shutil.copy(path, os.path.join(work, base))
            preexec = None
            for fname, kind in fixtures:
                if kind not in FIXTURES:
                    R.check(False, name, "unknown fixture kind %r" % kind)
                    break
                FIXTURES[kind](os.path.join(work, fname))
                if kind == "unreadable" and os.geteuid() == 0:
                    # root reads any file whatever its mode: be nobody to be refused
                    os.chmod(tmp, 0o755)
                    os.chmod(work, 0o777)
                    preexec = drop_privileges
            else:
                before = tl.listing(work)
                if not fixtures:
                    # 1. from tests/errors itself, the program into an empty directory
                    out = os.path.join(tmp, "out")
                    os.mkdir(out)
                    errs_before = tl.listing(ERRORS_DIR)
                    r = tl.cdaskc([base, "-o", os.path.join(out, name)], cwd=ERRORS_DIR)
                    check_compile_error(name, r, expect, out, [], "-o elsewhere")
                    new = [f for f in tl.listing(ERRORS_DIR) if f not in errs_before]
                    if new:
                        R.check(False, name + " (tests/errors untouched)", "created %s" % new)
                # 2. from a copy, with the default output name (NAME and NAME.c there)
                try:
                    r = tl.run([tl.CDASKC, base], cwd=work, timeout=tl.COMPILE_TIMEOUT,
                               preexec_fn=preexec)
                except OSError as e:
                    R.skip(name, "cannot run cdaskc as user nobody: %s" % e)
                    continue
                check_compile_error(name, r, expect, work, before, "default output")
                # 3. --emit-c
                r = tl.run([tl.CDASKC, base, "--emit-c", name + ".c"], cwd=work,
                           timeout=tl.COMPILE_TIMEOUT, preexec_fn=preexec)
                check_compile_error(name, r, expect, work, before, "--emit-c")
        finally:
            for root, dirs, files in os.walk(tmp):
                for f in files:
                    try:
                        os.chmod(os.path.join(root, f), 0o644)
                    except OSError:
                        pass
            tl.rmtree(tmp)


# ---- the bindings' own messages -----------------------------------------------------------

# Each binding names a bad axis its own way through one normaliser; elementwise functions,
# their aliases, methods and operators are registered from one table: every name keeps its
# message. (name, line 2 of the script after requiring da as line 1, the message there)
BINDING_ERRORS = [
    ('transpose_axis_type',
     'local x = da.ones({2, 3}); da.print(x:transpose({0, "a"}))',
     'every axis must be an integer, got string'),
    ('transpose_axis_range',
     'local x = da.ones({2, 3}); da.print(x:transpose({0, -3}))',
     'axis -3 is out of bounds for array of dimension 2'),
    ('concat_axis_type',
     'local x = da.ones({2, 3}); da.print(da.concatenate({x, x}, "a"))',
     'axis must be an integer, got string'),
    ('stack_axis_range',
     'local x = da.ones({2, 3}); da.print(da.stack({x, x}, 3))',
     'axis 3 is out of bounds for array of dimension 3'),
    ('cumsum_axis_type',
     'local x = da.ones({2, 3}); da.print(x:cumsum(1.5))',
     'axis must be an integer, got number'),
    ('fft_axes_type',
     'local x = da.ones({2, 3}); da.print(da.real(da.fft.fft2(x, nil, {0, {}})))',
     'axes must be integers, got table'),
    ('fft_axis_type',
     'local x = da.ones({2, 3}); da.print(da.real(da.fft.fft(x, nil, "a")))',
     'axes must be integers, got string'),
    ('fft_axes_range',
     'local x = da.ones({2, 3}); da.print(da.real(da.fft.fftn(x, nil, {0, 2})))',
     'axis 2 is out of bounds for array of dimension 2'),
    ('fft_axes_repeat_after_len',
     'local x = da.ones({2, 3}); da.print(da.real(da.fft.fft2(x, {2}, {0, 0})))',
     'Shape and axes have different lengths.'),
    ('sum_axis_type',
     'local x = da.ones({2, 3}); da.print(x:sum({0, "a"}))',
     'axis must be an integer or a table of integers, got string'),
    ('sum_axis_type_single',
     'local x = da.ones({2, 3}); da.print(x:sum(true))',
     'axis must be an integer or a table of integers, got boolean'),
    ('squeeze_axis_type',
     'local x = da.ones({1, 3}); da.print(x:squeeze("a"))',
     'axis must be an integer or a table of integers, got string'),
    ('fftshift_repeat',
     'local x = da.ones({2, 3}); da.print(da.fft.fftshift(x, {1, -1}))',
     'repeated axis'),
    ('mod_alias',
     'local x = da.ones(3); da.print(da.mod(x, "a"))',
     'remainder: expected an array or a number, got string'),
    ('metamethod_mod',
     'local x = da.ones(3); da.print(x % {})',
     'remainder: expected an array or a number, got table'),
    ('true_divide_string',
     'local x = da.ones(3); da.print(da.true_divide(x, "a"))',
     'divide: expected an array or a number, got string'),
    ('unm_bool',
     'local x = da.ones(3, {dtype = "bool"}); da.print(-x)',
     'The numpy boolean negative, the `-` operator, is not supported, use the `~` operator '
     'or the logical_not function instead.'),
    ('bnot_float',
     'local x = da.ones(3); da.print(~x)',
     'logical_not (~) needs a bool array, got float64'),
    ('absolute_string',
     'da.print(da.absolute("a"))',
     'abs: expected an array or a number, got string'),
    ('conjugate_number',
     'da.print(da.conjugate(3))',
     'expected an array, got number'),
    ('real_none',
     'da.print(da.real())',
     'expected an array, got no value'),
    ('sin_none',
     'da.print(da.sin())',
     "bad argument #1 to 'sin' (value expected)"),
    ('where_two',
     'local x = da.ones(3); da.print(da.where(x, x))',
     "bad argument #3 to 'where' (value expected)"),
    ('lt_method_string',
     'local x = da.ones(3); da.print(x:lt("a"))',
     'less: expected an array or a number, got string'),
    ('band_float',
     'local x = da.ones(3); da.print(x & x)',
     'logical_and needs bool arrays, got float64'),
    ('unknown_function',
     'da.print(da.nosuch(1))',
     "cdask.array has no function 'nosuch'"),
    ('unknown_random',
     'da.print(da.random.foo(1))',
     "cdask.array.random has no function 'foo'"),
    ('astype_unknown',
     'local x = da.ones(3); da.print(x:astype("int8"))',
     "unknown dtype 'int8' (bool, int32, int64, float32, float64, complex64, complex128)"),
    ('astype_none',
     'local x = da.ones(3); da.print(x:astype())',
     "bad argument #1 to 'astype' (string expected, got no value)"),
    ('dtype_option_table',
     'da.print(da.ones(3, {dtype = {}}))',
     "unknown dtype 'table' (bool, int32, int64, float32, float64, complex64, complex128)"),
    ('complex_sin',
     'local x = da.ones(3, {dtype = "complex64"}); da.print(da.real(da.sin(x)))',
     'sin is not supported for complex arrays'),
    ('logical_and_int',
     'local x = da.arange(3); da.print(da.logical_and(x, x))',
     'logical_and needs bool arrays, got int64'),
    ('unm_called_bare',
     'local ok, e = pcall(getmetatable(da.ones(2)).__unm); error(e, 0)',
     'negative: expected an array or a number, got nil'),
]


def binding_errors():
    tmp = tl.tempdir("err_bindings")
    try:
        for name, body, msg in BINDING_ERRORS:
            base = name + ".lua"
            tl.write(os.path.join(tmp, base), 'local da = require("cdask.array")\n%s\n' % body)
            before = tl.listing(tmp)
            r = tl.cdaskc([base, "--emit-c", name + ".c"], cwd=tmp)
            check_compile_error("binding " + name, r, "%s:2: error: %s" % (base, msg), tmp, before,
                                "--emit-c")
    finally:
        tl.rmtree(tmp)


# A binding must not hold a pointer into the graph's nodes while it adds a node: the array
# moves when it grows (realloc), and cdaskc crashed reading the freed copy (SIGSEGV, from
# the third growth of the nodes array, past 2^20 bytes). Each script grows it many times
# inside such a binding, with the node added at either parity.
GRAPH_MOVES = [
    ("unary_cast", "local x = da.arange(3)\nlocal s\n"
     "for i = 1, 20000 do s = da.sin(x) end\nda.print(s, 's')\n"),
    ("unary_cast_odd", "local x = da.arange(3)\nlocal z = da.ones(2)\nlocal s\n"
     "for i = 1, 20000 do s = da.sin(x) end\nda.print(s, 's')\n"),
    ("keepdims", "local x = da.ones({3, 4})\nlocal s\n"
     "for i = 1, 20000 do s = x:sum(0, true) end\nda.print(s, 's')\n"),
    ("keepdims_odd", "local x = da.ones({3, 4})\nlocal z = da.ones(2)\nlocal s\n"
     "for i = 1, 20000 do s = x:sum(0, true) end\nda.print(s, 's')\n"),
]


def graph_moves():
    tmp = tl.tempdir("err_moves")
    try:
        for name, body in GRAPH_MOVES:
            base = name + ".lua"
            tl.write(os.path.join(tmp, base), 'local da = require("cdask.array")\n' + body)
            r = tl.cdaskc([base, "--emit-c", name + ".c"], cwd=tmp)
            made = os.path.exists(os.path.join(tmp, name + ".c"))
            R.check(r.returncode == 0 and made and r.stderr == "", "graph moves: " + name,
                    "exit %r, C written: %s, stderr %r" % (r.returncode, made, tl.short(r.stderr)))
    finally:
        tl.rmtree(tmp)


# ---- run-time errors ---------------------------------------------------------------------

PROGRAM = """local da = require("cdask.array")
local x = da.from_npy("in.npy", {chunks = {2, 3}})
da.to_npy(x * 2, "doubled.npy")
da.to_npy(x:sum(0), "colsum.npy")
"""

INPUT = np.arange(24, dtype=np.float64).reshape(6, 4) / 8


def run_prog(exe, args, cwd, preexec=None):
    return tl.run([exe] + list(args), cwd=cwd, preexec_fn=preexec)


def expect_failure(name, r, code, outdir, must_say=(), before=()):
    """Exit code, message, and nothing (new) left in outdir."""
    why = []
    if r.returncode != code:
        why.append("exit code %r, want %d" % (r.returncode, code))
    for s in must_say:
        if s not in r.stderr:
            why.append("stderr does not mention %r" % s)
    if outdir is not None and os.path.isdir(outdir):
        left = [f for f in tl.listing(outdir) if f not in before]
        if left:
            why.append("left in %s: %s" % (outdir, left))
    if why:
        why.append("stderr: %r" % tl.short(r.stderr))
    R.check(not why, name, "; ".join(why))


def fresh_dir(parent, name):
    d = os.path.join(parent, name)
    os.mkdir(d)
    return d


def set_immutable(path, on):
    r = tl.run(["chattr", "+i" if on else "-i", path])
    return r.returncode == 0


def runtime_errors():
    tmp = tl.tempdir("rt")
    immutable = []
    try:
        work = fresh_dir(tmp, "work")
        inp = os.path.join(work, "in.npy")
        np.save(inp, INPUT)
        exe, r = tl.build_program(PROGRAM, work)
        if not R.check(exe is not None, "runtime: compile the program",
                       tl.short(r.stderr)):
            return

        # the happy path, so that the failures below mean something
        out = fresh_dir(tmp, "ok")
        r = run_prog(exe, ["--threads", "2", "--out", out], work)
        good = r.returncode == 0 and sorted(os.listdir(out)) == ["colsum.npy", "doubled.npy"]
        if good:
            good = (tl.same_values(np.load(os.path.join(out, "doubled.npy")), INPUT * 2) and
                    tl.same_values(np.load(os.path.join(out, "colsum.npy")), INPUT.sum(0)))
        R.check(good, "runtime: a good run works",
                "rc=%r files=%s stderr=%r" % (r.returncode, os.listdir(out), r.stderr))

        def remove_input():
            if os.path.isdir(inp):
                os.rmdir(inp)
            elif os.path.exists(inp):
                os.chmod(inp, 0o644)
                os.unlink(inp)

        def with_input(name, make, must_say=("in.npy",)):
            """Replaces in.npy by make(path), runs, expects exit 3 and no output."""
            remove_input()
            make(inp)
            d = fresh_dir(tmp, "out_" + name)
            r = run_prog(exe, ["--out", d], work)
            expect_failure("runtime: input %s -> exit 3" % name, r, 3, d, must_say)
            # the same with the outputs in the working directory
            before = tl.listing(work)
            r = run_prog(exe, [], work)
            expect_failure("runtime: input %s, no --out -> exit 3" % name, r, 3, work,
                           must_say, before)

        with_input("missing", lambda p: None, ("in.npy", "No such file"))
        with_input("truncated", lambda p: tl.write(
            p, npy_bytes("<f8", (6, 4), INPUT.tobytes()[:-1]), "wb"), ("in.npy", "truncated"))
        with_input("header cut short", lambda p: tl.write(
            p, npy_bytes("<f8", (6, 4), b"")[:40], "wb"), ("in.npy",))
        with_input("shape changed", lambda p: np.save(p, INPUT.reshape(4, 6)),
                   ("in.npy", "(4, 6)", "(6, 4)"))
        with_input("ndim changed", lambda p: np.save(p, INPUT.reshape(24)),
                   ("in.npy", "(24,)", "(6, 4)"))
        with_input("dtype changed", lambda p: np.save(p, INPUT.astype(np.float32)),
                   ("in.npy", "float32", "float64"))
        with_input("dtype changed to int64", lambda p: np.save(p, INPUT.astype(np.int64)),
                   ("in.npy", "int64", "float64"))
        with_input("now Fortran order", lambda p: np.save(p, np.asfortranarray(INPUT)),
                   ("in.npy", "Fortran"))
        with_input("bad magic", lambda p: tl.write(p, b"NOTNPY" + b"\0" * 200, "wb"),
                   ("in.npy", "magic"))
        with_input("big-endian", lambda p: np.save(p, INPUT.astype(">f8")),
                   ("in.npy", ">f8"))
        with_input("a directory", lambda p: os.mkdir(p), ("in.npy",))
        if os.geteuid() == 0:
            def locked(p):
                np.save(p, INPUT)
                os.chmod(p, 0)
            os.chmod(tmp, 0o755)
            os.chmod(work, 0o777)
            with_input_locked = fresh_dir(tmp, "out_locked")
            os.chmod(with_input_locked, 0o777)
            remove_input()
            locked(inp)
            try:
                r = run_prog(exe, ["--out", with_input_locked], work, drop_privileges)
                expect_failure("runtime: input unreadable (as nobody) -> exit 3", r, 3,
                               with_input_locked, ("in.npy", "Permission denied"))
            except OSError as e:
                R.skip("runtime: input unreadable", "cannot run as nobody: %s" % e)
        else:
            with_input("unreadable", lambda p: (np.save(p, INPUT), os.chmod(p, 0)),
                       ("in.npy", "Permission denied"))

        # a good input again for the output failures
        remove_input()
        np.save(inp, INPUT)

        before = tl.listing(work)
        r = run_prog(exe, ["--out", "/nonexistent/cdask_out"], work)
        expect_failure("runtime: --out missing directory -> exit 4", r, 4, work,
                       ("/nonexistent/cdask_out",), before)
        R.check(not os.path.exists("/nonexistent/cdask_out"), "runtime: nothing created")

        plain = os.path.join(tmp, "plainfile")
        tl.write(plain, "not a directory\n")
        r = run_prog(exe, ["--out", os.path.join(plain, "sub")], work)
        expect_failure("runtime: --out under a regular file -> exit 4", r, 4, work, (), before)
        r = run_prog(exe, ["--out", plain], work)
        expect_failure("runtime: --out is a regular file -> exit 4", r, 4, work, (), before)
        R.check(open(plain).read() == "not a directory\n", "runtime: the regular file intact")

        # a read-only directory: root ignores modes, but not the immutable attribute
        ro = fresh_dir(tmp, "readonly")
        if os.geteuid() == 0:
            if set_immutable(ro, True):
                immutable.append(ro)
                r = run_prog(exe, ["--out", ro], work)
                expect_failure("runtime: --out read-only (immutable) directory -> exit 4",
                               r, 4, ro, ("readonly",))
                set_immutable(ro, False)
                immutable.remove(ro)
            else:
                os.chmod(tmp, 0o755)
                os.chmod(work, 0o755)
                os.chmod(ro, 0o555)
                try:
                    r = run_prog(exe, ["--out", ro], work, drop_privileges)
                    expect_failure("runtime: --out read-only directory (as nobody) -> exit 4",
                                   r, 4, ro, ("readonly",))
                except OSError as e:
                    R.skip("runtime: read-only --out", "cannot chattr nor be nobody: %s" % e)
        else:
            os.chmod(ro, 0o555)
            r = run_prog(exe, ["--out", ro], work)
            expect_failure("runtime: --out read-only directory -> exit 4", r, 4, ro,
                           ("readonly",))

        # failing late, while writing: the output's name is taken by a directory
        late = fresh_dir(tmp, "late")
        os.mkdir(os.path.join(late, "doubled.npy"))
        r = run_prog(exe, ["--out", late], work)
        expect_failure("runtime: output name is a directory -> exit 4", r, 4, late,
                       ("doubled.npy",), ["doubled.npy", "colsum.npy"])
        if os.path.exists(os.path.join(late, "colsum.npy")):
            R.check(tl.same_values(np.load(os.path.join(late, "colsum.npy")), INPUT.sum(0)),
                    "runtime: the other output is whole")

        # failing late: the file system refuses the data (RLIMIT_FSIZE, SIGXFSZ ignored
        # so that write() fails with EFBIG instead of killing the program)
        full = fresh_dir(tmp, "full")

        def small_files():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))

        r = run_prog(exe, ["--out", full], work, small_files)
        expect_failure("runtime: disk refuses the data (EFBIG) -> exit 4", r, 4, full,
                       ("doubled.npy",))

        # usage errors: exit 2, nothing written in the working directory
        for args in (["--threads", "0"], ["--threads", "-3"], ["--threads", "two"],
                     ["--threads="], ["--threads"], ["--out"], ["--bogus"], ["extra"]):
            before = tl.listing(work)
            r = run_prog(exe, args, work)
            expect_failure("runtime: %s -> exit 2" % " ".join(args), r, 2, work, (), before)
    finally:
        for d in immutable:
            set_immutable(d, False)
        for root, dirs, files in os.walk(tmp):
            for f in dirs + files:
                try:
                    os.chmod(os.path.join(root, f), 0o755)
                except OSError:
                    pass
        tl.rmtree(tmp)


OOM_PROGRAM = """local da = require("cdask.array")
local x = da.random.uniform(0, 1, {40000, 40000}, {seed = 1})
da.to_npy(x, "huge.npy")
"""


def out_of_memory():
    """A 12.8 GB output buffer under a 2 GiB address-space limit: exit 5, no file."""
    tmp = tl.tempdir("oom")
    try:
        exe, r = tl.build_program(OOM_PROGRAM, tmp)
        if not R.check(exe is not None, "runtime: compile the out-of-memory program",
                       tl.short(r.stderr)):
            return
        out = fresh_dir(tmp, "out")

        def limit():
            resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

        r = run_prog(exe, ["--threads", "2", "--out", out], tmp, limit)
        expect_failure("runtime: out of memory -> exit 5", r, 5, out, ("memory",))
    finally:
        tl.rmtree(tmp)


def main():
    if not os.path.exists(tl.CDASKC):
        print("no cdaskc at %s (set CDASK_BUILD)" % tl.CDASKC)
        print("0 passed, 1 failed")
        return 1
    compile_errors()
    binding_errors()
    graph_moves()
    runtime_errors()
    out_of_memory()
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
