#!/usr/bin/python3
"""bench/mpi/exchange.py (the scaling model's exchanges, docs/scaling.md) against the real
program: for each script of a corpus (views: a stored array read whole, through a reversed
view and by reductions; halo: map_overlap of stored arrays, reflected and periodic (the
halo across the edge); reads: a transposed read and aligned readers; tasks: a stored array
read by a delayed task, on rank 0 only; spectra: two transforms' product transformed back;
ffts: every kind of transform, 3 ranks only; seed
003's delayed tasks;
big_ones; the SKA deconvolution's four FFTs at 256^2), the bytes the model predicts each
rank sends and receives in each group (read from the emitted C, the runtime's algorithms
replicated) EQUAL what a real `mpirun -np P` run counts and prints with --stats ("rank R:
stats: mpi gK:NAME (WHERE): sent N bytes, received M bytes, S s"), for P = 2, 3 and 4;
groups the program does not list moved nothing (model: 0); each rank's groups add up to its
total line. No stats lines is a failure. Exact properties besides: a stored array whose
readers all read its tiles aligned exchanges 0 bytes; one read transposed, on 2 ranks, the
one tile each rank's mirror tiles need; a delayed task's argument goes whole to rank 0 and
to no other rank beyond what its tiles read; a transform's result that the next transform
reads moves nothing (that one's tiles are computed in its first pass's slabs). (Arrays that read no other group's array and
no random numbers are computed where they are read: these scripts add random numbers to
the arrays whose exchanges they test.) MPI or mpicc missing is a failure."""

import os
import re
import shutil
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

sys.path.insert(0, os.path.join(tl.SRC, "bench", "mpi"))
sys.path.insert(0, os.path.join(tl.SRC, "bench"))
import graph  # noqa: E402
import model  # noqa: E402

R = tl.Results()
RANKS = (2, 3, 4)

VIEWS = """-- a stored array read whole, reversed, and reduced along each axis (random numbers in
-- it: an array that only reads files is computed where it is read, nothing sent)
local da = require("cdask.array")
local x = da.from_npy("x.npy")
local y = (da.exp(x) + da.random.uniform(0, 1, {64, 48}, {seed = 3})):rechunk({16, 16})
da.to_npy(y, "y.npy")
da.to_npy((y["::-1, :"] + y):sum(1), "s.npy")
da.to_npy(y:max(0), "m.npy")
da.print(y:mean(), "mean")
"""

HALO = """-- map_overlap of a stored array: each block's halo, and across the periodic edges
local cd = require("cdask")
local da = require("cdask.array")
local u = da.random.uniform(0, 1, {64, 48}, {seed = 5})
local y = (da.exp(da.from_npy("x.npy")) * u):rechunk({16, 16})
da.to_npy(y, "y.npy")
local k = cd.cfile("gaussian5.c")
da.to_npy(da.map_overlap(k.gauss5, y, {depth = 2, boundary = "periodic"}), "z.npy")
da.to_npy(da.map_overlap(k.gauss5, u:rechunk({16, 16}), {depth = 2, boundary = "reflect"}), "r.npy")
"""

READS = """-- a stored array read transposed (y), and one (z) whose readers read its tiles in place
local da = require("cdask.array")
local y = da.exp(da.from_npy("sq.npy", {chunks = {16, 16}})) +
  da.random.uniform(0, 1, {48, 48}, {chunks = {16, 16}, seed = 4})
da.to_npy((y.T + y):sum(0), "t.npy")
local z = da.sin(y) * da.cos(y) + da.sqrt(da.abs(y))
da.to_npy(z + y, "a.npy")
da.print((z * y):sum(), "s")
"""

TASKS = """-- a stored array read by a delayed task (rank 0 only: it needs the array whole, the
-- other ranks nothing) and by a reduction over its own tiles
local cd = require("cdask")
local da = require("cdask.array")
local k = cd.cfile("kernels/delayed003.c")
local y = da.exp(da.random.uniform(0, 1, {40, 30}, {chunks = {10, 10}, seed = 6}))
local t = da.from_delayed(cd.delayed(k.inc_array)(y), {40, 30}, "float64")
da.to_npy(t:mean(0), "t.npy")
da.to_npy((y * 2):sum(1), "s.npy")
"""

SPECTRA = """-- two spectra multiplied and transformed back: each forward transform leaves its output
-- in the slabs the inverse's first pass reads (its tiles are computed there)
local da = require("cdask.array")
local a = da.random.uniform(0, 1, {48, 40}, {chunks = {16, 16}, seed = 7})
local b = da.random.uniform(0, 1, {48, 40}, {chunks = {16, 16}, seed = 8})
da.to_npy(da.real(da.fft.ifft2(da.fft.fft2(a) * da.conj(da.fft.fft2(b)))), "c.npy")
"""

