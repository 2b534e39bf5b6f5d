#!/usr/bin/python3
"""bench/mpi/model.py: what cdask would take on 1 to 1000 nodes (issue 14; docs/scaling.md).

A simulation, not a measurement. For each seed pipeline it takes
  - the fused graph and the emitted C from cdaskc (bench/mpi/graph.py: groups, tiles, tasks,
    predicted cost, the memory plan's peak; bench/mpi/exchange.py: the bytes each rank of
    the built program sends and receives in each group, exactly as the runtime counts them);
  - compute rates CALIBRATED on this machine: the real program at a size that runs in a few
    seconds (`--profile`: each group's busy seconds; the run's CPU seconds), giving each
    group's core-seconds per unit of work (flops for transforms, elements for the rest);
  - the network MEASURED on loopback (a tiny MPI ping-pong and allreduce, built with mpicc
    in a temporary directory, `mpirun -np 2`) and an ASSUMED cluster (100 Gb/s
    InfiniBand-class: 1.5 us latency, 12.5 GB/s per link, full bisection; 32 cores and
    256 GiB per node; 2 GB/s of file I/O per node, 50 GB/s for the shared file system);
and prints one Markdown table per pipeline: predicted seconds on N nodes for cdask as built
(`cdaskc --mpi`: tiles shared by rank, planned exchanges for stored arrays, distributed FFTs
with transposes, allreduce for reduction partials; every rank allocates the whole plan), for
cdask owner-computes (planned, not built: a rank holds only its tiles' part of each array)
and for Dask (the same compute plus 200 us to 1 ms of scheduler time per task on one
scheduler), and the memory per rank. Usage:
    /usr/bin/python3 bench/mpi/model.py [--cdaskc build/cdaskc] [--seeds big_ones,...]
        [--cores 32] [--node-memory 256G] [--latency 1.5e-6] [--bandwidth 12.5e9] [--io 2e9]
        [--fs 50e9]
Writes bench/out/mpi/model.md (and calibration.json: the measured rows it used; --out DIR
elsewhere; --calibration FILE reuses such a file instead of measuring again).
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
sys.path.insert(0, HERE)

import graph  # noqa: E402
import measure  # noqa: E402
import report  # noqa: E402

OUT = os.path.join(BENCH, "out", "mpi")
NODES = (1, 2, 4, 16, 64, 256, 1000)
DASK_TASK_S = (200e-6, 1e-3)  # dask docs: ~200 us per task (faq.rst), ~1 ms (distributed)
DASK_SPLIT_EVERY = 4          # dask.array reductions' default tree fan-in


@dataclass(frozen=True)
class Net:
    """Latency (s), bandwidth (bytes/s per link) and where they come from; allreduce: the
    bytes/s of an allreduce's volume (graph.allreduce_bytes) when measured (its OR of the
    bytes included), else the link's."""
    latency: float
    bandwidth: float
    source: str
    allreduce: float = 0.0


@dataclass(frozen=True)
class Cluster:
    net: Net
    cores: int       # per node, one rank per node
    memory: int      # bytes per node
    io: float        # bytes/s of file reads and writes per node
    fs: float        # bytes/s of the shared file system, all nodes together


@dataclass(frozen=True)
class Seed:
    name: str
    title: str
    script: str   # relative to the repository
    inputs: str = ""   # "ska": dirty.npy and psf.npy
    calib_size: int = 0   # the calibration's image size (0: the script as it is)
    size: int = 0         # the modelled image size (0: the script as it is)


