#!/usr/bin/python3
"""cdaskc --mpi: the diagnostics on every rank. One small pipeline (an elementwise store, a
partial sum, an argmax, delayed tasks with a C kernel), built with --mpi and run with
mpirun -np 1, 2 and 3 (OMP_NUM_THREADS=1) with --stats --profile --report --progress:

- --stats: every rank's block, whole and in rank order;
- the trace's pids are exactly 0..P-1, each named "rank R" by process_name metadata;
- each rank's tile events (the tasks of the groups of tiles) are as many as its --stats
  tiles, and the tile events of all ranks are the -np 1 run's, each once; every task key
  of the -np 1 run appears on some rank and no other;
- each rank's --stats bytes, per group and in total, equal the volume computed here from
  the script's shapes and dtypes and the manifest's tile grid (a ring allreduce of B bytes:
  2 floor(B/P) (P-1) each way; a delayed result of B bytes: rank 0 sends B (P-1), every
  other rank receives B; a stored array's planned exchange: its tiles sent to the ranks
  whose readers read them, here the rows of the output each rank writes) and the trace's
  and the report's (headless Chromium) numbers, and the report's prediction from the manifest;
- the progress bar (rank 0's, a line per 10% off a terminal) ends at 100%, and the tasks it
  counted at the end are the program's, the -np 1 run's task count;
- cdaskc --explain's bytes per group, for P, are the same volumes.
MPI, mpicc or Chromium missing is a failure, not a skip."""

import html
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe"]
RANKS = [1, 2, 3]

KERNELS = r"""
#include <stdint.h>
double add(double a, double b) { return a + b; }
double total(const double *xs, int64_t n) {
  double s = 0;
  for (int64_t i = 0; i < n; i++) s += xs[i];
  return s;
}
"""

SCRIPT = """local da = require("cdask.array")
local cd = require("cdask")
local k = cd.cfile("k.c")
local x = da.random.normal(0, 1, {60, 50}, {chunks = {20, 25}, seed = 1})
local y = x * 2 + 1
da.to_npy(y, "y.npy")
da.to_npy(y:sum(0), "s.npy")
da.to_npy(x:argmax(), "am.npy")
local add = cd.delayed(k.add)
local vals = {}
for i = 1, 3 do vals[i] = add(i, 0.5) end
da.to_npy(cd.delayed(k.total)(vals), "total.npy")
"""
SHAPE = (60, 50)