FFTS = """-- FFTs of every kind: c2c over 3 axes, r2c along axis 0 (a scratch input), a round trip
-- (r2c in place, c2r), float32, a strided view, one line
local da = require("cdask.array")
local x = da.from_npy("x3.npy", {chunks = {3, 4, 5}})
local y = da.from_npy("y2.npy", {chunks = {4, 6}})
local v = da.from_npy("v1.npy", {chunks = {7}})
da.to_npy(da.fft.fftn(x), "fftn3.npy")
da.to_npy(da.fft.rfft(y, nil, 0), "rfft0.npy")
da.to_npy(da.fft.irfft2(da.fft.rfft2(y), {11, 13}), "rt.npy")
da.to_npy(da.fft.fft2(y:astype("float32")), "f32.npy")
da.to_npy(da.fft.fft2(y["::-1, 1:12:2"]), "view.npy")
da.to_npy(da.fft.fft(v), "fft1.npy")
"""
EXTRA_RANKS = {"ffts": (3,)}  # uneven slabs on every axis; the test's time bounds the rest


def corpus(d):
    """(name, script) of the corpus, its inputs written into d."""
    rng = np.random.default_rng(1)
    np.save(os.path.join(d, "x.npy"), rng.standard_normal((64, 48)))
    np.save(os.path.join(d, "sq.npy"), rng.standard_normal((48, 48)))
    for name, shape in (("x3", (7, 10, 9)), ("y2", (11, 13)), ("v1", (29,))):
        np.save(os.path.join(d, name + ".npy"), rng.standard_normal(shape))
    mine = (("views", VIEWS), ("halo", HALO), ("reads", READS), ("tasks", TASKS),
            ("spectra", SPECTRA), ("ffts", FFTS))
    for name, text in mine:
        with open(os.path.join(d, name + ".lua"), "w") as f:
            f.write(text)
    shutil.copy(os.path.join(tl.SRC, "bench", "stencil", "gaussian5.c"), d)
    shutil.copytree(os.path.join(tl.SRC, "examples", "kernels"), os.path.join(d, "kernels"))
    r = tl.run([sys.executable, os.path.join(tl.SRC, "examples", "make_ska_inputs.py"),
                "--size", "256", "--out", d])
    if r.returncode != 0:
        R.check(False, "make_ska_inputs", r.stderr)
    src = [("delayed", "examples/seed003_delayed_array.lua"),
           ("big_ones", "examples/seed_big_ones.lua"),
           ("ska_256", "examples/ska_deconvolution.lua")]
    return [(name, os.path.join(d, name + ".lua")) for name, _ in mine] + [
        (name, os.path.join(tl.SRC, path)) for name, path in src]


STATS = re.compile(r"^rank (\d+): stats: mpi (?:g(\d+):.*|(outside the groups)): "
                   r"sent (\d+) bytes, received (\d+) bytes, \S+ s$", re.M)
TOTAL = re.compile(r"^rank (\d+): stats: mpi total: sent (\d+) bytes, received (\d+) bytes",
                   re.M)


def run_stats(d, exe, p):
    """{rank: {group (-1: outside the groups): (sent, received)}} of `mpirun -np p exe
    --stats` (groups that moved nothing are not listed), or None (a failure reported).
    Every rank must print its total line, and its groups must add up to it."""
    out = os.path.join(d, f"out_{os.path.basename(exe)}_{p}")
    os.makedirs(out, exist_ok=True)
    r = tl.run(model.mpirun_cmd(p) + ["-x", "OMP_NUM_THREADS", exe, "--out", out, "--stats"],
               cwd=d, env=dict(os.environ, OMP_NUM_THREADS="1"))
    name = f"-np {p} {os.path.basename(exe)}"
    if not R.check(r.returncode == 0, f"mpirun {name}", (r.stderr or "")[-400:]):
        return None
    totals = {int(q): (int(s), int(v)) for q, s, v in TOTAL.findall(r.stderr)}
    if not R.check(sorted(totals) == list(range(p)), f"--stats mpi total of every rank, {name}",
                   "the program prints no 'rank R: stats: mpi total' line for some rank: "
                   f"{r.stderr[-600:]}"):
        return None
    got = {q: {} for q in range(p)}
    for rank, g, outside, sent, recv in STATS.findall(r.stderr):
        got[int(rank)][-1 if outside else int(g)] = (int(sent), int(recv))
    sums = {q: tuple(sum(x[i] for x in got[q].values()) for i in (0, 1)) for q in range(p)}
    R.check(sums == totals, f"--stats groups add up to the totals, {name}", f"{sums} {totals}")
    return got


