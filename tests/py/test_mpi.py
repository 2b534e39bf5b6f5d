#!/usr/bin/python3
"""cdaskc --mpi: every output of an MPI program, run with mpirun -np 1, 2, 3 and 4
(OMP_NUM_THREADS=1), is bit for bit the single-node program's (the oracle: the same
pipeline built without --mpi), its printed lines appear once, and the tiles the ranks ran
(--stats, one "rank R:" line each) add up to those of -np 1: each tile runs once. The corpus: pipelines of
tests/pipelines (elementwise stores, every reduction kind with argmin/argmax, partial-axis
reductions, scans, views, concatenation, random arrays, .npy inputs, prints) and one script
here with FFT round trips, map_overlap with a C kernel, an .npy input, delayed tasks and an
impure printing kernel. Failures: a truncated input and a rank killed with SIGKILL stop every
rank with a non-zero exit and leave no output file. cdaskc: no mpicc is an error naming it;
--explain shows no writes in place under --mpi.

Usage: test_mpi.py [NAME...]   (only those corpus pipelines, no failure tests)

Both builds get --cflags -O0 (the same flags for both: the C compiler's time dominates this
test); MPI or mpicc missing is a failure, not a skip."""

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import pipeline_harness as ph  # noqa: E402

R = tl.Results()
CFLAGS = ["--cflags", "-O0"]
RANKS = [1, 2, 3, 4]
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe"]
# one mpirun at a time (the compiles overlap): two launches at once oversubscribe the cores
MPIRUN_LOCK = threading.Lock()

# tests/pipelines cases (their setup() writes the inputs)
CORPUS = ["chained_reductions", "reduce_argmin_argmax", "reduce_mean_std_var", "reduce_min_max",
          "reduce_sum_prod", "reduce_any_all", "int32_reductions", "shape_cumulative",
          "ext_views", "transpose_cases", "negative_steps", "shape_concat_stack",
          "random_properties", "print_values", "three_d", "broadcasting", "multi_output",
          "ext_nan_reductions", "integer_indexing"]

KERNELS = r"""
#include <stdint.h>
#include <stdio.h>

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

/* a long pure computation (the kill test) */
void slow(const double *x, double *out, const cdask_block *b) {
  int64_t n = b[0].shape[0] * b[0].shape[1];
  for (int64_t i = 0; i < n; i++) {
    double v = x[i];
    for (int k = 0; k < 20000000; k++) v = v * 0.999999 + 1e-9;
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


def env1():
    e = dict(os.environ)
    e["OMP_NUM_THREADS"] = "1"
    return e


def npys(d):
    return sorted(f for f in os.listdir(d) if f.endswith(".npy"))


def build_pair(d, script):
    """script built without and with --mpi into d/single and d/mpi: None, or why not."""
    for exe, extra in (("single", []), ("mpi", ["--mpi"])):
        r = tl.cdaskc(extra + CFLAGS + [script, "-o", exe], cwd=d)
        if r.returncode != 0 or not os.path.exists(os.path.join(d, exe)):
            return "cdaskc %s failed: %s" % (" ".join(extra), tl.short(r.stderr))
    return None


def tiles(stderr, prefixes):
    """The tiles run, summed over the ranks' --stats lines ("rank R: stats: ... N tiles"):
    one line for each prefix and no other, else None."""
    seen = []
    total = 0
    for line in stderr.splitlines():
        m = re.match(r"(rank \d+: )?stats: [\d.]+ seconds, \d+ threads, (\d+) tiles", line)
        if m:
            seen.append(m.group(1) or "")
            total += int(m.group(2))
    return total if sorted(seen) == sorted(prefixes) else None


def compare_ranks(name, d):
    """The single-node outputs and prints, then each rank count's: a list of failures."""
    want_dir = os.path.join(d, "want")
    os.makedirs(want_dir)
    r = tl.run(["./single", "--out", want_dir], cwd=d, env=env1())
    if r.returncode != 0:
        return ["single-node run failed: %s" % tl.short(r.stderr)]
    want = npys(want_dir)
    if not want and not r.stdout:
        return ["no outputs"]
    bad = []
    one_rank = None  # tiles run by -np 1 (not the single-node count: no in-place copies skipped)
    for np_ in RANKS:
        got_dir = os.path.join(d, "np%d" % np_)
        os.makedirs(got_dir)
        with MPIRUN_LOCK:
            g = tl.run(MPIRUN + ["-np", str(np_), "./mpi", "--out", got_dir, "--stats"], cwd=d,
                       env=env1())
        if g.returncode != 0:
            said = " ".join(l for l in g.stderr.splitlines() if l.strip("- "))  # no rules
            bad.append("-np %d exited %s: %s" % (np_, g.returncode, tl.short(said, 2000)))
            continue
        if npys(got_dir) != want:
            bad.append("-np %d wrote %s, want %s" % (np_, npys(got_dir), want))
            continue
        for f in want:
            with open(os.path.join(want_dir, f), "rb") as a, open(os.path.join(got_dir, f),
                                                                  "rb") as b:
                if a.read() != b.read():
                    bad.append("-np %d: %s differs" % (np_, f))
        got_tiles = tiles(g.stderr, ["rank %d: " % i for i in range(np_)] if np_ > 1 else [""])
        one_rank = got_tiles if np_ == 1 else one_rank
        if got_tiles is None or got_tiles != one_rank:
            bad.append("-np %d: the ranks' --stats tiles %s do not add up to -np 1's %s" %
                       (np_, got_tiles, one_rank))
        if g.stdout != r.stdout:
            bad.append("-np %d printed %r, want %r" % (np_, tl.short(g.stdout, 300),
                                                      tl.short(r.stdout, 300)))
    return bad


