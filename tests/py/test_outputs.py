#!/usr/bin/python3
"""Output files and child processes (runtime/outfile.c, compiler/outputs.c, compiler/cc.c).

- Special files: a character device (made with mknod in the temporary directory, else a
  symlink to /dev/null) or a FIFO with a reader is written in place, by cdaskc (-o,
  --emit-c, --dump-graph, --dump-fused) and by the programs (to_npy, --fft-wisdom-out); it
  is never replaced by a regular file. A FIFO without a reader is an error, not a hang.
  `cdaskc -o /dev/null` works (tried only once the same is safe on a device of our own).
- Symlinks are followed: the regular file they name is replaced, the link stays.
- No shell: names with quotes and `;` are names; --cflags is split into words.
- The compiler's kind: GCC (asked with `cc -dM -E`, through a wrapper script that logs each
  command it is given) builds the program with -fwhole-program, and the file's "Build:"
  line and the manifest's cflags say so; clang, and a compiler that cannot answer the
  question, get no such flag (clang would warn about it) and still build a right program.
  Only a program with random arrays carries runtime/random.c: its file defines
  CDRT_WITH_RANDOM and its binary has the random kernels (`nm`); the others have neither.
- `--out ''` and `-o ''` are usage errors (exit 2); an error late in the compile writes
  nothing (no --dump-graph).
- Names near the limit fail before any work: cdaskc -o, and a program whose output is a
  symlink to a long name (exit 4 before reading its input).
- Signals: SIGINT, SIGTERM and SIGHUP stop a program and leave no temporary file; the
  leftovers of a SIGKILL (".NAME.tmp.PID" of a dead PID) go at the next run; the same for
  cdaskc killed while the C compiler runs.
Every path touched is inside a temporary directory. Values are checked against NumPy."""

import io
import os
import select
import signal
import stat
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()

SMALL = """local da = require("cdask.array")
local x = da.arange(12):reshape({3, 4}) * 0.5
da.to_npy(x:sum(0), "r.npy")
"""
SMALL_R = (np.arange(12).reshape(3, 4) * 0.5).sum(0)

# runs for minutes: every signal test stops it long before
LONG = """local da = require("cdask.array")
local x = da.random.uniform(0, 1, {400000, 100000}, {chunks = {1000, 100000}, seed = 1})
da.to_npy(x:sum(1), "r.npy")
"""

FFT = """local da = require("cdask.array")
local x = da.arange(16):astype("float64")
da.to_npy(da.real(da.fft.ifft(da.fft.fft(x) * 2)), "f.npy")
"""


