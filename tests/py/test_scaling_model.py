#!/usr/bin/python3
"""bench/mpi/model.py and graph.py (docs/scaling.md): the scaling model against exact
properties and an independent oracle (its exchanges against the real program:
test_scaling_exchanges.py).

1. The owner-computes plan's inputs from the fused graph: a reversed view of a stored array
   is a moved read of its size, map_overlap of a stored array fetches two faces, the
   stencil's image and kernel are inline (and exchange nothing as built).
2. The calibration scales: a pipeline calibrated at 4000^2 gives its 8000^2 version
   exactly 4 times its core-seconds (the one-node prediction against the measured time is
   printed, not checked: timings are bench/'s, and this machine may be loaded); model.table makes
   the Markdown table (every node count, the built program's memory constant and equal to the
   plan's peak, owner-computes at most that beyond one node); model.py runs end to end on the
   seeds' graphs with that calibration (`--calibration`, `--out` in the test's directory).
MPI or mpicc missing is a failure."""

import json
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
VIEWS = """-- a stored array read whole, reversed, and reduced along each axis
local da = require("cdask.array")
local x = da.from_npy("x.npy")
local y = da.exp(x):rechunk({16, 16})
da.to_npy(y, "y.npy")
da.to_npy((y["::-1, :"] + y):sum(1), "s.npy")
da.to_npy(y:max(0), "m.npy")
da.print(y:mean(), "mean")
"""

HALO = """-- map_overlap of a stored array
local cd = require("cdask")
local da = require("cdask.array")
local y = da.exp(da.from_npy("x.npy")):rechunk({16, 16})
da.to_npy(y, "y.npy")
local k = cd.cfile("gaussian5.c")
da.to_npy(da.map_overlap(k.gauss5, y, {depth = 2, boundary = "reflect"}), "z.npy")
"""

SIZED = """local da = require("cdask.array")
local x = da.random.normal(10, 0.1, {{{n}, {n}}}, {{chunks = {{600, 600}}, seed = 1}})
da.to_npy(x:mean(0), "result.npy")
"""


def write_scripts(d):
    np.save(os.path.join(d, "x.npy"), np.random.default_rng(1).standard_normal((64, 48)))
    for name, text in (("views.lua", VIEWS), ("halo.lua", HALO)):
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
    shutil.copy(os.path.join(tl.SRC, "bench", "stencil", "gaussian5.c"), d)


def check_planned(d):
    """The owner-computes plan's inputs from the fused graph."""
    write_scripts(d)
    # the reversed view of a stored array is a moved read (the rank's share)
    manifest, fused, _ = graph.cdaskc_graph(tl.CDASKC, os.path.join(d, "views.lua"), d)
    groups = graph.groups_of(manifest, fused)
    moved = [g.moved_reads for g in groups]
    R.check(64 * 48 * 8 in moved, "owner-computes moved read of y[::-1, :]",
            f"moved reads {moved}")
    kinds = sorted({g.kind for g in groups})
    R.check(kinds == ["reduce", "store"], "views groups' kinds", str(kinds))
    # map_overlap of the stored y (64 x 48 float64, depth 2): two faces of 2 rows
    manifest, fused, _ = graph.cdaskc_graph(tl.CDASKC, os.path.join(d, "halo.lua"), d)
    halos = [g.halo_bytes for g in graph.groups_of(manifest, fused)]
    R.check(halos == [0, 2 * 2 * 48 * 8], "owner-computes halos of map_overlap", str(halos))
    # the stencil's image is computed into the halo boxes and its kernel streamed into the
    # mean: neither is exchanged, nor has halos to fetch
    manifest, fused, program = graph.cdaskc_graph(
        tl.CDASKC, os.path.join(tl.SRC, "bench", "stencil", "stencil.lua"), d)
    got = [(g.kind, g.halo_bytes, program.kinds(g.id))
           for g in graph.groups_of(manifest, fused, program)]
    R.check(got == [("inline", 0, []), ("inline", 0, []), ("reduce", 0, ["allreduce"])],
            "stencil groups inline", str(got))