SEEDS = {s.name: s for s in [
    Seed("big_ones", "seed 001's big_ones: ones((200000, 4000)), 6.4 GB in 800 chunks of "
         "1000^2, `(o * o[::-1, ::-1]).mean()` and `(cos(o)**2).mean(axis=1)`",
         "examples/seed_big_ones.lua"),
    Seed("mean_20000", "the 20000^2 mean: `normal(10, 0.1, size=(20000, 20000)).mean(axis=0)`, "
         "chunks 1000^2 (3.2 GB, never stored)", "bench/pipelines/normal10_mean0.lua"),
    Seed("ska_32768", "SKA deconvolution (examples/ska_deconvolution.lua: Wiener and "
         "Wiener-Hunt, 4 real 2-D FFTs) of 32768^2 float64 images (8.6 GB each), calibrated "
         "at 4096^2", "examples/ska_deconvolution.lua", inputs="ska", calib_size=4096,
         size=32768),
]}


# ---- measuring: the network probe and the calibration runs ----------------------------

PROBE_C = r"""
/* bench/mpi/model.py's network probe: ping-pong latency and bandwidth between ranks 0 and
 * 1, and an MPI_Allreduce(MPI_BOR) of bytes (runtime/mpi.c's cdrt_mpi_complete). */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
static double pingpong(char *buf, int bytes, int reps, int rank) {
  MPI_Barrier(MPI_COMM_WORLD);
  double t0 = MPI_Wtime();
  for (int i = 0; i < reps; i++) {
    if (rank == 0) {
      MPI_Send(buf, bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD);
      MPI_Recv(buf, bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else if (rank == 1) {
      MPI_Recv(buf, bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      MPI_Send(buf, bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD);
    }
  }
  return (MPI_Wtime() - t0) / (2.0 * reps); /* one way */
}
int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank, big = 8 << 20;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  char *buf = calloc((size_t)big, 1);
  if (!buf) MPI_Abort(MPI_COMM_WORLD, 1);
  pingpong(buf, big, 2, rank); /* warm up */
  double lat = pingpong(buf, 8, 2000, rank), bw = pingpong(buf, big, 20, rank);
  MPI_Barrier(MPI_COMM_WORLD);
  double t0 = MPI_Wtime();
  for (int i = 0; i < 10; i++)
    MPI_Allreduce(MPI_IN_PLACE, buf, big, MPI_BYTE, MPI_BOR, MPI_COMM_WORLD);
  double ar = (MPI_Wtime() - t0) / 10;
  if (rank == 0)
    printf("{\"latency_s\": %.9g, \"bandwidth_Bps\": %.6g, \"allreduce_bytes\": %d, "
           "\"allreduce_s\": %.9g}\n",
           lat, big / (bw - lat), big, ar);
  free(buf);
  MPI_Finalize();
  return 0;
}
"""


def mpirun_cmd(np_):
    mpirun = shutil.which("mpirun")
    if not mpirun:
        raise RuntimeError("mpirun not found (scripts/install-deps.sh installs Open MPI)")
    return [mpirun, "--allow-run-as-root", "--oversubscribe", "--bind-to", "none", "-np", str(np_)]


def probe_network():
    """Loopback MPI between 2 ranks on this machine (shared memory), MEASURED."""
    mpicc = shutil.which("mpicc")
    if not mpicc:
        raise RuntimeError("mpicc not found (scripts/install-deps.sh installs libopenmpi-dev)")
    with tempfile.TemporaryDirectory(prefix="cdask-netprobe-") as d:
        src, exe = os.path.join(d, "probe.c"), os.path.join(d, "probe")
        with open(src, "w") as f:
            f.write(PROBE_C)
        subprocess.run([mpicc, "-O2", src, "-o", exe], check=True, capture_output=True, timeout=120)
        r = subprocess.run(mpirun_cmd(2) + [exe], capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"network probe failed: {r.stderr.strip()[-300:]}")
        return json.loads(r.stdout.strip().splitlines()[-1])