def check_exchanges(d):
    """Per group, rank and P: exchange.py's bytes = the program's --stats counts."""
    for name, script in corpus(d):
        exe = os.path.join(d, name + "_mpi")
        r = tl.run([tl.CDASKC, script, "--mpi", "--cflags", "-O0", "-o", exe], cwd=d,
                   timeout=tl.COMPILE_TIMEOUT)
        if not R.check(r.returncode == 0, f"cdaskc --mpi {name}", r.stderr[-400:]):
            continue
        try:
            manifest, fused, program = graph.cdaskc_graph(tl.CDASKC, script, d)
            groups = graph.groups_of(manifest, fused, program)
        except (RuntimeError, ValueError, KeyError, TypeError) as e:
            R.check(False, f"model of {name}", repr(e))
            continue
        for p in EXTRA_RANKS.get(name, RANKS):
            got = run_stats(d, exe, p)
            if got is None:
                continue
            want = [{g.id: (s[q], v[q]) for g in groups for s, v, _ in
                     [graph.built_traffic(g, p)] if s[q] or v[q]} for q in range(p)]
            for q in range(p):
                R.check(got[q] == want[q], f"{name} -np {p} rank {q}: bytes per group = model",
                        f"--stats {got[q]}, model {want[q]}")
        yield name, groups, program


def check_properties(name, groups, program):
    """Exact properties, independent of the model's replication of the runtime."""
    by = {}
    for g in reversed(groups):  # the first group of each name
        by[g.name] = g
    if name == "reads":
        # y (exp + uniform) is the first add, z the second: z is read by two groups of its
        # own chunk grid, nothing moves
        adds = [g for g in groups if g.name == "add"]
        g = adds[1] if len(adds) > 1 else None
        R.check(g is not None and program.kinds(g.id) == ["needs"] and g.read_by and all(
            max(graph.built_traffic(g, p)[0] + graph.built_traffic(g, p)[1]) == 0
            for p in RANKS), "aligned readers: 0 bytes", str([(x.id, x.name) for x in groups]))
        # y's 3 x 3 tiles of 16 x 16 float64 read transposed: on 2 ranks (tiles 0-3 and 4-8)
        # each needs the mirror of one tile across the split (tiles 2 and 6): 2048 bytes
        g = adds[0] if adds else None
        R.check(g is not None and graph.built_traffic(g, 2)[:2] == ([2048, 2048], [2048, 2048]),
                "transposed read: one tile each way on 2 ranks",
                str(g and graph.built_traffic(g, 2)))
    if name == "ffts":
        R.check(len(groups) == 7 and all(program.kinds(g.id) == ["fft"] for g in groups),
                "ffts: 7 FFT groups", str([program.kinds(g.id) for g in groups]))
    if name == "ska_256":
        R.check(sum(program.kinds(g.id) == ["fft"] for g in groups) == 4, "ska_256: 4 FFT groups",
                str([program.kinds(g.id) for g in groups]))
    if name == "spectra":
        # the forward transforms' results go nowhere (the inverse reads them in its slabs),
        # the inverse's input needs no gather and its result lies in the row slabs its
        # output's file is written by (runtime/mpi_output.c): its one exchange is its
        # transpose
        ffts = [g for g in groups if program.kinds(g.id) == ["fft"]]
        ok = len(ffts) == 3
        for p in RANKS:
            for g in ffts[:2] if ok else []:
                ok = ok and sum(map(sum, program.exchanges(g.id, p)[-1][:2])) == 0
            ok = ok and len([x for x in program.exchanges(ffts[2].id, p) if sum(x[1])]) == 1
        R.check(ok, "spectra: transforms read in their slabs, no settle, no gather",
                str([[program.exchanges(g.id, 2)] for g in ffts]))
    if name == "tasks":
        # y's 12 tiles of 800 bytes: rank 0 receives the others' (its delayed task reads
        # y whole), the other ranks nothing (the reduction reads their own tiles)
        g = next((x for x in groups if x.name == "exp"), None)
        ok = g is not None
        for p in RANKS:
            recv = graph.built_traffic(g, p)[1] if ok else []
            ok = ok and recv == [(12 - len(range(12 // p))) * 800] + [0] * (p - 1)
        R.check(ok, "a delayed task's argument: whole on rank 0 only",
                str(g and [graph.built_traffic(g, p)[:2] for p in RANKS]))
    if name == "delayed":
        R.check(any(program.kinds(g.id) == ["bcast"] for g in groups), "delayed: a broadcast",
                str([program.kinds(g.id) for g in groups]))


def main():
    if not (model.shutil.which("mpirun") and model.shutil.which("mpicc")):
        R.check(False, "Open MPI", "mpirun or mpicc not found: scripts/install-deps.sh")
        return R.finish()
    with tempfile.TemporaryDirectory(prefix="cdask-exchanges-") as d:
        for case in list(check_exchanges(d)):
            check_properties(*case)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