def exchanges(group):
    """What group's exchanges are, from the script (float64 data): (allreduce sizes, the
    broadcast size, the bytes its tiles write when they are sent where they are read).
    y's tiles go where they are read (the planned exchange); y:sum(0) ORs one float64
    partial per chunk row and column; x:argmax() a float64 and an int64 partial per chunk;
    the delayed calls broadcast a float64 each, the list three."""
    sink, tiles = group["sink"], group["tiles"]
    chunks = [-(-n // t) for n, t in zip(SHAPE, tiles)] if tiles else []
    if sink == "add" and group["domain"] == list(SHAPE):
        return [], 0, SHAPE[0] * SHAPE[1] * 8
    if sink == "sum":
        return [chunks[0] * SHAPE[1] * 8], 0, 0
    if sink == "argmax":
        return [chunks[0] * chunks[1] * 8, chunks[0] * chunks[1] * 8], 0, 0
    if sink in ("add", "total"):
        return [], 8, 0
    if sink == "list":
        return [], 3 * 8, 0
    raise ValueError("unexpected group %r" % sink)


def volume(group, p, rank):
    """(sent, received) by rank of p for group. y's readers: y:sum(0), whose tiles are y's
    (the same chunks, the same ranks: nothing to send), and the output's file, into which
    rank q writes its rows [60 q / P, 60 (q + 1) / P) (runtime/mpi_output.c): the owner of
    each tile (rank r owns tiles [r n/P, (r+1) n/P) of the row-major grid) sends every other
    rank the part of the tile in that rank's rows."""
    sizes, bcast, gathered = exchanges(group)
    if p == 1:
        return 0, 0
    if gathered:
        t0, t1 = group["tiles"]
        grid = [(i, j) for i in range(0, SHAPE[0], t0) for j in range(0, SHAPE[1], t1)]
        n = len(grid)
        owner = [next(r for r in range(p) if r * n // p <= t < (r + 1) * n // p)
                 for t in range(n)]

        def part(q, t):  # bytes of tile t in rank q's rows
            i, j = grid[t]
            rows = min(i + t0, (q + 1) * SHAPE[0] // p) - max(i, q * SHAPE[0] // p)
            return max(rows, 0) * (min(j + t1, SHAPE[1]) - j) * 8

        sent = sum(part(q, t) for t in range(n) if owner[t] == rank for q in range(p)
                   if q != rank)
        return sent, sum(part(rank, t) for t in range(n) if owner[t] != rank)
    ring = sum(2 * (b // p) * (p - 1) for b in sizes)
    if not bcast:
        return ring, ring
    return (bcast * (p - 1), 0) if rank == 0 else (0, bcast)


STATS = re.compile(r"^(?:rank (\d+): )?stats: mpi (g\d+):\S+ \(.*\): sent (\d+) bytes, "
                   r"received (\d+) bytes, [0-9.]+ s$")
TOTAL = re.compile(r"^(?:rank (\d+): )?stats: mpi total: sent (\d+) bytes, received (\d+) bytes")
TILES = re.compile(r"^(?:rank (\d+): )?stats: [0-9.]+ seconds, \d+ threads, (\d+) tiles")
BAR = re.compile(r"^\[[# ]{40}\] \| (\d+)% Completed \| ")


def parse_stats(err):
    """{rank: {"tiles": n, "groups": {gK: (sent, received)}, "total": (sent, received)}}"""
    out = {}
    for line in err.splitlines():
        for rx, kind in ((STATS, "g"), (TOTAL, "t"), (TILES, "n")):
            m = rx.match(line)
            if not m:
                continue
            r = out.setdefault(int(m.group(1) or 0), {"groups": {}})
            if kind == "g":
                r["groups"][m.group(2)] = (int(m.group(3)), int(m.group(4)))
            elif kind == "t":
                r["total"] = (int(m.group(2)), int(m.group(3)))
            else:
                r["tiles"] = int(m.group(2))
    return out


def dom_values(page, d):
    """The report's elements with an id and a data-value, after its script ran."""
    r = tl.run(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + os.path.join(d, "chromium-profile"), "--dump-dom",
                "file://" + page], timeout=90)
    if r.returncode != 0:
        return None, r.stderr
    vals = {}
    for m in re.finditer(r'<[a-z]+ [^>]*id="([^"]+)"[^>]*data-value="([^"]*)"', r.stdout):
        vals[m.group(1)] = html.unescape(m.group(2))
    text = re.sub(r"<[^>]+>", " ", r.stdout)
    return (vals, text), ""


def main():
    for tool in ("mpirun", "mpicc", "chromium"):
        if not shutil.which(tool):
            R.check(False, "tools", "%s is not installed (openmpi-bin, libopenmpi-dev, "
                    "chromium: scripts/install-deps.sh)" % tool)
            return R.finish()
    d = tl.tempdir("mpidiag")
    try:
        check(d)
    finally:
        tl.rmtree(d)
    return R.finish()


def check(d):
    tl.write(os.path.join(d, "k.c"), KERNELS)
    tl.write(os.path.join(d, "p.lua"), SCRIPT)
    r = tl.cdaskc(["p.lua", "--mpi", "--cflags", "-O0", "-o", "p", "--explain"], cwd=d)
    if not R.check(r.returncode == 0, "cdaskc --mpi", tl.short(r.stderr)):
        return
    explain = r.stdout
    m = tl.run([os.path.join(d, "p"), "--manifest"], cwd=d)
    manifest = json.loads(m.stdout)
    groups = manifest["groups"]
    tasks = {g["id"] for g in groups if g["why"].startswith("a delayed task")}
    tiled = {g["id"] for g in groups} - tasks

    # --explain: one "mpi:" line per group after its cost line, with its sizes
    lines = explain.splitlines()
    ok, why = True, ""
    for g in groups:
        at = next(i for i, s in enumerate(lines) if s.startswith("group %d " % g["id"]))
        sizes, bcast, gathered = exchanges(g)
        want = ("  mpi: per rank " + " +".join(" 2(P-1)/P x %d" % b for b in sizes)[1:] +
                " bytes each way (allreduce)" if sizes else
                "  mpi: rank 0 sends (P-1) x %d bytes, each other rank receives %d (broadcast)"
                % (bcast, bcast) if bcast else
                "  mpi: the tiles' %d bytes go where the readers' tiles read them (planned "
                "exchange, counted at run time; a rank reading all of it receives about "
                "(P-1)/P x %d)" % (gathered, gathered))
        if lines[at + 2] != want:
            ok, why = False, "group %d: %r, want %r" % (g["id"], lines[at + 2], want)
        if g["mpi"] != {"allreduce_bytes": sizes, "bcast_bytes": bcast,
                        "gather": "needs" if gathered else "none", "gathered_bytes": gathered}:
            ok, why = False, "manifest group %d: %r" % (g["id"], g["mpi"])
    R.check(ok, "--explain and the manifest: bytes per group", why)

    env = dict(os.environ, OMP_NUM_THREADS="1")
    base = None
    for p in RANKS:
        run = tl.run(MPIRUN + ["-np", str(p), "./p", "--stats", "--progress", "--profile",
                               "t%d.json" % p, "--report", "r%d.html" % p, "--resources",
                               "res%d.tsv" % p, "--memory-profile", "mem%d.tsv" % p],
                     cwd=d, env=env)
        if not R.check(run.returncode == 0, "np %d runs" % p, tl.short(run.stderr)):
            continue
        # rank 0's own: its samples and its buffers (every rank holds every buffer)
        with open(os.path.join(d, "res%d.tsv" % p)) as f:
            res = f.read().splitlines()
        with open(os.path.join(d, "mem%d.tsv" % p)) as f:
            mem = [line.split("\t") for line in f.read().splitlines()]
        R.check(res[0] == "time_s\trss_mb\tcpu_percent" and len(res) >= 3 and
                mem[0] == ["name", "line", "bytes", "alloc_s", "free_s"] and
                sorted(int(row[2]) for row in mem[1:] if row[1] == "p.lua:5") == [24000],
                "np %d: --resources and --memory-profile: rank 0's" % p,
                "resources %s, memory %s" % (res[:3], mem[:4]))
        with open(os.path.join(d, "t%d.json" % p)) as f:
            trace = json.load(f)
        ev = trace["traceEvents"]
        c = trace["cdask"]
        pids = sorted({e["pid"] for e in ev if "pid" in e})
        names = {e["pid"]: e["args"]["name"] for e in ev if e.get("name") == "process_name"}
        R.check(pids == list(range(p)) and names == {r: "rank %d" % r for r in range(p)},
                "np %d: trace pids 0..P-1 named rank R" % p, "pids %s, names %s" % (pids, names))
        spans = [e for e in ev if e.get("ph") == "X" and e.get("cat") != "mpi"]
        stats = parse_stats(run.stderr)
        # rank 0 prints every rank's block whole, in rank order: no line cut by another's
        said = [line for line in run.stderr.splitlines() if not BAR.match(line)]
        order = [int(m.group(1)) for m in (re.match(r"rank (\d+): stats: ", x) for x in said) if m]
        R.check(p == 1 or (len(order) == len(said) and order == sorted(order) and
                           sorted(set(order)) == list(range(p))),
                "np %d: --stats, every rank's block whole and in rank order" % p,
                tl.short("\n".join(said), 1500))
        ok, why = sorted(stats) == list(range(p)), "stats of ranks %s" % sorted(stats)
        for rank in range(p):
            mine = [e for e in spans if e["pid"] == rank and e["args"]["group"] in tiled and
                    ":combine:" not in e["name"] and ":transform:" not in e["name"]]
            if ok and len(mine) != stats[rank]["tiles"]:
                ok, why = False, "rank %d: %d tile events, --stats %d tiles" % (
                    rank, len(mine), stats[rank]["tiles"])
        R.check(ok, "np %d: each rank's tile events are its --stats tiles" % p, why)
        tile_keys = sorted(e["name"] for e in spans if e["args"]["group"] in tiled and
                           ":combine:" not in e["name"])
        keys = set(e["name"] for e in spans)
        if p == 1:
            base = (tile_keys, keys, len(spans))
        if not R.check(base is not None, "np %d: the -np 1 run to compare with" % p):
            continue
        if p > 1:
            R.check(tile_keys == base[0] and keys == base[1],
                    "np %d: the ranks' tiles are the -np 1 run's, each once" % p,
                    "%d tile events (np 1: %d), keys %s" % (len(tile_keys), len(base[0]),
                                                           sorted(keys ^ base[1])[:5]))
        # bytes: --stats, the trace and the formula
        ok, why = True, ""
        for rank in range(p):
            st = stats.get(rank, {"groups": {}})
            want = {}
            for g in groups:
                v = volume(g, p, rank)
                if v != (0, 0):
                    want["g%d" % g["id"]] = v
            tot = tuple(sum(v[i] for v in want.values()) for i in (0, 1))
            if st["groups"] != want or st.get("total") != tot:
                ok, why = False, "rank %d: %s total %s, want %s total %s" % (
                    rank, st["groups"], st.get("total"), want, tot)
            tr = c["ranks"][rank]
            got = {"g%d" % t["group"]: (t["sent"], t["received"]) for t in tr["traffic"]}
            if ok and (got != want or (tr["sent"], tr["received"]) != tot or
                       tr["tiles"] != st["tiles"]):
                ok, why = False, "trace rank %d: %s, want %s" % (rank, tr, want)
        R.check(ok, "np %d: bytes per group and rank (--stats, trace) = the formula" % p, why)
        # the bar: rank 0's, to 100%, every rank's tasks counted
        bar = [int(m.group(1)) for m in map(BAR.match, run.stderr.splitlines()) if m]
        R.check(bar and bar[-1] == 100 and bar == sorted(bar) and
                c["progress_tasks"] == c["program_tasks"] == base[2],
                "np %d: progress to 100%% with the program's %d tasks" % (p, base[2]),
                "bar %s, counted %s of %s" % (bar, c["progress_tasks"], c["program_tasks"]))
        if p != RANKS[-1]:
            continue
        got, err = dom_values(os.path.join(d, "r%d.html" % p), d)
        if not R.check(got is not None, "np %d: report opens" % p, tl.short(err)):
            continue
        vals, text = got
        ok, why = all(("rank %d" % r) in text for r in range(p)), "ranks named"
        for rank in range(p):
            tr = c["ranks"][rank]
            for t in tr["traffic"]:
                for k in ("sent", "received"):
                    key = "traffic-g%d-r%d-%s" % (t["group"], rank, k)
                    if ok and vals.get(key) != str(t[k]):
                        ok, why = False, "%s = %r, want %d" % (key, vals.get(key), t[k])
                want = volume(groups[t["group"]], p, rank)
                pred = vals.get("traffic-g%d-predicted" % t["group"])
                sizes = exchanges(groups[t["group"]])[0]
                if ok and sizes and pred != str(want[0]):
                    ok, why = False, "group %d predicted %r, want %d" % (t["group"], pred, want[0])
            if ok and (vals.get("rank-%d-sent" % rank) != str(tr["sent"]) or
                       vals.get("rank-%d-tiles" % rank) != str(tr["tiles"])):
                ok, why = False, "rank %d's row" % rank
        R.check(ok and vals.get("sum-ranks") == str(p),
                "np %d: the report names every rank, with the same bytes" % p, why)


if __name__ == "__main__":
    sys.exit(main())