def ska_inputs(size, workdir, real):
    """dirty.npy and psf.npy of size^2 in workdir: real ones (examples/make_ska_inputs.py,
    1000 sources, seed 1, as bench/run.py's fft suite makes them), or for the graph alone
    header-only sparse files of the right length (cdaskc reads only the headers)."""
    if real:
        subprocess.run([sys.executable, os.path.join(ROOT, "examples", "make_ska_inputs.py"),
                        "--size", str(size), "--sources", "1000", "--seed", "1", "--out", workdir],
                       check=True, capture_output=True, timeout=600)
        return
    import numpy as np
    for name in ("dirty.npy", "psf.npy"):
        m = np.lib.format.open_memmap(os.path.join(workdir, name), mode="w+",
                                      dtype=np.float64, shape=(size, size))
        del m  # closes it: the header written, the rest a hole


def calibrate(cdaskc, script, workdir, threads, repeat=3, timeout=600, flags=()):
    """Builds script in workdir and runs it `repeat` times with --profile: MEASURED wall and
    CPU seconds, each group's busy seconds. Keeps the run with the least CPU time (another
    load on the machine, as on this shared 2-core one, adds to it: cache and memory
    bandwidth) and returns the calibration row with each group's core-seconds: the run's
    CPU seconds shared out by the groups' busy seconds (busy seconds are wall time, which
    such a load inflates much more). flags: extra cdaskc flags (the test's --cflags -O0)."""
    exe, prof = os.path.join(workdir, "calib"), os.path.join(workdir, "calib.json")
    b = measure.run([cdaskc, script, "-o", exe, *flags], timeout, cwd=workdir)
    if measure.failure(b, timeout):
        raise RuntimeError(f"cdaskc {script}: {measure.failure(b, timeout)}")
    out = os.path.join(workdir, "out")
    os.makedirs(out, exist_ok=True)
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    best = None
    for _ in range(repeat):
        r = measure.run([exe, "--threads", str(threads), "--out", out, "--profile", prof],
                        timeout, env=env, cwd=workdir)
        if measure.failure(r, timeout):
            raise RuntimeError(f"{script}: {measure.failure(r, timeout)}")
        with open(prof) as f:
            run = (r, json.load(f)["cdask"])
        best = run if best is None or r.cpu_s < best[0].cpu_s else best
    r, cd = best
    groups = graph.groups_of(*graph.cdaskc_graph(cdaskc, script, workdir))
    busy = {g["id"]: g["busy_s"] for g in cd["groups"]}
    total = sum(busy.values()) or 1.0
    shutil.rmtree(out, ignore_errors=True)
    return {"script": os.path.relpath(script, ROOT), "threads": threads, "runs": repeat,
            "wall_s": r.wall_s,
            "cpu_s": r.cpu_s, "duration_s": cd["duration_s"],
            "serial_s": max(0.0, r.wall_s - cd["duration_s"]), "cpu_model": cd["cpu_model"],
            "load_1min": os.getloadavg()[0],
            "groups": [{"id": g.id, "kind": g.kind, "name": g.name, "units": g.units,
                        "core_s": r.cpu_s * busy.get(g.id, 0.0) / total} for g in groups]}


# ---- the model ------------------------------------------------------------------------

def core_seconds(groups, calib):
    """Each group's predicted core-seconds: its work units times the core-seconds per unit
    of the calibration's group with the same place and sink (else the calibration's
    average for its kind, else its overall average)."""
    cg = calib["groups"]
    by_kind = {}
    for c in cg:
        s, u = by_kind.get(c["kind"], (0.0, 0))
        by_kind[c["kind"]] = (s + c["core_s"], u + c["units"])
    overall = sum(c["core_s"] for c in cg) / max(1, sum(c["units"] for c in cg))
    out = []
    for i, g in enumerate(groups):
        c = cg[i] if i < len(cg) and (cg[i]["kind"], cg[i]["name"]) == (g.kind, g.name) else None
        if c:
            rate = c["core_s"] / c["units"]
        elif g.kind in by_kind and by_kind[g.kind][1]:
            rate = by_kind[g.kind][0] / by_kind[g.kind][1]
        else:
            rate = overall
        out.append(rate * g.units)
    return out


def _log2(p):
    return graph.tree_messages(p)


