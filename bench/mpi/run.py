#!/usr/bin/python3
"""bench/mpi/run.py: what cdaskc --mpi (phase 1) costs on one machine (issue 14).

On a 2-core machine MPI cannot speed anything up; the question is its overhead. For each
pipeline of a suite of bench/spec.py (`--suite default`: the seven default pipelines;
`--suite fft`: the 2-D FFTs, whose input files bench/run.py makes once in bench/out/inputs/),
built once with and once without --mpi, three variants run interleaved, each a fresh process:
  plain    the program built without --mpi, 2 threads
  1x2      the --mpi build, mpirun -np 1, 2 OpenMP threads
  2x1      the --mpi build, mpirun -np 2, 1 thread each
Reports median wall times, 2x1 / 1x2 (issue 14's target: at most 1.15) and 1x2 / plain (what
mpirun's start costs), the geometric means, and the CPU model. The outputs of every variant
must be the same bits (checked). Every run gets --stats: where the program prints its MPI
traffic (`rank R: stats: mpi GROUP (WHERE): sent N bytes, received M bytes, S s`), the table
gives the bytes each rank of 2x1 sent and received, and the log each group's.

--warm-mb N (the fft suite's default: 6144; the default suite's: 0) writes N MB of fresh
memory, then frees it, right before each run. This VM hands freed guest memory back to its
host a few seconds after it is freed, and writing such pages again costs 0.25 to 4 GB/s
depending on the host (bench/README.md "Memory first touch"; measured: 1 GB in 0.25 to 4.3
s). The FFT rows hold 0.4 to 2 GB, so without warming their times measure the host's
memory more than the program: each variant starts on memory the host still backs, as on a
node of a cluster. The warming must cover the largest variant: 2x1's two ranks together
touch about twice 1x2's pages (each rank's column slab of a row-major array spans every
2 MB huge page of it), 3.2 GB for wiener_8192; with 3072 MB 2x1 alone ran partly on
memory the host backed anew, and its times spread twice as wide. Usage:
    /usr/bin/python3 bench/mpi/run.py [--suite default|fft] [--pipelines A,B] [--repeat 3]
                                      [--warm-mb N] [--cdaskc build/cdaskc]
Writes bench/out/mpi/results.md (results-fft.md for the fft suite).
"""
import argparse
import importlib.util
import os
import re
import shutil
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)

import measure  # noqa: E402
import report  # noqa: E402
import spec  # noqa: E402

OUT = os.path.join(BENCH, "out", "mpi")
# --stats under --mpi: one line per group that moved bytes, and a total (runtime/program.c)
TRAFFIC = re.compile(r"^(?:rank (\d+): )?stats: mpi (.*?): sent (\d+) bytes, "
                     r"received (\d+) bytes, ([0-9.]+) s$", re.M)


def bench_run():
    """bench/run.py as a module (its input-file makers are the fft suite's; this file is
    also called run.py, so it is loaded by path)."""
    spec_ = importlib.util.spec_from_file_location("bench_run", os.path.join(BENCH, "run.py"))
    mod = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(mod)
    return mod


def traffic(stderr):
    """{rank: {group or "total": (sent, received, seconds)}} from a run's --stats, {} if it
    printed no MPI traffic."""
    out = {}
    for m in TRAFFIC.finditer(stderr):
        out.setdefault(int(m[1] or 0), {})[m[2]] = (int(m[3]), int(m[4]), float(m[5]))
    return out


def warm(mb):
    """Writes mb MB of fresh memory and frees it: the next process's first touch finds
    pages the host still backs (see the module's docstring)."""
    if mb > 0:
        import numpy
        a = numpy.empty(mb << 17)  # float64: mb MB
        a.fill(1.0)
        del a


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cdaskc", default=os.path.join(ROOT, "build", "cdaskc"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--suite", choices=("default", "fft"), default="default",
                    help="the pipelines of bench/spec.py's suite (--pipelines overrides it)")
    ap.add_argument("--pipelines", help="pipeline names, comma-separated")
    ap.add_argument("--warm-mb", type=int, default=None,
                    help="MB of memory written and freed before each run (default: 6144 "
                         "for the fft suite, else 0)")
    args = ap.parse_args()
    names = (args.pipelines.split(",") if args.pipelines else
             [n for n, p in spec.PIPELINES.items() if p.suite == args.suite])
    args.names = [n for n in names if n]
    for n in args.names:
        if n not in spec.PIPELINES or spec.PIPELINES[n].suite not in ("default", "fft"):
            ap.error(f"--pipelines: {n!r} is not a pipeline of the default or fft suite")
    suites = {spec.PIPELINES[n].suite for n in args.names}
    if len(suites) == 1:  # --pipelines of one suite: its name goes into the results' title
        args.suite = suites.pop()
    if args.warm_mb is None:
        args.warm_mb = 6144 if args.suite == "fft" else 0
    return args


