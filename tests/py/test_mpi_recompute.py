#!/usr/bin/python3
"""--mpi, stored arrays that read only input files (compiler/emit_exchange.c
exchange_recomputed, runtime/mpi_exchange.c cdrt_mpi_needed_tiles): each rank computes the
tiles its readers read, from the files, instead of receiving them. Checked with mpirun -np
1 to 4:
- every output is bit for bit the program built without --mpi, whose outputs match NumPy;
- --explain says "nothing sent" and the manifest's plan is "recompute" for exactly those
  groups, and --stats counts no bytes for them;
- which rank reports which tile is what the readers' boxes say: ifftshift's reader on rank
  r reads the tiles across the roll (the mirror of rank r's share), an output's tiles are
  computed by the ranks that write their rows into its file (every rank its rows of axis 0,
  runtime/mpi_output.c), and a tile two ranks compute is reported by the lower one: the trace
  holds each tile of the program once, like the -np 1 run, and each rank's tile events
  are its --stats tiles.
The inputs are 2-d, 40 x 30 in 10 x 10 chunks: 12 tiles, 4 rows of tile grid."""

import json
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe"]
SHAPE, CHUNK = (40, 30), (10, 10)

SCRIPT = """local da = require("cdask.array")
local x = da.from_npy("x.npy", {chunks = {10, 10}})
local y = da.from_npy("y.npy", {chunks = {10, 10}})
da.to_npy(da.fft.ifftshift(x) * 2 + y, "shifted.npy")
da.to_npy(y, "copy.npy")
da.to_npy(da.concatenate({x["30:40"], x["0:30"]}, 0):sum(1), "rowsums.npy")
"""


def oracles(x, y):
    return {"shifted.npy": np.fft.ifftshift(x) * 2 + y, "copy.npy": y,
            "rowsums.npy": np.concatenate([x[30:40], x[0:30]], 0).sum(1)}


def outputs(d):
    return {f: open(os.path.join(d, f), "rb").read() for f in sorted(os.listdir(d))
            if f.endswith(".npy")}