def allreduce_s(n, p, net):
    """min of a ring (2(P-1) steps) and recursive doubling (log2 P steps of n bytes)."""
    if p == 1 or n == 0:
        return 0.0
    bw = net.allreduce or net.bandwidth
    ring = 2 * (p - 1) * net.latency + graph.allreduce_bytes(n, p) / bw
    return min(ring, _log2(p) * (net.latency + n / bw))


def alltoall_s(n, p, net):
    return 0.0 if p == 1 else (p - 1) * net.latency + graph.alltoall_bytes(n, p) / net.bandwidth


def bcast_s(n, p, net):
    """min of a binomial tree and scatter + allgather."""
    if p == 1 or n == 0:
        return 0.0
    return min(_log2(p) * (net.latency + n / net.bandwidth), 2 * _log2(p) * net.latency
               + 2 * n / net.bandwidth)


def compute_s(g, core_s, p, cores):
    """Tiles split by rank (contiguous runs), then by thread; transforms split by lines
    (plentiful): perfect division. Delayed tasks run on rank 0."""
    if g.kind == "transform":
        return core_s / (p * cores)
    if g.kind == "task":
        return core_s / min(cores, max(1, g.tiles))
    per_rank = -(-g.tiles // p)
    return -(-per_rank // cores) * core_s / max(1, g.tiles)


def comm_built_s(g, p, net):
    """The built program's exchanges in group g (exchange.py: exact bytes per rank): an
    allreduce or a broadcast as the collective; point-to-point messages (planned exchanges,
    FFT gathers and transposes) as one latency per peer plus the busiest rank's bytes (the
    larger of what it sends and receives) at the link's bandwidth."""
    if p == 1:
        return 0.0
    t = 0.0
    for sent, recv, peers, coll in g.program.exchanges(g.id, p):
        if coll and coll[0] == "allreduce":
            t += allreduce_s(coll[1], p, net)
        elif coll:
            t += bcast_s(coll[1], p, net)
        elif max(sent + recv):
            t += peers * net.latency + max(sent + recv) / net.bandwidth
    return t


def comm_owner_s(g, p, net):
    """The planned owner-computes exchanges (graph.owner_bytes)."""
    if p == 1:
        return 0.0
    if g.kind == "task":
        return bcast_s(g.buffer_bytes, p, net)
    t = (p - 1) * net.latency + g.moved_reads / p / net.bandwidth if g.moved_reads else 0.0
    if g.halo_bytes:
        t += 2 * net.latency + g.halo_bytes / net.bandwidth
    if g.kind == "reduce" and not g.reduce_tree:
        t += 2 * (net.latency + g.partial_bytes / net.bandwidth)
    elif g.kind == "reduce":
        t += _log2(p) * (net.latency + g.partial_bytes / net.bandwidth) * (2 if g.read_by else 1)
    elif g.kind == "transform":
        t += g.transform_axes * alltoall_s(g.exchange_bytes, p, net)
    return t


def dask_tasks(g):
    """Dask's tasks for the same group and chunking: one per chunk for blockwise work
    (Dask fuses blockwise chains), plus the reduction tree (fan-in 4), plus for 2-D FFTs two
    rechunks to panels and back per axis (Dask's FFTs need each transformed axis whole)."""
    n = max(1, g.tiles)
    if g.kind == "reduce":
        return n + math.ceil(n / (DASK_SPLIT_EVERY - 1))
    if g.kind == "transform":
        side = math.ceil(math.sqrt(n))
        return n + g.transform_axes * (n + 2 * side)
    return n


def predict(groups, files, peak, core_s, serial_s, p, cl):
    """Seconds for cdask as built, owner-computes (planned), Dask (at DASK_TASK_S's two ends)
    on p nodes, and bytes per rank (built: the whole plan; owner-computes)."""
    fs = min(p * cl.io, cl.fs)
    read_s = files[0] / fs                   # each rank reads its part of each input
    write_s = files[1] / fs  # every rank its rows (built: runtime/mpi_output.c), Dask too
    comp = [compute_s(g, c, p, cl.cores) for g, c in zip(groups, core_s)]
    p1 = serial_s + read_s + write_s + sum(c + comm_built_s(g, p, cl.net)
                                            for g, c in zip(groups, comp))
    c2 = sum(comm_owner_s(g, p, cl.net) for g in groups)
    p2 = serial_s + read_s + write_s + sum(comp) + c2
    dask = [serial_s + read_s + write_s + c2 + sum(
        max(c, dask_tasks(g) * o) for g, c in zip(groups, comp)) for o in DASK_TASK_S]
    return {"built_s": p1, "owner_s": p2, "dask_s": dask, "built_bytes": peak,
            "owner_bytes": owner_memory(groups, peak, p)}


def owner_memory(groups, peak, p):
    """Memory per rank owner-computes: the rank's share of the plan's peak, and of the
    largest transform's array (the transposes' receive buffer)."""
    fft = max([g.exchange_bytes for g in groups if g.kind == "transform"], default=0)
    return peak if p == 1 else -(-peak // p) + -(-fft // p)


def owner_nodes(groups, peak, memory):
    """The fewest nodes on which owner-computes fits in memory."""
    p = 1
    while owner_memory(groups, peak, p) > memory:
        p = max(p + 1, -(-(peak + max([g.exchange_bytes for g in groups], default=0)) // memory))
    return p


def one_node_check(groups, files, peak, calib):
    """The prediction for the calibration's own machine shape (1 node, its threads, no
    network), to compare with its measured CPU seconds / threads + serial seconds."""
    cl = Cluster(Net(0.0, 1.0, "none"), calib["threads"], peak or 1, math.inf, math.inf)
    return predict(groups, files, peak, core_seconds(groups, calib), calib["serial_s"], 1,
                   cl)["built_s"]


# ---- the report -----------------------------------------------------------------------

def fmt_s(s):
    if s >= 100:
        return f"{s:.0f}"
    if s >= 1:
        return f"{s:.2f}"
    return f"{s * 1e3:.1f} ms" if s < 0.1 else f"{s:.3f}"


def fmt_b(b):
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if b >= scale / 10:
            return f"{b / scale:.2f} {unit}" if unit == "GB" else f"{b / scale:.1f} {unit}"
    return f"{b:.0f} B"


def table(seed, groups, files, peak, calib, cl):
    cs = core_seconds(groups, calib)
    lines = [f"### {seed.title}", "",
             f"{len(groups)} groups, {sum(g.tiles for g in groups)} tiles; the memory plan's "
             f"peak (every buffer, allocated by each rank as built) {fmt_b(peak)}; reads "
             f"{fmt_b(files[0])}, writes {fmt_b(files[1])}; calibrated compute "
             f"{sum(cs):.1f} core-seconds. Exchanges per group (the most bytes one rank sends "
             "or receives, P = 2 and 1000; built (exact: the runtime's counts) / owner-computes "
             "(planned)):", ""]
    for g in groups:
        kinds = ", ".join(g.program.kinds(g.id)) or "none"
        lines.append(f"- g{g.id} {g.kind} ({g.name}, {g.tiles} tiles; built: {kinds}): "
                     f"P=2 {fmt_b(graph.built_bytes(g, 2))} / {fmt_b(graph.owner_bytes(g, 2))}; "
                     f"P=1000 {fmt_b(graph.built_bytes(g, 1000))} / "
                     f"{fmt_b(graph.owner_bytes(g, 1000))}")
    here = int(report.proc_field("/proc/meminfo", "MemTotal").split()[0]) * 1024

    def fits(limit):
        return "fits" if peak <= limit else "does not fit"
    lines += ["", f"As built, every rank allocates the whole plan, {fmt_b(peak)}, whatever the "
              "node count (it touches only the pages it writes or receives, but the memory "
              f"limit counts all of it): it {fits(cl.memory)} the assumed "
              f"{cl.memory / 2**30:.0f} GiB node and {fits(0.75 * here)} this machine (75% of "
              f"{fmt_b(here)}, the program's default limit). Owner-computes would fit from "
              f"{owner_nodes(groups, peak, cl.memory)} node(s) on.",
              "", "| nodes | cdask built s | cdask owner-computes (planned) s | Dask s (200 us - "
              "1 ms per task) | memory per rank, built (whole plan) | owner-computes memory "
              "(planned; Dask's workers: at least this) |",
              "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for p in NODES:
        r = predict(groups, files, peak, cs, calib["serial_s"], p, cl)
        over = "" if r["built_bytes"] <= cl.memory else " (does not fit)"
        lines.append(f"| {p} | {fmt_s(r['built_s'])} | {fmt_s(r['owner_s'])} | "
                     f"{fmt_s(r['dask_s'][0])} - {fmt_s(r['dask_s'][1])} | "
                     f"{fmt_b(r['built_bytes'])}{over} | {fmt_b(r['owner_bytes'])} |")
    lines.append("")
    return lines


def parse_size(text):
    units = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    t = text.upper().rstrip("B")
    return int(float(t[:-1]) * units[t[-1]]) if t and t[-1] in units else int(t)


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cdaskc", default=os.path.join(ROOT, "build", "cdaskc"))
    ap.add_argument("--seeds", default=",".join(SEEDS))
    ap.add_argument("--threads", type=int, default=2, help="the calibration runs' threads")
    ap.add_argument("--cores", type=int, default=32, help="cores per node (assumed)")
    ap.add_argument("--node-memory", default="256G", help="memory per node (assumed)")
    ap.add_argument("--latency", type=float, default=1.5e-6, help="seconds (assumed)")
    ap.add_argument("--bandwidth", type=float, default=12.5e9, help="bytes/s per link (assumed)")
    ap.add_argument("--io", type=float, default=2e9, help="file bytes/s per node (assumed)")
    ap.add_argument("--fs", type=float, default=50e9,
                    help="file bytes/s of the shared file system, all nodes (assumed)")
    ap.add_argument("--out", default=OUT, help="where model.md and calibration.json go")
    ap.add_argument("--calibration", metavar="FILE",
                    help="the network and calibration rows of an earlier run "
                         "(bench/out/mpi/calibration.json) instead of measuring again")
    args = ap.parse_args()
    args.seeds = [s for s in args.seeds.split(",") if s]
    for s in args.seeds:
        if s not in SEEDS:
            ap.error(f"--seeds: unknown seed {s!r}; seeds: {', '.join(SEEDS)}")
    return args


def main():
    args = parse_args()
    cdaskc = os.path.abspath(args.cdaskc)
    saved = None
    if args.calibration:
        try:
            with open(args.calibration) as f:
                saved = json.load(f)
        except (OSError, ValueError) as e:
            sys.exit(f"model.py: --calibration {args.calibration}: {e}")
        missing = [s for s in args.seeds if s not in saved["calibrations"]]
        if missing:
            sys.exit(f"--calibration {args.calibration}: no row for {', '.join(missing)}")
    net = saved["network"] if saved else probe_network()
    cl = Cluster(Net(args.latency, args.bandwidth, "assumed"), args.cores,
                 parse_size(args.node_memory), args.io, args.fs)
    loop = Net(net["latency_s"], net["bandwidth_Bps"], "measured loopback",
               graph.allreduce_bytes(net["allreduce_bytes"], 2) / net["allreduce_s"])
    cpu = (saved["calibrations"][args.seeds[0]]["cpu_model"] if saved and args.seeds
           else report.cpu_model())
    lines = ["## How cdask scales past one machine: the model (bench/mpi/model.py)", "",
             f"Calibrated on {cpu} with {args.threads} threads (MEASURED rows "
             "below). Network MEASURED on loopback (Open MPI, 2 ranks, shared memory): latency "
             f"{net['latency_s'] * 1e6:.2f} us, bandwidth {net['bandwidth_Bps'] / 1e9:.2f} GB/s, "
             f"allreduce of {net['allreduce_bytes'] / 2**20:.0f} MiB "
             f"{net['allreduce_s'] * 1e3:.1f} ms "
             f"({loop.allreduce / 1e9:.2f} GB/s of its volume, 2 n (P-1) / P; used for the "
             "allreduces on this machine). "
             f"Cluster ASSUMED: {args.cores} cores and {cl.memory / 2**30:.0f} GiB per node, one "
             f"rank per node, latency {args.latency * 1e6:.2f} us, {args.bandwidth / 1e9:.1f} GB/s "
             f"per link (100 Gb/s InfiniBand class), full bisection, {args.io / 1e9:.1f} GB/s "
             f"file I/O per node and {args.fs / 1e9:.0f} GB/s for the shared file system; cores "
             "as fast as the "
             "calibration's. Every time below is PREDICTED.", ""]
    calibs, shapes = {}, []
    for name in args.seeds:
        seed = SEEDS[name]
        script = os.path.join(ROOT, seed.script)
        if saved:
            calib = saved["calibrations"][name]
        else:
            with tempfile.TemporaryDirectory(prefix="cdask-model-") as d:
                if seed.inputs:
                    ska_inputs(seed.calib_size, d, real=True)
                calib = calibrate(cdaskc, script, d, args.threads)
        with tempfile.TemporaryDirectory(prefix="cdask-model-") as d:
            if seed.inputs:
                ska_inputs(seed.size, d, real=False)
            manifest, fused, program = graph.cdaskc_graph(cdaskc, script, d)
        groups, files = graph.groups_of(manifest, fused, program), graph.files_of(fused)
        calibs[name] = calib
        at = f" at {seed.calib_size}^2" if seed.calib_size else ""
        shapes.append(f"| {name} | {calib['script']}{at} | "
                      f"{calib['wall_s']:.3f} | {calib['cpu_s']:.3f} | {calib['serial_s']:.3f} | "
                      f"{calib['load_1min']:.2f} |")
        lines += table(seed, groups, files, manifest["peak_bytes"], calib, cl)
        # this machine, 2 ranks x 1 thread vs 1 x 2, loopback network: bench/mpi/run.py's rows
        if not seed.size:
            cs = core_seconds(groups, calib)
            one = Cluster(loop, args.threads, cl.memory, math.inf, math.inf)
            two = Cluster(loop, args.threads // 2 or 1, cl.memory, math.inf, math.inf)
            a = predict(groups, files, manifest["peak_bytes"], cs, calib["serial_s"], 1, one)
            b = predict(groups, files, manifest["peak_bytes"], cs, calib["serial_s"], 2, two)
            lines += [f"On this machine (loopback network, measured): 1 rank x {args.threads} "
                      f"threads {fmt_s(a['built_s'])} s, 2 ranks x {two.cores} thread(s) "
                      f"{fmt_s(b['built_s'])} s predicted (2x1 / 1x2 = "
                      f"{b['built_s'] / a['built_s']:.3f}; without mpirun's start, 0.2 to "
                      "0.7 s here; bench/mpi/run.py measures it).", ""]
    lines += ["### Calibration rows (MEASURED; of 3 runs, the one with the least CPU time)", "",
              "| pipeline | program | wall s | CPU s | serial s (wall - run) | load average |",
              "| --- | --- | ---: | ---: | ---: | ---: |", *shapes, ""]
    if saved and saved.get("note"):  # where a saved calibration came from
        lines += [f"Calibration file: {saved['note']}", ""]
    text = "\n".join(lines)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "model.md"), "w") as f:
        f.write(text)
    with open(os.path.join(args.out, "calibration.json"), "w") as f:
        json.dump({"network": net, "calibrations": calibs}, f, indent=1)
    print(text)


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, OSError, ValueError, subprocess.SubprocessError) as e:
        sys.exit(f"model.py: {e}")  # ValueError: emitted C exchange.py cannot read
