#!/usr/bin/python3
"""The stencil benchmark of issue 12: a 5x5 Gaussian (a C kernel, gaussian5.c) over an
N x N float64 image with map_overlap (depth 2, boundary "reflect"), then the mean, under
three peers in the same run: cdask (stencil.lua compiled by cdaskc), Dask (stencil_dask.py)
and hand-written C + OpenMP (hand.c, built with cdaskc's C flags). Every run is a fresh
process, runs are interleaved, medians are reported with the ratios Dask / cdask and
cdask / hand C, and the value each peer printed (they must agree: the image and the stencil
are exact in binary, only the final division could differ).
Prints a Markdown section for bench/RESULTS.md (also written to bench/out/stencil/results.md).
See bench/README.md, "The stencil benchmark". Run with Debian's Python:
    /usr/bin/python3 bench/stencil/run.py
"""
import argparse
import os
import re
import shlex
import shutil
import statistics
import sys
import tempfile

STENCIL = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(STENCIL)
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

import measure  # noqa: E402
import report  # noqa: E402

OUT = os.path.join(BENCH, "out", "stencil")
VALUE_TOL = 1e-12  # largest relative difference of the printed means


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10000, help="the image is N x N (default 10000)")
    ap.add_argument("--chunks", default="1000,2500", help="chunk sizes, comma-separated (default 1000,2500)")
    ap.add_argument("--repeat", type=int, default=5, help="runs per peer (default 5)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--peers", default="cdask,handc,dask")
    ap.add_argument("--cdaskc", default=os.path.join(ROOT, "build", "cdaskc"))
    ap.add_argument("--timeout", type=float, default=900, help="seconds per run / compile")
    args = ap.parse_args()
    args.chunks = [int(c) for c in args.chunks.split(",") if c]
    args.peers = [p for p in args.peers.split(",") if p]
    for bad in [p for p in args.peers if p not in report.ENGINE_LABEL or p == "numpy"]:
        ap.error(f"unknown peer {bad!r} (cdask, handc, dask)")
    return args


def cdask_cflags():
    """The flags cdaskc compiles its programs with: compiler/cc.c's base_flags."""
    with open(os.path.join(ROOT, "compiler", "cc.c")) as f:
        m = re.search(r'base_flags\[\]\s*=\s*"([^"]*)"', f.read())
    if not m:
        sys.exit("run.py: cannot find base_flags in compiler/cc.c")
    return m.group(1).split()


class Peer:
    """One peer at one chunk size: how to run it, and what its runs gave."""

    def __init__(self, engine, chunk):
        self.engine, self.chunk = engine, chunk
        self.cmd, self.status = None, None
        self.walls, self.cpu, self.rss_kib, self.compute, self.values = [], [], [], [], []

    @property
    def label(self):
        return report.ENGINE_LABEL[self.engine]

    def median(self):
        return statistics.median(self.walls) if self.walls else None


def shown(cmd, env):
    """A command as the report shows it: paths under the source tree relative to it."""
    words = [os.path.relpath(w, ROOT) if w.startswith(ROOT + os.sep) else w for w in cmd]
    extra = [f"{k}={v}" for k, v in sorted((env or {}).items()) if k.startswith("STENCIL_")]
    return shlex.join(extra + words)


def build(cmd, env, cwd, timeout, log):
    """Runs a build command; returns None or why it failed (its last line of output)."""
    r = measure.run(cmd, timeout, env=env, cwd=cwd)
    why = measure.failure(r, timeout)
    where = f" (in {os.path.relpath(cwd, ROOT)})" if cwd else ""
    log.append(f"{'FAILED (' + why + ')' if why else f'{r.wall_s:.2f} s'}: `{shown(cmd, env)}`{where}")
    print(f"build {log[-1]}", file=sys.stderr)
    if why and r.stderr.strip():
        print(r.stderr.rstrip(), file=sys.stderr)
        why = r.stderr.strip().splitlines()[-1][:300]
    return why


def prepare(args, log):
    """Builds hand C and the cdask programs; returns the peers, in the table's order."""
    os.makedirs(OUT, exist_ok=True)
    peers = []
    if "handc" in args.peers:
        p = Peer("handc", None)
        cc = shutil.which(os.environ.get("CC") or "cc")
        exe = os.path.join(OUT, f"hand_{args.n}")
        why = build([cc, *cdask_cflags(), f"-DN={args.n}", os.path.join(STENCIL, "hand.c"), "-o", exe],
                    None, None, args.timeout, log)
        p.cmd, p.status = [exe], why and f"hand.c did not compile: {why}"
        peers.append(p)
    for chunk in args.chunks:
        if "cdask" in args.peers:
            p = Peer("cdask", chunk)
            cdaskc = shutil.which(args.cdaskc)
            exe = os.path.join(OUT, f"cdask_{args.n}_c{chunk}")
            if not cdaskc:
                p.status = f"cdaskc not found at {args.cdaskc}"
            else:
                env = dict(os.environ, STENCIL_N=str(args.n), STENCIL_CHUNK=str(chunk))
                why = build([cdaskc, "stencil.lua", "-o", exe], env, STENCIL, args.timeout, log)
                p.cmd, p.status = [exe], why and f"cdaskc could not compile stencil.lua: {why}"
            if p.status:
                print(f"\n!!!!!!!! cdask c{chunk}: {p.status}: the other peers still run !!!!!!!!\n",
                      file=sys.stderr)
            peers.append(p)
        if "dask" in args.peers:
            p = Peer("dask", chunk)
            p.cmd = [sys.executable, os.path.join(STENCIL, "stencil_dask.py"), "--n", str(args.n),
                     "--chunk", str(chunk), "--threads", str(args.threads)]
            peers.append(p)
    return peers