def corpus_case(name):
    d = tl.tempdir("mpi_" + name)
    try:
        oracle = ph.load_oracle(name)
        if hasattr(oracle, "setup"):
            oracle.setup(d)
        shutil.copy(os.path.join(ph.pipelines_dir(), name + ".lua"), d)
        why = build_pair(d, name + ".lua")
        return name, [why] if why else compare_ranks(name, d)
    finally:
        tl.rmtree(d)


def own_case():
    d = tl.tempdir("mpi_own")
    try:
        tl.write(os.path.join(d, "k.c"), KERNELS)
        tl.write(os.path.join(d, "own.lua"), OWN)
        np.save(os.path.join(d, "in.npy"), np.arange(42.0).reshape(6, 7) % 5)
        why = build_pair(d, "own.lua")
        return "own (fft, map_overlap, npy input, delayed, impure print)", (
            [why] if why else compare_ranks("own", d))
    finally:
        tl.rmtree(d)


def truncated_input():
    """An input cut short after compiling: every rank stops, non-zero, no file written."""
    d = tl.tempdir("mpi_trunc")
    try:
        tl.write(os.path.join(d, "k.c"), KERNELS)
        tl.write(os.path.join(d, "own.lua"), OWN)
        path = os.path.join(d, "in.npy")
        np.save(path, np.arange(42.0).reshape(6, 7) % 5)
        r = tl.cdaskc(["--mpi"] + CFLAGS + ["own.lua", "-o", "mpi"], cwd=d)
        if r.returncode != 0:
            return R.check(False, "truncated input", tl.short(r.stderr))
        with open(path, "r+b") as f:  # the header stays, half the data goes
            f.truncate(os.path.getsize(path) - 42 * 4)
        out = os.path.join(d, "out")
        os.makedirs(out)
        g = tl.run(MPIRUN + ["-np", "3", "./mpi", "--out", out], cwd=d, env=env1())
        said = "error: input in.npy: truncated" in g.stderr
        R.check(g.returncode not in (0, None) and said and tl.listing(out) == [],
                "truncated input: every rank stops, the message, nothing written",
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


def killed_rank():
    """SIGKILL to one rank (not rank 0, which holds the outputs' temporary files): mpirun
    exits non-zero, no rank is left, the output directory stays empty."""
    d = tl.tempdir("mpi_kill")
    try:
        tl.write(os.path.join(d, "k.c"), KERNELS)
        tl.write(os.path.join(d, "slow.lua"), SLOW)
        r = tl.cdaskc(["--mpi"] + CFLAGS + ["slow.lua", "-o", "mpi"], cwd=d)
        if r.returncode != 0:
            return R.check(False, "killed rank", tl.short(r.stderr))
        out = os.path.join(d, "out")
        os.makedirs(out)
        p = subprocess.Popen(MPIRUN + ["-np", "3", "./mpi", "--out", out], cwd=d, env=env1(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ranks, t0 = [], time.time()
        while len(ranks) < 3 and time.time() - t0 < 20 and p.poll() is None:
            time.sleep(0.05)
            ranks = rank_pids(p.pid)
        started = len(ranks) == 3
        if started:
            time.sleep(0.5)  # the ranks are in MPI_Init or computing
            busy = tl.listing(out) != []  # rank 0's temporary output file exists
            os.kill(sorted(ranks)[-1], signal.SIGKILL)
        else:
            busy = False
        try:
            _, err = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
        t1 = time.time()  # mpirun may return while a rank is still exiting
        while any(alive(q) for q in ranks) and time.time() - t1 < 5:
            time.sleep(0.05)
        left = [q for q in ranks if alive(q)]
        R.check(started and busy and p.returncode not in (0, None) and not left and
                tl.listing(out) == [],
                "a rank killed: mpirun exits non-zero, every rank stops, no output file left",
                "started %s, temporary file while running %s, rc %s, ranks left %s, files %s, "
                "stderr %s" % (started, busy, p.returncode, left, tl.listing(out),
                               tl.short(err)))
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
    for tool in ("mpicc", "mpirun"):
        if not shutil.which(tool):
            R.check(False, "MPI is installed", "%s is not in PATH (openmpi-bin, libopenmpi-dev)"
                    % tool)
            return R.finish()
    t0 = time.time()
    compiler_checks()
    names = [a for a in sys.argv[1:] if a in CORPUS]  # test_mpi.py [NAME...]: those only
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = [pool.submit(corpus_case, n) for n in names or CORPUS]
        jobs += [] if names else [pool.submit(own_case)]
        for j in jobs:
            name, bad = j.result()
            R.check(not bad, "%s: the same bits and prints for -np 1..4" % name, "; ".join(bad))
    if not names:
        truncated_input()
        killed_rank()
    print("(%.0f s)" % (time.time() - t0))
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