def part(n, rank, p):
    """cdrt_mpi_part: rank's share of n tasks."""
    return range(n * rank // p, n * (rank + 1) // p)


def expected_reporters(kind, p):
    """{tile: the rank that reports it} for a recomputed group of 12 tiles (4 x 3 grid)."""
    if kind == "output":  # an output nobody else reads: rank r writes its rows of its file
        rows = [part(SHAPE[0], rank, p) for rank in range(p)]  # (runtime/mpi_output.c)
        return {t: min(r for r in range(p) if rows[r] and rows[r].start < 10 * (t // 3 + 1) and
                       rows[r].stop > 10 * (t // 3)) for t in range(12)}
    # kind "read twice": x, read by two groups of 12 tiles each. The shift's tile t (row
    # block i = t // 3) reads x rolled by 20 rows and 15 columns (ifftshift): x's row block
    # (i + 2) % 4 (20 is two blocks), and every column block (a roll of 15 splits each
    # block of 10 columns in two pieces, each its own box). The row sums' tile (i, c) reads
    # x's tile ((i + 3) % 4, c): x[30:40] first, then x[0:30].
    readers = {}
    for rank in range(p):
        for t in part(12, rank, p):
            i, c = divmod(t, 3)
            for cc in range(3):
                readers.setdefault(((i + 2) % 4) * 3 + cc, set()).add(rank)
            readers.setdefault(((i + 3) % 4) * 3 + c, set()).add(rank)
    return {t: min(readers[t]) for t in readers}


def main():
    d = tl.tempdir("mpi_recompute")
    try:
        rng = np.random.default_rng(11)
        x, y = rng.standard_normal(SHAPE), rng.standard_normal(SHAPE)
        np.save(os.path.join(d, "x.npy"), x)
        np.save(os.path.join(d, "y.npy"), y)
        tl.write(os.path.join(d, "r.lua"), SCRIPT)
        r = tl.cdaskc(["--cflags", "-O0", "r.lua", "-o", "single"], cwd=d)
        if not R.check(r.returncode == 0, "cdaskc", tl.short(r.stderr)):
            return
        r = tl.cdaskc(["--mpi", "--explain", "--cflags", "-O0", "r.lua", "-o", "mpi"], cwd=d)
        if not R.check(r.returncode == 0, "cdaskc --mpi", tl.short(r.stderr)):
            return
        manifest = json.loads(tl.run(["./mpi", "--manifest"], cwd=d).stdout)
        groups = manifest["groups"]
        recomputed = {g["id"]: g for g in groups if g["mpi"]["gather"] == "recompute"}
        # the inputs' copies: x read through the roll and the concatenation (one group,
        # stored once for both readers), y written back out; the readers are not
        # recomputed (they read stored arrays)
        kinds = {}
        for g in recomputed.values():
            kinds[g["id"]] = "output" if "ends in an output" in g["why"] else "read twice"
        R.check(sorted(kinds.values()) == ["output", "read twice"] and
                all(g["fuses"] == ["from_npy"] for g in recomputed.values()),
                "the manifest: the two input copies are recomputed, nothing else",
                "%s" % [(g["id"], g["fuses"], g["why"], g["mpi"]) for g in groups])
        said = r.stdout.splitlines()
        for gid in recomputed:
            at = next(i for i, s in enumerate(said) if s.startswith("group %d " % gid))
            R.check(said[at + 2].startswith("  mpi: nothing sent: each rank computes"),
                    "--explain group %d: nothing sent" % gid, said[at + 2])

        want_dir = os.path.join(d, "want")
        os.makedirs(want_dir)
        env = dict(os.environ, OMP_NUM_THREADS="1")
        s = tl.run(["./single", "--out", want_dir], cwd=d, env=env)
        if not R.check(s.returncode == 0, "single-node run", tl.short(s.stderr)):
            return
        want = outputs(want_dir)
        for f, o in oracles(x, y).items():
            got = np.load(os.path.join(want_dir, f))
            R.check(got.shape == o.shape and np.allclose(got, o, rtol=1e-12, atol=1e-12),
                    "single-node %s matches NumPy" % f)

        base_keys = None
        for p in (1, 2, 3, 4):
            got_dir = os.path.join(d, "np%d" % p)
            os.makedirs(got_dir)
            g = tl.run(MPIRUN + ["-np", str(p), "./mpi", "--out", got_dir, "--stats",
                                 "--profile", "t%d.json" % p], cwd=d, env=env)
            name = "-np %d" % p
            if not R.check(g.returncode == 0, name + " runs", tl.short(g.stderr)):
                continue
            got = outputs(got_dir)
            differ = [f for f in want if got.get(f) != want[f]]
            R.check(sorted(got) == sorted(want) and not differ,
                    name + ": every output bitwise the single-node program's", "%s" % differ)
            # --stats: no bytes for the recomputed groups
            moved = {}
            for m in re.finditer(r"stats: mpi g(\d+):.*: sent (\d+) bytes, received (\d+) "
                                 r"bytes", g.stderr):
                moved[int(m.group(1))] = moved.get(int(m.group(1)), 0) + int(m.group(2)) + \
                    int(m.group(3))
            R.check(all(moved.get(gid, 0) == 0 for gid in recomputed),
                    name + ": --stats, no bytes for the recomputed groups", "%s" % moved)
            with open(os.path.join(d, "t%d.json" % p)) as f:
                ev = [e for e in json.load(f)["traceEvents"]
                      if e.get("ph") == "X" and e.get("cat") != "mpi"]
            # (every rank runs a reduction's combine steps; rank 0's hooks report them)
            keys = sorted(e["name"] for e in ev if ":combine:" not in e["name"])
            if p == 1:
                base_keys = keys
            R.check(keys == base_keys, name + ": the trace holds each tile once, as -np 1's",
                    "%d events, -np 1: %d" % (len(keys), len(base_keys or [])))
            ok, why = True, ""
            for gid, kind in kinds.items():
                seen = {e["args"]["tile"]: e["pid"] for e in ev if e["args"]["group"] == gid}
                if seen != expected_reporters(kind, p):
                    ok, why = False, "group %d (%s): %s" % (gid, kind, sorted(seen.items()))
            R.check(ok, name + ": each recomputed tile reported by the lowest rank reading it",
                    why)
            tiles = {int(m.group(1) or 0): int(m.group(2)) for m in re.finditer(
                r"(?:rank (\d+): )?stats: [\d.]+ seconds, \d+ threads?, (\d+) tiles", g.stderr)}
            per_rank = {}
            for e in ev:
                if ":combine:" not in e["name"] and ":transform:" not in e["name"]:
                    per_rank[e["pid"]] = per_rank.get(e["pid"], 0) + 1
            R.check(tiles == {rk: per_rank.get(rk, 0) for rk in range(p)},
                    name + ": each rank's --stats tiles are its tile events",
                    "stats %s, events %s" % (tiles, per_rank))
    finally:
        tl.rmtree(d)


if __name__ == "__main__":
    main()
    sys.exit(R.finish())
