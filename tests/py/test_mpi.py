#!/usr/bin/python3
"""cdaskc --mpi: every output of an MPI program, run with mpirun -np 1, 2, 3 and 4
(OMP_NUM_THREADS=1), is bit for bit the single-node program's (the oracle: the same
pipeline built without --mpi), its printed lines appear once, and the tiles the ranks ran
(--stats, one "rank R:" line each) add up to those of -np 1 (tests/py/mpi_corpus.py). Here:
one script with FFT round trips, map_overlap with a C kernel, an .npy input, delayed tasks
and an impure printing kernel; the pipelines of tests/pipelines and the examples are
test_mpi_corpus_a.py's, _b.py's and _c.py's.
Failures, each run REPEAT times on 3 ranks: one rank's copy of the input truncated (each
rank in its own working directory) and one rank killed with SIGKILL while the ranks compute
(rank 0, 1, 2 in turn) stop every rank with a non-zero exit, and no output and no temporary
file is left: with several ranks, rank 0 makes its temporary files only after the run
(runtime/program.c, prog_let_go). Yet an output that cannot be made stops every rank
before any work (exit 4), the default memory limit is shared by the ranks on the machine,
and after a run on 2 ranks every file (outputs, --fft-wisdom-out, the diagnostics' files) is
there, whole. The .npy outputs are written by every rank, its rows each, when the ranks
share the directory, else by rank 0 alone; both give the single-node files, and a full disk
stops with exit 4 and leaves nothing of the file. cdaskc: no mpicc is an error naming it;
--explain shows no writes in place under --mpi.

Usage: test_mpi.py [own]   (only the script's case, no failure tests)

Both builds get --cflags -O0 (the same flags for both: the C compiler's time dominates this
test); MPI or mpicc missing is a failure, not a skip."""

import json
import os
import re
import signal
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import mpi_corpus as mc  # noqa: E402
import pipeline_harness as ph  # noqa: E402

R = tl.Results()
CFLAGS = mc.CFLAGS
MPIRUN = mc.MPIRUN
REPEAT = 5  # each failure case: it once left files behind now and then

KERNELS = r"""
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

double add(double a, double b) { return a + b; }

double total(const double *xs, int64_t n) {
  double s = 0;
  for (int64_t i = 0; i < n; i++) s += xs[i];
  return s;
}

void show(double x) { printf("show %.17g\n", x); }

/* a 2-d stencil of radius 1, zero outside the block */
void stencil(const double *x, double *out, const cdask_block *b) {
  int64_t n0 = b[1].shape[0], n1 = b[1].shape[1], m0 = b[0].shape[0], m1 = b[0].shape[1];
  int64_t o0 = (n0 - m0) / 2, o1 = (n1 - m1) / 2;
  for (int64_t i = 0; i < m0; i++)
    for (int64_t j = 0; j < m1; j++) {
      double acc = 0;
      for (int64_t a = -1; a <= 1; a++)
        for (int64_t c = -1; c <= 1; c++) {
          int64_t p = i + o0 + a, q = j + o1 + c;
          if (p < 0 || p >= n0 || q < 0 || q >= n1) continue;
          acc += (double)(2 + a + 3 * c) * x[p * n1 + q];
        }
      out[i * m1 + j] = acc;
    }
}

/* The kill test's sign that this rank computes: its first call leaves computing.RANK,
 * holding the rank's pid, in the working directory. Declared pure (docs/user-code.md) so
 * that slow stays pure and its tiles are shared by the ranks (an effect runs on rank 0). */
__attribute__((pure)) static int computing(void) {
  const char *rank = getenv("OMPI_COMM_WORLD_RANK");
  char name[64];
  snprintf(name, sizeof name, "computing.%s", rank ? rank : "none");
  FILE *f = fopen(name, "wx"); /* made once */
  if (f) fprintf(f, "%ld\n", (long)getpid()), fclose(f);
  return 0;
}

/* a long pure computation (the kill test) */
void slow(const double *x, double *out, const cdask_block *b) {
  int64_t n = b[0].shape[0] * b[0].shape[1];
  int z = computing();
  for (int64_t i = 0; i < n; i++) {
    double v = x[i] + z;
    for (int k = 0; k < 200000000; k++) v = v * 0.999999 + 1e-9;
    out[i] = v;
  }
}
"""

