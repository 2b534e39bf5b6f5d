"""Deep and large graphs (issue 10, bugs 4, 5 and 6).

- stack: a fused group with hundreds of random or transcendental terms keeps its strip
  buffers on the heap, not the program's stack (it segfaulted); the bits are those of the
  same sums computed in small groups (strip buffers on the stack) and, for sin, NumPy's.
- recursion: cdaskc compiles 10^4 and 10^5 deep expressions under a 1 MB stack (no pass
  recurses to the depth of the graph), and the programs' results equal NumPy's.
- scale: a graph of 2*10^5 nodes compiles within the subprocess timeout (common
  subexpressions by hash-consing, not by comparing every pair of nodes) and its result
  equals NumPy's.
Deep programs are built with --cflags -O0 (the same IEEE operations, -ffp-contract=off):
gcc -O3 on a loop of 10^5 statements would only slow the test down."""

import os
import resource
import sys
import tempfile

import numpy as np

from cdask_testlib import CDASKC, COMPILE_TIMEOUT, Results, run, short

HEAD = 'local da = require("cdask.array")\n'
SMALL_STACK = 1 << 20  # bytes: cdaskc must not need more, whatever the depth


def small_stack():
    resource.setrlimit(resource.RLIMIT_STACK, (SMALL_STACK, SMALL_STACK))


def build(r, d, name, script, flags=(), stack=None, emit_timeout=None):
    """Compiles script in d into program `name`; returns whether it worked. With `stack`
    or `emit_timeout`, cdaskc first emits the C under that stack limit or within that time
    (the C compiler, run next, has neither: its time is not what is tested)."""
    with open(os.path.join(d, name + ".lua"), "w") as f:
        f.write(HEAD + script)
    if stack or emit_timeout:
        p = run([CDASKC, name + ".lua", "--emit-c", name + ".c"] + list(flags), cwd=d,
                timeout=emit_timeout or COMPILE_TIMEOUT, preexec_fn=stack)
        what = "under a 1 MB stack" if stack else "within %d s" % emit_timeout
        if not r.check(p.returncode == 0, "%s: cdaskc emits the C %s (exit %s)" %
                       (name, what, p.returncode), short(p.stderr)):
            return False
    p = run([CDASKC, name + ".lua", "-o", name] + list(flags), cwd=d, timeout=COMPILE_TIMEOUT)
    return r.check(p.returncode == 0, "%s: compiles (exit %s)" % (name, p.returncode),
                   short(p.stderr))


def run_prog(r, d, name, threads="2", stack=None):
    q = run([os.path.join(d, name), "--threads", threads], cwd=d, preexec_fn=stack)
    return r.check(q.returncode == 0, "%s, %s threads: runs (exit %s)" %
                   (name, threads, q.returncode), short(q.stderr))