def make_device(path):
    """A character device like /dev/null at path (mknod), else a symlink to /dev/null."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        with open(path, "wb") as f:
            f.write(b"probe")
        return "device"
    except OSError:
        if os.path.lexists(path):
            os.unlink(path)
        os.symlink("/dev/null", path)
        return "symlink to /dev/null"


def is_device(path):
    return os.path.exists(path) and stat.S_ISCHR(os.stat(path).st_mode)


def leftovers(d):
    return [f for f in tl.listing(d) if ".tmp" in f]


def compile_ok(name, args, cwd, script_name="p.lua"):
    r = tl.cdaskc([script_name] + args, cwd)
    return R.check(r.returncode == 0, name, "rc=%r %s" % (r.returncode, tl.short(r.stderr))), r


def read_fifo_while(fifo, cmd, cwd):
    """Runs cmd while reading fifo (opened first, non-blocking): (returncode, bytes)."""
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    data = b""
    try:
        p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.time() + tl.COMPILE_TIMEOUT
        while p.poll() is None and time.time() < deadline:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    data += os.read(fd, 1 << 16)
                except BlockingIOError:
                    pass
        if p.poll() is None:
            p.kill()
        p.wait()
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except BlockingIOError:
                break
            if not chunk:
                break
            data += chunk
        return p.returncode, data, p.stderr.read().decode()
    finally:
        os.close(fd)


def special_files(tmp):
    d = os.path.join(tmp, "special")
    os.mkdir(d)
    tl.write(os.path.join(d, "p.lua"), SMALL)
    kind = make_device(os.path.join(d, "dev"))
    make_device(os.path.join(d, "dev.json"))
    make_device(os.path.join(d, "dev.dot"))
    safe = True
    ok, r = compile_ok("cdaskc --emit-c DEVICE (%s)" % kind, ["--emit-c", "dev"], d)
    safe &= R.check(is_device(os.path.join(d, "dev")), "--emit-c: the device stays a device")
    ok, r = compile_ok("cdaskc --dump-graph/--dump-fused DEVICE",
                       ["--emit-c", "p.c", "--dump-graph", "dev.json", "--dump-fused", "dev.dot"],
                       d)
    safe &= R.check(is_device(os.path.join(d, "dev.json")) and
                    is_device(os.path.join(d, "dev.dot")), "--dump-*: the devices stay devices")
    ok, r = compile_ok("cdaskc -o DEVICE builds", ["-o", "dev"], d)
    safe &= R.check(is_device(os.path.join(d, "dev")), "-o: the device stays a device")
    R.check(not os.path.exists(os.path.join(d, "dev.c")) and not leftovers(d),
            "-o DEVICE: no DEVICE.c and no temporary file", str(tl.listing(d)))
    # the idiom itself, once the same was shown not to replace a device
    if R.check(safe, "cdaskc leaves devices alone (else /dev/null is not tried)"):
        for args in (["-o", "/dev/null"], ["--emit-c", "/dev/null"]):
            r = tl.cdaskc(["p.lua"] + args, d)
            R.check(r.returncode == 0 and is_device("/dev/null"),
                    "cdaskc %s: exit 0, /dev/null still a character device" % " ".join(args),
                    tl.short(r.stderr))
    R.check(not leftovers(d), "no temporary file after the device cases", str(tl.listing(d)))

    # FIFOs: in place when someone reads, an error (not a hang) when nobody does
    fifo = os.path.join(d, "fifo.c")
    os.mkfifo(fifo)
    rc, data, err = read_fifo_while(fifo, [tl.CDASKC, "p.lua", "--emit-c", "fifo.c"], d)
    R.check(rc == 0 and data.startswith(b"/*") and b"cdrt_main" in data,
            "--emit-c FIFO with a reader: the C goes through the FIFO",
            "rc=%r %d bytes %s" % (rc, len(data), tl.short(err)))
    R.check(stat.S_ISFIFO(os.stat(fifo).st_mode), "--emit-c FIFO: still a FIFO")
    r = tl.cdaskc(["p.lua", "--emit-c", "fifo.c"], d, timeout=60)
    R.check(r.returncode == 1 and "no process reads it" in r.stderr and
            stat.S_ISFIFO(os.stat(fifo).st_mode),
            "--emit-c FIFO without a reader: exit 1, says so, FIFO kept",
            "rc=%r %s" % (r.returncode, tl.short(r.stderr)))

    # the program: to_npy into a FIFO and a device, --fft-wisdom-out into a device
    ok, r = compile_ok("compile the small program", ["-o", "small"], d)
    out = os.path.join(d, "out")
    os.mkdir(out)
    os.mkfifo(os.path.join(out, "r.npy"))
    rc, data, err = read_fifo_while(os.path.join(out, "r.npy"), ["./small", "--out", "out"], d)
    got = None
    try:
        got = np.load(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 -- reported below
        err += " np.load: %s" % e
    R.check(rc == 0 and got is not None and tl.same_values(got, SMALL_R) and
            stat.S_ISFIFO(os.stat(os.path.join(out, "r.npy")).st_mode),
            "to_npy into a FIFO with a reader: NumPy reads the right values, FIFO kept",
            "rc=%r %s" % (rc, tl.short(err)))
    os.unlink(os.path.join(out, "r.npy"))
    make_device(os.path.join(out, "r.npy"))
    r = tl.run(["./small", "--out", "out"], cwd=d)
    R.check(r.returncode == 0 and is_device(os.path.join(out, "r.npy")) and not leftovers(out),
            "to_npy into a device: exit 0, still a device", tl.short(r.stderr))
    tl.write(os.path.join(d, "fft.lua"), FFT)
    r = tl.cdaskc(["fft.lua", "-o", "fft"], d)
    if R.check(r.returncode == 0, "compile the FFT program", tl.short(r.stderr)):
        os.mkdir(os.path.join(d, "fout"))
        r = tl.run(["./fft", "--out", "fout", "--fft-wisdom-out", "dev"], cwd=d)
        R.check(r.returncode == 0 and is_device(os.path.join(d, "dev")),
                "--fft-wisdom-out DEVICE: exit 0, still a device", tl.short(r.stderr))
        want = np.real(np.fft.ifft(np.fft.fft(np.arange(16.0)) * 2))
        R.check(np.allclose(np.load(os.path.join(d, "fout", "f.npy")), want, rtol=1e-12,
                            atol=1e-12), "the FFT program's result matches NumPy")


def symlinks(tmp):
    d = os.path.join(tmp, "links")
    os.mkdir(d)
    real = os.path.join(d, "real")
    out = os.path.join(d, "out")
    os.mkdir(real)
    os.mkdir(out)
    tl.write(os.path.join(d, "p.lua"), SMALL)
    ok, r = compile_ok("compile the small program", ["-o", "small"], d)
    tl.write(os.path.join(real, "old.npy"), "old")
    os.symlink("../real/old.npy", os.path.join(out, "r.npy"))
    r = tl.run(["./small", "--out", "out"], cwd=d)
    link = os.path.join(out, "r.npy")
    R.check(r.returncode == 0 and os.path.islink(link) and
            tl.same_values(np.load(os.path.join(real, "old.npy")), SMALL_R),
            "to_npy through a symlink: the link stays, its regular target has the result",
            tl.short(r.stderr))
    os.unlink(link)
    os.symlink("../real/new.npy", link)  # dangling: the target is made
    r = tl.run(["./small", "--out", "out"], cwd=d)
    R.check(r.returncode == 0 and os.path.islink(link) and
            tl.same_values(np.load(os.path.join(real, "new.npy")), SMALL_R),
            "to_npy through a dangling symlink: the target is created", tl.short(r.stderr))
    os.symlink("real/p.c", os.path.join(d, "link.c"))
    ok, r = compile_ok("cdaskc --emit-c through a symlink", ["--emit-c", "link.c"], d)
    R.check(os.path.islink(os.path.join(d, "link.c")) and
            open(os.path.join(real, "p.c")).read().startswith("/*"),
            "--emit-c symlink: the link stays, the target holds the C")
    R.check(not leftovers(d), "symlinks: no temporary file", str(tl.listing(d)))


def no_shell(tmp):
    d = os.path.join(tmp, "shell")
    os.mkdir(d)
    name = "x';touch INJ;'"
    tl.write(os.path.join(d, name + ".lua"), SMALL)
    ok, r = compile_ok("cdaskc on a script named with quotes and ';'", [], d, name + ".lua")
    R.check(ok and os.access(os.path.join(d, name), os.X_OK), "the program is built under that name")
    out = "x'; touch INJ; echo '"
    ok, r = compile_ok("cdaskc -o with quotes and ';'", ["-o", out], d, name + ".lua")
    R.check(ok and os.access(os.path.join(d, out), os.X_OK), "the -o program is built")
    R.check(not os.path.exists(os.path.join(d, "INJ")), "no command ran from a name (no INJ)")
    ok, r = compile_ok("--cflags with two flags and a quoted word",
                       ["-o", "cf", "--cflags", "-O1 -DCDASK_TEST_WORD='a b'"], d, name + ".lua")
    if ok:
        os.mkdir(os.path.join(d, "o"))
        r = tl.run(["./cf", "--out", "o"], cwd=d)
        R.check(r.returncode == 0 and tl.same_values(np.load(os.path.join(d, "o", "r.npy")),
                                                     SMALL_R), "that program runs right")
    r = tl.cdaskc([name + ".lua", "-o", "cq", "--cflags", "-O1 '-DX"], d)
    R.check(r.returncode == 2 and "unterminated quote" in r.stderr and
            not os.path.exists(os.path.join(d, "cq")) and not os.path.exists(os.path.join(d, "cq.c")),
            "--cflags with an unterminated quote: exit 2 (usage), nothing written", tl.short(r.stderr))


def compiler_kinds(tmp):
    d = os.path.join(tmp, "kinds")
    os.mkdir(d)
    tl.write(os.path.join(d, "p.lua"), SMALL)
    log = os.path.join(d, "cc.log")
    # a GCC behind a wrapper; and a "compiler" that fails when asked for its macros
    for name, body in (("gcc-wrap", 'printf "%%s\\n" "$*" >> %s\nexec gcc "$@"\n' % log),
                       ("mute-cc", 'case " $* " in *" -dM "*) exit 1;; esac\nexec gcc "$@"\n')):
        tl.write(os.path.join(d, name), "#!/bin/sh\n" + body)
        os.chmod(os.path.join(d, name), 0o755)
    for cc, whole in (("gcc", True), (os.path.join(d, "gcc-wrap"), True), ("clang", False),
                      (os.path.join(d, "mute-cc"), False)):
        label = os.path.basename(cc)
        env = dict(os.environ, CC=cc)
        r = tl.cdaskc(["p.lua", "--emit-c", label + ".c"], d, env=env)
        head = open(os.path.join(d, label + ".c")).read(400) if r.returncode == 0 else ""
        build = [l for l in head.splitlines() if "Build:" in l]
        R.check(len(build) == 1 and ("-fwhole-program" in build[0]) == whole,
                "CC=%s: the file's Build line %s -fwhole-program" % (label, "has" if whole else
                                                                   "lacks"), str(build))
        r = tl.cdaskc(["p.lua", "-o", label], d, env=env)
        R.check(r.returncode == 0 and "whole-program" not in r.stderr,
                "CC=%s: built, no warning" % label, tl.short(r.stderr))
        if r.returncode != 0:
            continue
        m = tl.run([os.path.join(d, label), "--manifest"], cwd=d)
        R.check(m.returncode == 0 and ("-fwhole-program" in m.stdout) == whole,
                "CC=%s: the manifest's cflags %s it" % (label, "have" if whole else "lack"),
                m.stdout[:300])
        o = os.path.join(d, "o_" + label)
        os.mkdir(o)
        r = tl.run([os.path.join(d, label), "--out", o], cwd=d)
        R.check(r.returncode == 0 and tl.same_values(np.load(os.path.join(o, "r.npy")), SMALL_R),
                "CC=%s: the program's values are NumPy's" % label, tl.short(r.stderr))
    lines = open(log).read().splitlines() if os.path.exists(log) else []
    asked = [l for l in lines if "-dM -E" in l]
    built = [l for l in lines if l.endswith(" gcc-wrap.c -lsleef -lm")]
    R.check(len(asked) == 2 and len(built) == 1 and "-fwhole-program" in built[0],
            "the wrapper was asked for its macros (twice) and given -fwhole-program to build",
            str(lines))


RANDOM = """local da = require("cdask.array")
local x = da.random.uniform(0, 1, {1000}, {chunks = 100, seed = 7})
da.to_npy(x:sum(), "r.npy")
"""


def random_only_when_used(tmp):
    d = os.path.join(tmp, "random")
    os.mkdir(d)
    for name, text, want in (("plain", SMALL, False), ("rand", RANDOM, True)):
        tl.write(os.path.join(d, name + ".lua"), text)
        r = tl.cdaskc([name + ".lua", "--emit-c", name + ".c"], d)
        c = open(os.path.join(d, name + ".c")).read() if r.returncode == 0 else ""
        R.check(("#define CDRT_WITH_RANDOM 1" in c) == want,
                "%s: CDRT_WITH_RANDOM %s" % (name, "defined" if want else "not defined"),
                tl.short(r.stderr))
        r = tl.cdaskc([name + ".lua", "-o", name], d)
        nm = tl.run(["nm", os.path.join(d, name)], cwd=d) if r.returncode == 0 else None
        has = nm is not None and " rnd_pairs_sse2\n" in nm.stdout
        R.check(nm is not None and nm.returncode == 0 and has == want,
                "%s: the program %s the random kernels (rnd_pairs_sse2)" %
                (name, "has" if want else "lacks"),
                tl.short(r.stderr))
        if not want or r.returncode != 0:
            continue
        o = os.path.join(d, "o")
        os.mkdir(o)
        r = tl.run([os.path.join(d, name), "--out", o], cwd=d)
        v = float(np.load(os.path.join(o, "r.npy"))) if r.returncode == 0 else None
        R.check(v is not None and 400 < v < 600, "rand: 1000 uniforms sum to about 500", str(v))


def empty_names_and_late_errors(tmp):
    d = os.path.join(tmp, "empty")
    os.mkdir(d)
    tl.write(os.path.join(d, "p.lua"), SMALL)
    before = tl.listing(d)
    r = tl.cdaskc(["p.lua", "-o", ""], d)
    R.check(r.returncode == 2 and tl.listing(d) == before, "-o '': exit 2, nothing written",
            "rc=%r files=%s %s" % (r.returncode, tl.listing(d), tl.short(r.stderr)))
    # a program whose output directory does not exist under / (so that a wrong build that
    # writes into / fails instead of writing there)
    sub = "cdask_no_such_dir_%d_%d" % (os.getpid(), int(time.time()))
    tl.write(os.path.join(d, "q.lua"), SMALL.replace('"r.npy"', '"%s/r.npy"' % sub))
    r = tl.cdaskc(["q.lua", "-o", "q"], d)
    if R.check(r.returncode == 0, "compile a program writing SUB/r.npy", tl.short(r.stderr)):
        before = tl.listing(d)
        for args in (["--out", ""], ["--out="]):
            r = tl.run(["./q"] + args, cwd=d)
            R.check(r.returncode == 2 and tl.listing(d) == before and
                    not os.path.exists("/" + sub),
                    "program %s: exit 2, nothing written" % " ".join(args),
                    "rc=%r %s" % (r.returncode, tl.short(r.stderr)))
    # the memory check fails after --dump-graph's pass: no dump, no C, no program
    tl.write(os.path.join(d, "big.lua"), """local da = require("cdask.array")