OWN = """local da = require("cdask.array")
local cd = require("cdask")
local k = cd.cfile("k.c")
-- FFT round trips (c2c; r2c and c2r along axis 0 through scratch arrays) and a 2-d FFT
local x = da.random.uniform(-1, 1, {12, 10}, {chunks = {5, 4}, seed = 7})
da.to_npy(da.fft.ifft(da.fft.fft(x)), "fft_rt.npy")
da.to_npy(da.fft.irfft(da.fft.rfft(x, nil, 0), 12, 0), "rfft_rt.npy")
da.to_npy(da.fft.fft2(x), "fft2.npy")
-- map_overlap with a C kernel
da.to_npy(da.map_overlap(k.stencil, x, {depth = 1, boundary = "periodic"}), "stencil.npy")
-- an .npy input: a scan and an argmin
local f = da.from_npy("in.npy", {chunks = {3, 4}})
da.to_npy((f * 2 + 1):cumsum(1), "in_cumsum.npy")
da.to_npy(f:argmin(0), "in_argmin.npy")
-- delayed tasks and an impure printing kernel
local add = cd.delayed(k.add)
local vals = {}
for i = 1, 6 do vals[i] = add(i, 0.5) end
da.to_npy(cd.delayed(k.total)(vals), "total.npy")
local show = cd.delayed(k.show)
for i = 1, 4 do show(vals[i]) end
da.print(x:sum(), "xsum")
"""

SLOW = """local da = require("cdask.array")
local cd = require("cdask")
local k = cd.cfile("k.c")
local x = da.random.uniform(0, 1, {24, 4}, {chunks = {2, 4}, seed = 3})
da.to_npy(da.map_blocks(k.slow, x), "slow.npy")
"""


def own_case():
    d = tl.tempdir("mpi_own")
    try:
        tl.write(os.path.join(d, "k.c"), KERNELS)
        tl.write(os.path.join(d, "own.lua"), OWN)
        np.save(os.path.join(d, "in.npy"), np.arange(42.0).reshape(6, 7) % 5)
        why = mc.build_pair(d, "own.lua")
        return "own (fft, map_overlap, npy input, delayed, impure print)", (
            [why] if why else mc.compare_ranks(d))
    finally:
        tl.rmtree(d)


def truncated_input(victim):
    """Rank `victim` of 3 finds its copy of in.npy cut short (each rank runs in its own
    working directory, as on nodes with their own disks): every rank stops, non-zero, with
    that rank's message, and nothing is written."""
    label = "truncated input on rank %d" % victim
    d = tl.tempdir("mpi_trunc")
    try:
        tl.write(os.path.join(d, "k.c"), KERNELS)
        tl.write(os.path.join(d, "own.lua"), OWN)
        np.save(os.path.join(d, "in.npy"), np.arange(42.0).reshape(6, 7) % 5)
        r = tl.cdaskc(["--mpi"] + CFLAGS + ["own.lua", "-o", "mpi"], cwd=d)
        if r.returncode != 0:
            return R.check(False, label, tl.short(r.stderr))
        apps = []
        for rank in range(3):
            wd = os.path.join(d, "rank%d" % rank)
            os.makedirs(wd)
            with open(os.path.join(d, "in.npy"), "rb") as f:
                data = f.read()
            if rank == victim:  # the header stays, half the data goes
                data = data[:-42 * 4]
            with open(os.path.join(wd, "in.npy"), "wb") as f:
                f.write(data)
            apps += [":"] if apps else []
            apps += ["-np", "1", "-wdir", wd, os.path.join(d, "mpi"), "--out", "../out"]
        out = os.path.join(d, "out")
        os.makedirs(out)
        with mc.MPIRUN_LOCK:
            g = tl.run(MPIRUN + apps, cwd=d, env=mc.env1())
        said = "error: input in.npy: truncated" in g.stderr
        R.check(g.returncode not in (0, None) and said and tl.listing(out) == [],
                label + ": every rank stops, the message, no file written",
                "rc %s, files %s, stderr %s" % (g.returncode, tl.listing(out),
                                                tl.short(g.stderr)))
    finally:
        tl.rmtree(d)