def check_calibration(d):
    runs = {}
    for n in (4000, 8000):  # built with -O0: the C compiler's time dominates this test
        sub = os.path.join(d, f"n{n}")
        os.makedirs(sub)
        script = os.path.join(sub, "mean.lua")
        with open(script, "w") as f:
            f.write(SIZED.format(n=n))
        try:
            runs[n] = (model.calibrate(tl.CDASKC, script, sub, 2, repeat=3,
                                       flags=("--cflags", "-O0")),
                       graph.cdaskc_graph(tl.CDASKC, script, sub))
        except RuntimeError as e:
            R.check(False, f"calibrate {n}", str(e))
            return
    calib, (manifest4, fused4, program4) = runs[4000]
    measured, (manifest, fused, program) = runs[8000]
    groups, files = graph.groups_of(manifest, fused, program), graph.files_of(fused)
    groups4 = graph.groups_of(manifest4, fused4, program4)
    # An exact property, not a timing (timings belong to bench/): the model's compute is
    # linear in the work, so 4 times the elements predict 4 times the parallel seconds.
    c4, c8 = sum(model.core_seconds(groups4, calib)), sum(model.core_seconds(groups, calib))
    R.check(c4 > 0 and abs(c8 - 4 * c4) <= 1e-9 * c8,
            "the calibrated compute scales with the work: 8000^2 is 4 x 4000^2",
            f"{c8:.6f} core-s vs 4 x {c4:.6f}")
    predicted = model.one_node_check(groups, files, manifest["peak_bytes"], calib)
    actual = measured["cpu_s"] / measured["threads"] + measured["serial_s"]
    print(f"(calibration at 4000^2 predicts 8000^2 in {predicted:.3f} s; measured "
          f"{actual:.3f} s on this machine now: a measurement, bench/mpi/model.py's job)")
    cl = model.Cluster(model.Net(1.5e-6, 12.5e9, "assumed"), 32, 2**38, 2e9, 50e9)
    seed = model.Seed("mean", "mean", "mean.lua")
    text = "\n".join(model.table(seed, groups, files, manifest["peak_bytes"], calib, cl))
    rows = re.findall(r"^\| (\d+) \|(.*)\|$", text, re.M)
    R.check([int(r[0]) for r in rows] == list(model.NODES), "table rows", text)
    check_main(d, calib)
    cs = model.core_seconds(groups, calib)
    for p in model.NODES:
        r = model.predict(groups, files, manifest["peak_bytes"], cs, calib["serial_s"], p, cl)
        ok = (r["built_bytes"] == manifest["peak_bytes"] and
              (p == 1 or r["owner_bytes"] <= r["built_bytes"]) and
              r["dask_s"][0] >= r["owner_s"] > 0)
        R.check(ok, f"predict P={p}", str(r))


def check_main(d, calib):
    """model.py itself, on the seeds' graphs (the SKA one at 32768^2), with this calibration
    standing in for every seed's (--calibration: no probe, no calibration runs)."""
    saved = os.path.join(d, "calibration.json")
    with open(saved, "w") as f:
        json.dump({"network": {"latency_s": 1e-6, "bandwidth_Bps": 1e9, "allreduce_bytes": 8,
                               "allreduce_s": 1e-6},
                   "calibrations": {s: calib for s in model.SEEDS}}, f)
    out = os.path.join(d, "model")
    r = tl.run([sys.executable, os.path.join(tl.SRC, "bench", "mpi", "model.py"), "--cdaskc",
                tl.CDASKC, "--calibration", saved, "--out", out])
    text = ""
    if os.path.exists(os.path.join(out, "model.md")):
        with open(os.path.join(out, "model.md")) as f:
            text = f.read()
    rows = re.findall(r"^\| (\d+) \|", text, re.M)
    R.check(r.returncode == 0 and rows == [str(p) for p in model.NODES] * len(model.SEEDS)
            and text.strip() == r.stdout.strip(), "model.py --calibration --out",
            f"exit {r.returncode}: {r.stderr[-400:]}")
    # SKA 32768^2: as built, every rank allocates the plan's 34.36 GB peak
    R.check("every rank allocates the whole plan, 34.36 GB," in text, "model.py SKA 32768^2 peak",
            text[-2000:])


def main():
    os.environ.setdefault("STENCIL_N", "2000")  # bench/stencil/stencil.lua's size, at compile time
    if not (model.shutil.which("mpirun") and model.shutil.which("mpicc")):
        R.check(False, "Open MPI", "mpirun or mpicc not found: scripts/install-deps.sh")
        return R.finish()
    with tempfile.TemporaryDirectory(prefix="cdask-scaling-") as d:
        check_planned(d)
        check_calibration(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