local x = da.ones({3000, 3000}) * 2
da.to_npy(x, "x.npy")
""")
    before = tl.listing(d)
    r = tl.cdaskc(["big.lua", "-o", "big", "--memory-limit", "1M", "--dump-graph", "g.json",
                   "--dump-fused", "f.dot"], d)
    R.check(r.returncode == 1 and "big.lua:2: error:" in r.stderr and tl.listing(d) == before,
            "a compile error after the dump's pass: exit 1, nothing written (no g.json)",
            "rc=%r new=%s %s" % (r.returncode, sorted(set(tl.listing(d)) - set(before)),
                                 tl.short(r.stderr)))


def long_names(tmp):
    d = os.path.join(tmp, "long")
    os.mkdir(d)
    tl.write(os.path.join(d, "p.lua"), SMALL)
    # cdaskc: OUT.c and its temporary name are over NAME_MAX: fails before any work
    before = tl.listing(d)
    r = tl.cdaskc(["p.lua", "-o", "n" * 250], d)
    R.check(r.returncode == 1 and "at most 239" in r.stderr and tl.listing(d) == before,
            "cdaskc -o NAME of 250 bytes: exit 1 before any work, nothing written",
            "rc=%r %s" % (r.returncode, tl.short(r.stderr)))
    # compile time: the to_npy name (with its temporary name) over the limit, at the line
    name = "n" * 236 + ".npy"
    tl.write(os.path.join(d, "t.lua"), 'local da = require("cdask.array")\n\n'
             'da.to_npy(da.ones(3), "%s")\n' % name)
    r = tl.cdaskc(["t.lua", "--emit-c", "t.c"], d)
    want = ("t.lua:3: error: to_npy: '%s' has a file name of 240 bytes: at most 239 (the file "
            "system's 255, less 16 for the temporary name)" % name)
    R.check(r.returncode == 1 and tl.first_line(r.stderr) == want and
            not os.path.exists(os.path.join(d, "t.c")),
            "to_npy name of 240 bytes: compile error at the line", tl.short(r.stderr))
    tl.write(os.path.join(d, "t.lua"), 'local da = require("cdask.array")\n'
             'da.to_npy(da.ones(3), "%s")\n' % ("n" * 235 + ".npy"))
    r = tl.cdaskc(["t.lua", "--emit-c", "t.c"], d)
    R.check(r.returncode == 0, "to_npy name of 239 bytes compiles", tl.short(r.stderr))
    # run time: the output is a symlink to a name over the limit: exit 4 naming the file,
    # before any work (before the missing input is even opened: that would be exit 3)
    tl.write(os.path.join(d, "in.lua"), """local da = require("cdask.array")