def rank_pids(mpirun_pid):
    """The ranks: mpirun's child processes."""
    kids = []
    for t in os.listdir("/proc/%d/task" % mpirun_pid):
        try:
            with open("/proc/%d/task/%s/children" % (mpirun_pid, t)) as f:
                kids += [int(p) for p in f.read().split()]
        except OSError:
            pass
    return kids


def alive(pid):
    """pid is a process that is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def killed_rank(victim):
    """SIGKILL to rank `victim` of 3 once every rank is computing (its computing.RANK
    file): rank 0 holds no temporary file then (neither its output's nor --profile's),
    mpirun exits non-zero, no rank is left, and the output directory stays empty."""
    label = "rank %d killed" % victim
    d = tl.tempdir("mpi_kill")
    try:
        tl.write(os.path.join(d, "k.c"), KERNELS)
        tl.write(os.path.join(d, "slow.lua"), SLOW)
        r = tl.cdaskc(["--mpi"] + CFLAGS + ["slow.lua", "-o", "mpi"], cwd=d)
        if r.returncode != 0:
            return R.check(False, label, tl.short(r.stderr))
        out = os.path.join(d, "out")
        os.makedirs(out)
        marks = [os.path.join(d, "computing.%d" % i) for i in range(3)]
        with mc.MPIRUN_LOCK:
            p = subprocess.Popen(MPIRUN + ["-np", "3", "./mpi", "--out", out, "--profile",
                                           os.path.join(out, "trace.json")], cwd=d,
                                 env=mc.env1(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
            ranks, t0 = [], time.time()
            while time.time() - t0 < 60 and p.poll() is None:
                ranks = rank_pids(p.pid)
                if all(os.path.exists(m) and os.path.getsize(m) > 0 for m in marks):
                    break
                time.sleep(0.05)
            computing = all(os.path.exists(m) and os.path.getsize(m) > 0 for m in marks)
            held = tl.listing(out)  # what rank 0 holds while the ranks compute: nothing
            if computing:
                with open(marks[victim]) as f:
                    os.kill(int(f.read()), signal.SIGKILL)
            try:
                _, err = p.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                _, err = p.communicate()
        t1 = time.time()  # mpirun may return while a rank is still exiting
        while any(alive(q) for q in ranks) and time.time() - t1 < 5:
            time.sleep(0.05)
        left = [q for q in ranks if alive(q)]
        R.check(computing and held == [] and p.returncode not in (0, None) and not left and
                tl.listing(out) == [],
                label + ": nothing held while computing, mpirun exits non-zero, every rank "
                "stops, no file left",
                "computing %s, held while computing %s, rc %s, ranks left %s, files %s, "
                "stderr %s" % (computing, held, p.returncode, left, tl.listing(out),
                               tl.short(err)))
    finally:
        tl.rmtree(d)


def unwritable_output():
    """On 3 ranks an output that cannot be made (its name is a directory) stops the program
    before any work: exit 4 naming the file, no rank computed (no computing.RANK), nothing
    left in the output directory but that directory."""
    d = tl.tempdir("mpi_unwritable")
    try:
        tl.write(os.path.join(d, "k.c"), KERNELS)
        tl.write(os.path.join(d, "slow.lua"), SLOW)
        r = tl.cdaskc(["--mpi"] + CFLAGS + ["slow.lua", "-o", "mpi"], cwd=d)
        if r.returncode != 0:
            return R.check(False, "unwritable output", tl.short(r.stderr))
        out = os.path.join(d, "out")
        os.makedirs(os.path.join(out, "slow.npy"))
        with mc.MPIRUN_LOCK:
            g = tl.run(MPIRUN + ["-np", "3", "./mpi", "--out", out], cwd=d, env=mc.env1())
        said = "cannot write %s/slow.npy: it is a directory" % out in g.stderr
        computed = [f for f in os.listdir(d) if f.startswith("computing.")]
        R.check(g.returncode == 4 and said and not computed and tl.listing(out) == ["slow.npy"],
                "an output that cannot be made: exit 4 naming it, before any work, nothing left",
                "rc %s, computed %s, files %s, stderr %s" % (g.returncode, computed,
                                                             tl.listing(out), tl.short(g.stderr)))
    finally:
        tl.rmtree(d)


MEMORY = """local da = require("cdask.array")
local x = da.random.normal(0, 1, {400, 300}, {chunks = {100, 100}, seed = 5})
da.to_npy(x, "x.npy")
"""


def memory_shared():
    """The default memory limit (75% of the machine's memory) is shared by the ranks on the
    machine: on a machine made (LD_PRELOAD's sysconf) twice the plan's peak, 1 rank runs,
    2 ranks stop before any work (exit 5, the message says why, nothing written), and an
    explicit --memory-limit is each rank's."""
    d = tl.tempdir("mpi_memory")
    try:
        shim, why = tl.sysconf_shim(d)
        tl.write(os.path.join(d, "m.lua"), MEMORY)
        r = tl.cdaskc(["--mpi"] + CFLAGS + ["m.lua", "-o", "mpi"], cwd=d)
        if not R.check(shim is not None and r.returncode == 0, "memory: builds",
                       tl.short(why or r.stderr)):
            return
        peak = json.loads(tl.run(["./mpi", "--manifest"], cwd=d).stdout)["peak_bytes"]
        pages = -(-2 * peak // 4096)  # 75%: 1.5 peaks for one rank, 0.75 for each of two
        fake = ["-x", "LD_PRELOAD=" + shim, "-x", "FAKE_PHYS_PAGES=%d" % pages]
        for ranks, extra, ok in ((1, [], True), (2, [], False), (2, ["--memory-limit", "1G"],
                                                                 True)):
            out = os.path.join(d, "out%d%s" % (ranks, "x" if extra else ""))
            os.makedirs(out)
            with mc.MPIRUN_LOCK:
                g = tl.run(MPIRUN + ["-np", str(ranks)] + fake + ["./mpi", "--out", out] + extra,
                           cwd=d, env=mc.env1())
            label = "memory: -np %d %s" % (ranks, " ".join(extra) or "(default limit)")
            if ok:
                R.check(g.returncode == 0 and tl.listing(out) == ["x.npy"], label + ": runs",
                        tl.short(g.stderr))
            else:
                R.check(g.returncode == 5 and "(75% of this machine's memory, shared by its 2 "
                        "ranks)" in g.stderr and tl.listing(out) == [],
                        label + ": each rank's share is too small, exit 5, nothing written",
                        "rc %s, files %s, stderr %s" % (g.returncode, tl.listing(out),
                                                         tl.short(g.stderr)))
    finally:
        tl.rmtree(d)


def files_after_run():
    """On 2 ranks, rank 0 makes every file after the run: the outputs, --fft-wisdom-out and
    the diagnostics' files are all there, whole (the trace is JSON), and no temporary file
    is left."""
    d = tl.tempdir("mpi_files")
    try:
        tl.write(os.path.join(d, "k.c"), KERNELS)
        tl.write(os.path.join(d, "own.lua"), OWN)
        np.save(os.path.join(d, "in.npy"), np.arange(42.0).reshape(6, 7) % 5)
        r = tl.cdaskc(["--mpi"] + CFLAGS + ["own.lua", "-o", "mpi"], cwd=d)
        if r.returncode != 0:
            return R.check(False, "files after the run", tl.short(r.stderr))
        out = os.path.join(d, "out")
        os.makedirs(out)
        diag = ["--profile", "out/trace.json", "--report", "out/report.html", "--resources",
                "out/res.tsv", "--memory-profile", "out/mem.tsv", "--fft-wisdom-out",
                "out/wisdom.txt"]
        with mc.MPIRUN_LOCK:
            g = tl.run(MPIRUN + ["-np", "2", "./mpi", "--out", out] + diag, cwd=d, env=mc.env1())
        want = sorted(["fft2.npy", "fft_rt.npy", "in_argmin.npy", "in_cumsum.npy", "mem.tsv",
                       "report.html", "res.tsv", "rfft_rt.npy", "stencil.npy", "total.npy",
                       "trace.json", "wisdom.txt"])
        try:
            with open(os.path.join(out, "trace.json")) as f:
                json.load(f)
            trace = True
        except (OSError, ValueError):
            trace = False
        R.check(g.returncode == 0 and tl.listing(out) == want and trace,
                "2 ranks: outputs, wisdom and diagnostics' files made after the run, whole",
                "rc %s, files %s, trace %s, stderr %s" % (g.returncode, tl.listing(out), trace,
                                                          tl.short(g.stderr)))
    finally:
        tl.rmtree(d)


WRITES = """local da = require("cdask.array")
local y = da.random.normal(0, 1, {8, 4}, {chunks = {8, 4}, seed = 4})
local x = da.random.normal(0, 1, {400, 300}, {chunks = {100, 300}, seed = 5})
da.to_npy(y, "y.npy")
da.to_npy(x, "x.npy")
"""
X_HALF = 200 * 300 * 8  # rank 1's rows of x on 2 ranks: its tiles (2 of 4 bands)


def traffic(stderr, rank, line):
    """(sent, received) of the group made at WRITES' line `line` in rank's --stats (0, 0
    when it has no line: it moved nothing)."""
    m = re.search(r"rank %d: stats: mpi g\d+:\S+ \(w\.lua:%d\): sent (\d+) bytes, received "
                  r"(\d+) bytes" % (rank, line), stderr)
    return (int(m[1]), int(m[2])) if m else (0, 0)


def build_writes(d):
    """WRITES built with and without --mpi in d, the single-node outputs in d/one: the
    reason it failed, or None."""
    tl.write(os.path.join(d, "w.lua"), WRITES)
    for args in (["--mpi", "w.lua", "-o", "mpi"], ["w.lua", "-o", "one"]):
        r = tl.cdaskc(CFLAGS + args, cwd=d)
        if r.returncode != 0:
            return tl.short(r.stderr)
    os.makedirs(os.path.join(d, "out1"))
    r = tl.run(["./one", "--out", "out1"], cwd=d, env=mc.env1())
    return None if r.returncode == 0 else tl.short(r.stderr)


def same_files(d, a, b, names):
    return all(open(os.path.join(d, a, n), "rb").read() == open(os.path.join(d, b, n), "rb").read()
               for n in names)


def split_outputs():
    """Where every rank sees the output directory, each rank writes its rows of axis 0 into
    rank 0's temporary file (runtime/mpi_output.c): on 2 ranks, x's row bands are where they
    are written, so x moves nothing. Where rank 1's directory is its own (a tmpfs mounted
    over it in rank 1's mount namespace: a node's local disk), rank 0 writes x alone, so
    rank 1 sends it its rows, X_HALF bytes, and writes nothing there. Both: the files are
    bitwise the single-node program's."""
    d = tl.tempdir("mpi_split")
    try:
        why = build_writes(d)
        if not R.check(why is None, "split outputs: builds and runs", why or ""):
            return
        for case in ("shared", "private"):
            out = os.path.join(d, case)
            os.makedirs(out)
            prog = ["./mpi", "--out", out, "--stats"]
            if case == "shared":
                cmd = MPIRUN + ["-np", "2"] + prog
            else:  # rank 1 in its own mount namespace, its own empty directory at out
                cmd = MPIRUN + ["-np", "1"] + prog + [":", "-np", "1", "unshare", "-m", "sh", "-c",
                                                      'mount -t tmpfs none "$0" && exec "$@"',
                                                      out] + prog
            with mc.MPIRUN_LOCK:
                g = tl.run(cmd, cwd=d, env=mc.env1())
            want = (0, 0) if case == "shared" else (X_HALF, 0)
            got = [traffic(g.stderr, 1, 3), traffic(g.stderr, 0, 3)[::-1]]
            R.check(g.returncode == 0 and tl.listing(out) == ["x.npy", "y.npy"] and
                    same_files(d, "out1", case, ["x.npy", "y.npy"]) and got == [want, want],
                    "outputs in a %s directory: bitwise, x's rows %s" % (
                        case, "not moved" if case == "shared" else "sent to rank 0"),
                    "rc %s, files %s, x's traffic (rank 1 sent/received, rank 0 received/sent) "
                    "%s, stderr %s" % (g.returncode, tl.listing(out), got, tl.short(g.stderr)))
    finally:
        tl.rmtree(d)


def disk_full():
    """On 2 ranks writing into a file system too small for x (a 256 KiB tmpfs, mounted in a
    mount namespace of its own): exit 4, the message names x.npy and says why, y.npy (made
    first) is whole, and x.npy and every temporary file are gone."""
    d = tl.tempdir("mpi_full")
    try:
        why = build_writes(d)
        if not R.check(why is None, "disk full: builds and runs", why or ""):
            return
        out = os.path.join(d, "full")
        os.makedirs(out)
        cmd = ["unshare", "-m", "sh", "-c",
               'mount -t tmpfs -o size=256k none "$0" && "$@"; rc=$?; ls -A "$0"; '
               'cmp -s "$0/y.npy" out1/y.npy && echo "(y.npy as one rank wrote it)"; exit $rc',
               out] + MPIRUN + ["-np", "2", "./mpi", "--out", out]
        with mc.MPIRUN_LOCK:
            g = tl.run(cmd, cwd=d, env=mc.env1())
        left = g.stdout.splitlines()
        said = "cannot write %s/x.npy: No space left on device" % out in g.stderr
        R.check(g.returncode == 4 and said and left == ["y.npy", "(y.npy as one rank wrote it)"],
                "disk full on 2 ranks: exit 4 naming x.npy, y.npy whole, nothing else left",
                "rc %s, left %s, stderr %s" % (g.returncode, left, tl.short(g.stderr)))
    finally:
        tl.rmtree(d)


def compiler_checks():
    """cdaskc's side: a missing mpicc is an error naming it; no writes in place under --mpi."""
    d = tl.tempdir("mpi_cli")
    try:
        script = os.path.join(ph.pipelines_dir(), "chained_reductions.lua")
        e = dict(os.environ)
        e["PATH"] = d  # no mpicc here
        r = tl.cdaskc(["--mpi", script, "-o", "prog"], cwd=d, env=e)
        R.check(r.returncode == 1 and "--mpi needs the MPI compiler wrapper mpicc" in r.stderr and
                tl.listing(d) == [], "no mpicc: an error naming it, nothing written",
                "rc %s, %s, files %s" % (r.returncode, tl.short(r.stderr), tl.listing(d)))
        plain = tl.cdaskc(["--explain", script, "--emit-c", "a.c"], cwd=d)
        mpi = tl.cdaskc(["--mpi", "--explain", script, "--emit-c", "b.c"], cwd=d)
        R.check("writes in place over group" in plain.stdout and
                "writes in place over group" not in mpi.stdout and
                "--mpi: the ranks share every group's tiles; no group writes in place" in mpi.stdout,
                "--explain: in-place writes without --mpi, none with it (and it says so)",
                tl.short(mpi.stdout + mpi.stderr))
    finally:
        tl.rmtree(d)


def main():
    if mc.mpi_missing(R):
        return R.finish()
    t0 = time.time()
    only = sys.argv[1:] == ["own"]  # test_mpi.py own: that case only
    if not only:
        compiler_checks()
    mc.run_cases(R, [own_case])
    if not only:
        for i in range(REPEAT):
            truncated_input(i % 3)
        for i in range(REPEAT):
            killed_rank(i % 3)
        unwritable_output()
        memory_shared()
        files_after_run()
        split_outputs()
        disk_full()
    print("(%.0f s)" % (time.time() - t0))
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