def stack_cases(r):
    """Bug 4: hundreds of strip buffers in one group, the program run under a 1 MB stack
    (threads included: glibc sizes their stacks by the limit); 400 strips of 4 KB were on
    the stack."""
    n = 400
    with tempfile.TemporaryDirectory() as d:
        a = np.linspace(-2.0, 2.0, 2000)
        np.save(os.path.join(d, "a.npy"), a)
        # one group: n random arrays summed; the same sum in groups of 10 (each partial
        # sum is an output, so it is stored and the next group starts from it)
        rnd = ('local s = da.zeros({2000})\n'
               'for i = 1, %d do\n'
               '  s = s + da.random.uniform(0, 1, {2000}, {seed = i})\n'
               '  if SPLIT and i %% 10 == 0 then da.to_npy(s, "p" .. i .. ".npy") end\n'
               'end\n'
               'da.to_npy(s, "s.npy")\n' % n)
        if not build(r, d, "fused", "local SPLIT = false\n" + rnd):
            return
        if not build(r, d, "split", "local SPLIT = true\n" + rnd):
            return
        for threads in ("1", "2"):
            if not run_prog(r, d, "fused", threads, small_stack):
                continue
            fused = np.load(os.path.join(d, "s.npy"))
            if not run_prog(r, d, "split", threads):
                continue
            split = np.load(os.path.join(d, "s.npy"))
            r.check(np.array_equal(fused, split),
                    "%d random arrays in one group, %s threads: the bits of the split sum" %
                    (n, threads))
            r.check(np.all(fused > 0.4 * n) and np.all(fused < 0.6 * n),
                    "%d uniform(0, 1) arrays: each sum near %d" % (n, n // 2))
        # one group of n transcendental terms, against NumPy
        sins = ('local a = da.from_npy("a.npy")\nlocal s = da.zeros({2000})\n'
                'for i = 1, %d do s = s + da.sin(a * i) end\n'
                'da.to_npy(s, "t.npy")\n' % n)
        if build(r, d, "sins", sins) and run_prog(r, d, "sins", "2", small_stack):
            want = np.zeros(2000)
            for i in range(1, n + 1):
                want = want + np.sin(a * i)
            got = np.load(os.path.join(d, "t.npy"))
            r.check(np.allclose(got, want, rtol=0, atol=1e-9),
                    "sum of %d sines in one group equals NumPy's" % n,
                    "max difference %g" % np.max(np.abs(got - want)))


def chain_script(n):
    return ('local a = da.from_npy("a.npy")\nlocal x = da.zeros({1000})\n'
            'for i = 1, %d do x = x + a * (i %% 7) end\n'
            'da.to_npy(x, "x.npy")\n' % n)


def chain_numpy(a, n):
    x = np.zeros(1000)
    m = [a * (i % 7) for i in range(7)]
    for i in range(1, n + 1):
        x = x + m[i % 7]
    return x


def recursion_cases(r):
    """Bug 5: deep expressions, cdaskc under a 1 MB stack."""
    with tempfile.TemporaryDirectory() as d:
        a = np.linspace(-1.0, 1.0, 1000)
        np.save(os.path.join(d, "a.npy"), a)
        for n in (10**4, 10**5):
            name = "chain%d" % n
            if build(r, d, name, chain_script(n), ["--cflags", "-O0"], stack=small_stack) and \
                    run_prog(r, d, name):
                got = np.load(os.path.join(d, "x.npy"))
                r.check(np.array_equal(got, chain_numpy(a, n)),
                        "x = x + a * (i %% 7), %d times: NumPy's bits" % n)
            name = "sin%d" % n
            script = ('local x = da.from_npy("a.npy")\n'
                      'for i = 1, %d do x = da.sin(x) end\n'
                      'da.to_npy(x, "y.npy")\n' % n)
            if n > 10**4:  # 10^5 strip stages are slow to build: the C is checked instead
                with open(os.path.join(d, name + ".lua"), "w") as f:
                    f.write(HEAD + script)
                p = run([CDASKC, name + ".lua", "--emit-c", name + ".c"], cwd=d,
                        timeout=COMPILE_TIMEOUT, preexec_fn=small_stack)
                calls = 0
                if p.returncode == 0:
                    with open(os.path.join(d, name + ".c")) as f:
                        calls = f.read().count("cdrt_vsin_f64(b")
                r.check(p.returncode == 0 and calls == n,
                        "%s: cdaskc emits %d sin calls under a 1 MB stack (exit %s, %d calls)"
                        % (name, n, p.returncode, calls), short(p.stderr))
            elif build(r, d, name, script, ["--cflags", "-O0"], stack=small_stack) and \
                    run_prog(r, d, name):
                want = a.copy()
                for _ in range(n):
                    want = np.sin(want)
                got = np.load(os.path.join(d, "y.npy"))
                r.check(np.allclose(got, want, rtol=1e-9, atol=0),
                        "%d nested sin equal NumPy's" % n,
                        "max difference %g" % np.max(np.abs(got - want)))
        # deep views and concatenations go through the other passes
        n = 10**4
        script = ('local x = da.from_npy("a.npy")\n'
                  'for i = 1, %d do x = (x["::-1"] + 1) * 0.5 end\n'
                  'local c = x\n'
                  'for i = 1, 200 do c = da.concatenate({c["1:"], c[":1"] * 2}) end\n'
                  'da.to_npy(c, "c.npy")\n' % n)
        if build(r, d, "views", script, ["--cflags", "-O0"], stack=small_stack) and \
                run_prog(r, d, "views"):
            x = a.copy()
            for _ in range(n):
                x = (x[::-1] + 1) * 0.5
            for _ in range(200):
                x = np.concatenate([x[1:], x[:1] * 2])
            got = np.load(os.path.join(d, "c.npy"))
            r.check(np.array_equal(got, x), "10^4 reversed views, 200 rotations: NumPy's bits")


def scale_cases(r):
    """Bug 6: 2*10^5 nodes compile in linear time (the timeout is the test)."""
    with tempfile.TemporaryDirectory() as d:
        a = np.linspace(0.0, 3.0, 1000)
        np.save(os.path.join(d, "a.npy"), a)
        n = 2 * 10**5 // 3  # three nodes per step: a constant, a product, a sum
        if build(r, d, "big", chain_script(n), ["--cflags", "-O0"], emit_timeout=120) and \
                run_prog(r, d, "big"):
            got = np.load(os.path.join(d, "x.npy"))
            r.check(np.array_equal(got, chain_numpy(a, n)),
                    "%d nodes: NumPy's bits" % (3 * n))


def main():
    r = Results()
    which = sys.argv[1:] or ["stack", "recursion", "scale"]
    if "stack" in which:
        stack_cases(r)
    if "recursion" in which:
        recursion_cases(r)
    if "scale" in which:
        scale_cases(r)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