def run_all(peers, args, env):
    """args.repeat runs of every peer, interleaved (run 1 of each, then run 2, ...)."""
    for i in range(args.repeat):
        for p in peers:
            if p.status:
                continue
            with tempfile.TemporaryDirectory(prefix="cdask-stencil-") as tmp:
                r = measure.run(p.cmd, args.timeout, env=env, cwd=tmp)
            p.status = measure.failure(r, args.timeout)
            m = re.search(r"^mean = (\S+)$", r.stdout, re.M)
            if not p.status and not m:
                p.status = "printed no 'mean = ...' line"
            if p.status:
                print(f"{p.label} c{p.chunk} run {i + 1}: FAILED {p.status}", file=sys.stderr)
                continue
            p.walls.append(r.wall_s)
            p.cpu.append(r.cpu_s)
            p.rss_kib.append(r.maxrss_kib)
            p.values.append(float(m.group(1)))
            if p.engine == "dask":
                p.compute.append(float(re.search(r'"compute_s": ([0-9.e+-]+)', r.stdout).group(1)))
            print(f"{p.label} chunks {p.chunk or '-'} run {i + 1}/{args.repeat}: {r.wall_s:.2f} s wall, "
                  f"mean = {m.group(1)}", file=sys.stderr)


def fmt(x, spec=".2f"):
    return "—" if x is None else format(x, spec)


def ratio(a, b):
    return a / b if a is not None and b else None


def section(args, peers, machine, log):
    hand = next((p for p in peers if p.engine == "handc" and p.walls), None)
    ref = hand or next((p for p in peers if p.values), None)
    head = ("| peer | chunks | median wall s | min | max | CPU s | peak RSS MB | in-process s "
            "| Dask / cdask | cdask / hand C | mean printed | note |")
    rows = [head, "|" + "---|" * (head.count("|") - 1)]
    checks, targets = [], []
    for p in peers:
        dask = next((q for q in peers if q.engine == "dask" and q.chunk == p.chunk), None)
        r_dask = ratio(dask.median(), p.median()) if p.engine == "cdask" and dask else None
        r_hand = ratio(p.median(), hand.median()) if p.engine == "cdask" and hand else None
        rows.append(" | ".join([
            f"| {p.label}", str(p.chunk or "—"), fmt(p.median()), fmt(min(p.walls, default=None)),
            fmt(max(p.walls, default=None)), fmt(statistics.median(p.cpu) if p.cpu else None),
            fmt(max(p.rss_kib) / 1024 if p.rss_kib else None, ".0f"),
            fmt(statistics.median(p.compute) if p.compute else None), fmt(r_dask, ".1f"),
            fmt(r_hand), repr(p.values[0]) if p.values else "—", (p.status or "") + " |"]))
        if p.values:
            if len(set(p.values)) > 1:
                checks.append(f"MISMATCH: {p.label} chunks {p.chunk} printed different values in "
                              f"its runs: {sorted(set(p.values))}")
            if p is not ref:
                rel = abs(p.values[0] - ref.values[0]) / abs(ref.values[0])
                same = "the same bits" if p.values[0] == ref.values[0] else f"relative difference {rel:.1e}"
                checks.append(("" if rel <= VALUE_TOL else "MISMATCH: ")
                              + f"{p.label} chunks {p.chunk or '—'} vs {ref.label}: {same}")
        if r_dask is not None:
            targets.append(f"chunks {p.chunk}: Dask / cdask {r_dask:.1f} (target >= 10: "
                           f"{'met' if r_dask >= 10 else 'NOT met'})")
        if r_hand is not None:
            targets.append(f"chunks {p.chunk}: cdask / hand C {r_hand:.2f} (target <= 1.2: "
                           f"{'met' if r_hand <= 1.2 else 'NOT met'})")
    command = shlex.join(["/usr/bin/python3", "bench/stencil/run.py", *sys.argv[1:]])
    parts = [f"## Stencil (issue 12), `{command}`", "",
             f"A {args.n}x{args.n} float64 image, `map_overlap` of a 5x5 Gaussian written in C "
             f"(bench/stencil/gaussian5.c), depth 2, boundary \"reflect\", then `.mean()`; "
             f"median of {args.repeat} runs, {args.threads} threads for every peer, every run a "
             "fresh process (wall time from spawn to exit: for cdask and hand C this includes "
             "making the image; for Dask also starting Python and importing Dask).", "",
             *[f"- {m}" for m in machine], "", *rows, "", "Targets:", "",
             *[f"- {t}" for t in targets or ["no cdask row has a time: nothing to compare"]], "",
             "Values (every peer must print the same mean to 1e-12 relative):", "",
             *[f"- {c}" for c in checks or ["fewer than two peers printed a value"]], "",
             "Builds:", "", *[f"- {b}" for b in log], ""]
    return "\n".join(parts) + "\n", any(c.startswith("MISMATCH") for c in checks)


def main():
    args = parse_args()
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads),
               OPENBLAS_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads))
    machine = report.machine(args.threads, ROOT, measure.floor_kib())
    log = []
    peers = prepare(args, log)
    run_all(peers, args, env)
    machine.append(f"load average (1 min) at end: {os.getloadavg()[0]:.2f}")
    text, mismatch = section(args, peers, machine, log)
    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write(text)
    print(text)
    if mismatch:
        print("!!!!!!!! VALUE MISMATCH, see above !!!!!!!!", file=sys.stderr)
    return 1 if mismatch else 0


if __name__ == "__main__":
    sys.exit(main())