def build(cdaskc, name, exe, extra, cwd):
    """cwd: where cdaskc runs (the input files' directory: it reads their headers)."""
    r = measure.run([os.path.abspath(cdaskc), os.path.join(BENCH, "pipelines", name + ".lua"),
                     "-o", exe, *extra], 900, cwd=cwd or os.path.dirname(exe))
    if r.returncode != 0:
        sys.exit(f"cdaskc {' '.join(extra)} failed on {name}: {r.stderr.strip()}")


def main():
    args = parse_args()
    mpirun = shutil.which("mpirun")
    if not mpirun:
        sys.exit("bench/mpi/run.py: mpirun not found (scripts/install-deps.sh installs Open MPI)")
    names = args.names
    bindir = os.path.join(OUT, "bin")
    os.makedirs(bindir, exist_ok=True)
    launch = [mpirun, "--allow-run-as-root", "--oversubscribe", "--bind-to", "none"]
    walls, moved, inputs, runner = {}, {}, {}, None
    for n in names:
        if spec.PIPELINES[n].inputs:  # made once by bench/run.py's code, kept for later runs
            runner = runner or bench_run()
            inputs[n], why = runner.make_inputs(spec.PIPELINES[n], args, [])
            if why:
                sys.exit(f"{n}: {why}")
    for n in names:
        plain, mpi = os.path.join(bindir, n), os.path.join(bindir, n + ".mpi")
        build(args.cdaskc, n, plain, [], inputs.get(n))
        build(args.cdaskc, n, mpi, ["--mpi"], inputs.get(n))
        variants = {
            "plain": ([plain], "2"),
            "1x2": (launch + ["-np", "1", "-x", "OMP_NUM_THREADS", mpi], "2"),
            "2x1": (launch + ["-np", "2", "-x", "OMP_NUM_THREADS", mpi], "1"),
        }
        for i in range(args.repeat):
            bits = {}
            for v, (cmd, threads) in variants.items():
                env = dict(os.environ, OMP_NUM_THREADS=threads)
                with tempfile.TemporaryDirectory(prefix="cdask-mpi-") as out:
                    if n in inputs:
                        runner.stage(inputs[n], out)
                    warm(args.warm_mb)
                    r = measure.run(cmd + ["--out", out, "--stats"], args.timeout, env=env,
                                    cwd=out)
                    bad = measure.failure(r, args.timeout)
                    if bad:
                        sys.exit(f"{n} {v}: {bad}")
                    walls.setdefault((n, v), []).append(r.wall_s)
                    if i == 0:
                        moved[n, v] = traffic(r.stderr)
                    with open(os.path.join(out, spec.RESULT_FILE), "rb") as f:
                        bits[v] = f.read()
            if len(set(bits.values())) != 1:
                sys.exit(f"{n}: the variants' results differ")
            print(f"{n} run {i + 1}: " + ", ".join(
                f"{v} {walls[n, v][-1]:.3f} s" for v in variants), file=sys.stderr)

    med = {k: statistics.median(w) for k, w in walls.items()}
    command = " ".join(["/usr/bin/python3 bench/mpi/run.py", *sys.argv[1:]])
    lines = [f"## cdaskc --mpi phase 1 on one machine (issue 14), suite {args.suite}, `{command}`",
             "", f"CPU: {report.cpu_model()}; median of {args.repeat} interleaved runs, each a "
             "fresh process (mpirun's start included); results bitwise equal across variants; "
             f"{args.warm_mb} MB of memory written and freed before each run (--warm-mb).",
             "MB sent / received per rank: 2x1's MPI traffic by rank 0 and rank 1 as its "
             "`--stats` counts it (— where the program does not print it).",
             "", "| pipeline | plain 2 threads s | mpirun 1x2 s | mpirun 2x1 s | 2x1 / 1x2 | "
             "1x2 / plain | 2x1 MB sent / received per rank |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    r21, r1p, groups = [], [], []
    for n in names:
        a, b, c = med[n, "plain"], med[n, "1x2"], med[n, "2x1"]
        r21.append(c / b)
        r1p.append(b / a)
        per_rank = moved.get((n, "2x1"), {})
        mb = "; ".join(f"{t['total'][0] / 1e6:.1f} / {t['total'][1] / 1e6:.1f}"
                       for _, t in sorted(per_rank.items()) if "total" in t) or "—"
        lines.append(f"| {n} | {a:.3f} | {b:.3f} | {c:.3f} | {c / b:.3f} | {b / a:.3f} | {mb} |")
        for rank, t in sorted(per_rank.items()):
            groups += [f"- {n} 2x1 rank {rank} {g}: sent {s} bytes, received {r} bytes, {sec:.4f} s"
                       for g, (s, r, sec) in t.items() if g != "total"]

    lines += ["", f"Geometric means: 2x1 / 1x2 {report.gmean(r21):.3f} (target <= 1.15); "
              f"1x2 / plain {report.gmean(r1p):.3f}."]
    if groups:
        lines += ["", "Bytes moved per group (2x1, first run, each rank's `--stats`):", "", *groups]
    text = "\n".join(lines) + "\n"
    name = "results.md" if args.suite == "default" else f"results-{args.suite}.md"
    with open(os.path.join(OUT, name), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