local x = da.from_npy("in.npy")
da.to_npy(x * 2, "r.npy")
""")
    np.save(os.path.join(d, "in.npy"), np.arange(4.0))
    r = tl.cdaskc(["in.lua", "-o", "inprog"], d)
    if R.check(r.returncode == 0, "compile the program with an input", tl.short(r.stderr)):
        os.unlink(os.path.join(d, "in.npy"))
        out = os.path.join(d, "out")
        os.mkdir(out)
        os.symlink("m" * 250 + ".npy", os.path.join(out, "r.npy"))
        before = tl.listing(out)
        r = tl.run(["./inprog", "--out", "out"], cwd=d)
        R.check(r.returncode == 4 and "r.npy" in r.stderr and "at most 239" in r.stderr and
                tl.listing(out) == before,
                "program: output named 254 bytes through a symlink: exit 4 at start",
                "rc=%r %s" % (r.returncode, tl.short(r.stderr)))


def wait_for(pred, timeout):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


def stop(p):
    if p.poll() is None:
        p.kill()
    p.wait()


def temps_of(out, pid):
    return [f for f in os.listdir(out) if f == ".r.npy.tmp.%d" % pid]


def dead_pid():
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def program_signals(tmp):
    d = os.path.join(tmp, "sig")
    os.mkdir(d)
    tl.write(os.path.join(d, "long.lua"), LONG)
    tl.write(os.path.join(d, "p.lua"), SMALL)
    r = tl.cdaskc(["long.lua", "-o", "long"], d)
    r2 = tl.cdaskc(["p.lua", "-o", "small"], d)
    if not R.check(r.returncode == 0 and r2.returncode == 0, "compile the signal programs",
                   tl.short(r.stderr + r2.stderr)):
        return
    out = os.path.join(d, "out")
    os.mkdir(out)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        p = subprocess.Popen(["./long", "--threads", "1", "--out", "out"], cwd=d,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            seen = wait_for(lambda: temps_of(out, p.pid), 20)
            R.check(seen, "%s: the output's temporary file exists during the run" % sig.name)
            if seen:
                p.send_signal(sig)
                p.wait(timeout=60)
                R.check(p.returncode == -sig and os.listdir(out) == [],
                        "%s: the program dies by the signal, no temporary file left" % sig.name,
                        "rc=%r left=%s" % (p.returncode, os.listdir(out)))
        finally:
            stop(p)
    # SIGKILL cannot be caught: the next run removes the leftover
    p = subprocess.Popen(["./long", "--threads", "1", "--out", "out"], cwd=d)
    try:
        if wait_for(lambda: temps_of(out, p.pid), 20):
            p.kill()
            p.wait()
            left = os.listdir(out)
            q = subprocess.Popen(["./long", "--threads", "1", "--out", "out"], cwd=d)
            try:
                ok = wait_for(lambda: temps_of(out, q.pid), 20)
                R.check(ok and left and os.listdir(out) == temps_of(out, q.pid),
                        "SIGKILL: the next run removes the leftover",
                        "after kill %s, next run %s" % (left, os.listdir(out)))
                q.send_signal(signal.SIGTERM)
                q.wait(timeout=60)
            finally:
                stop(q)
        else:
            R.check(False, "SIGKILL: the output's temporary file exists during the run")
    finally:
        stop(p)
    # recognised by name: a dead PID's leftover goes, a live one's and other names stay
    for f in os.listdir(out):
        os.unlink(os.path.join(out, f))
    dead, live = dead_pid(), os.getpid()
    planted = [".r.npy.tmp.%d" % dead, ".r.npy.tmp.%d" % live, ".r.npy.tmp.12ab",
               ".other.npy.tmp.%d" % dead]
    for f in planted:
        tl.write(os.path.join(out, f), "x")
    r = tl.run(["./small", "--out", "out"], cwd=d)
    R.check(r.returncode == 0 and sorted(os.listdir(out)) == sorted(["r.npy"] + planted[1:]) and
            tl.same_values(np.load(os.path.join(out, "r.npy")), SMALL_R),
            "a dead run's .r.npy.tmp.PID is removed, nothing else",
            "rc=%r %s %s" % (r.returncode, sorted(os.listdir(out)), tl.short(r.stderr)))


def processes_in(d):
    """The processes whose working directory is d (the C compiler cdaskc started)."""
    found = []
    for pid in os.listdir("/proc"):
        try:
            if pid.isdigit() and os.readlink("/proc/%s/cwd" % pid) == d:
                found.append(int(pid))
        except OSError:
            pass
    return found


def cdaskc_signals(tmp):
    d = os.path.join(tmp, "ccsig")
    os.mkdir(d)
    tl.write(os.path.join(d, "p.lua"), SMALL)
    p = subprocess.Popen([tl.CDASKC, "p.lua", "-o", "prog"], cwd=d, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        # prog.c is written just before the C compiler starts
        if R.check(wait_for(lambda: os.path.exists(os.path.join(d, "prog.c")), 120),
                   "cdaskc: prog.c appears"):
            time.sleep(0.3)
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=60)
            # a C compiler left running would write its output: wait until none runs here
            R.check(wait_for(lambda: not processes_in(d), 180),
                    "no process left running in the directory", str(processes_in(d)))
            R.check(p.returncode == -signal.SIGTERM and
                    sorted(os.listdir(d)) == ["p.lua", "prog.c"],
                    "SIGTERM during the C compile: cdaskc dies by it, no program, no temporary",
                    "rc=%r %s" % (p.returncode, sorted(os.listdir(d))))
    finally:
        stop(p)
    # leftovers of a cdaskc killed with SIGKILL go at the next compile of the same output
    dead, live = dead_pid(), os.getpid()
    planted = [".prog.tmp.%d" % dead, ".prog.c.tmp.%d" % dead, ".prog.tmp.%d" % live]
    for f in planted:
        tl.write(os.path.join(d, f), "x")
    r = tl.cdaskc(["p.lua", "-o", "prog"], d)
    R.check(r.returncode == 0 and sorted(os.listdir(d)) == sorted(
        ["p.lua", "prog", "prog.c", planted[2]]),
        "cdaskc removes a dead run's .prog.tmp.PID and .prog.c.tmp.PID",
        "rc=%r %s" % (r.returncode, sorted(os.listdir(d))))


def main():
    tmp = tl.tempdir("outputs")
    try:
        for case in (special_files, symlinks, no_shell, compiler_kinds, random_only_when_used,
                     empty_names_and_late_errors, long_names, program_signals, cdaskc_signals):
            case(tmp)
    finally:
        tl.rmtree(tmp)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
