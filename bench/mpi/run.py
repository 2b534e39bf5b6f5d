#!/usr/bin/python3
"""bench/mpi/run.py: what cdaskc --mpi (phase 1) costs on one machine (issue 14).

On a 2-core machine MPI cannot speed anything up; the question is its overhead. For each of
the seven default pipelines (bench/spec.py, bench/pipelines/NAME.lua), built once with and
once without --mpi, four variants run interleaved, each a fresh process:
  plain    the program built without --mpi, 2 threads
  1x2      the --mpi build, mpirun -np 1, 2 OpenMP threads
  2x1      the --mpi build, mpirun -np 2, 1 thread each
Reports median wall times, 2x1 / 1x2 (issue 14's target: at most 1.15) and 1x2 / plain (what
mpirun's start costs), the geometric means, and the CPU model. The outputs of every variant
must be the same bits (checked). Usage:
    /usr/bin/python3 bench/mpi/run.py [--cdaskc build/cdaskc] [--repeat 3]
"""
import argparse
import os
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


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cdaskc", default=os.path.join(ROOT, "build", "cdaskc"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--pipelines", default=",".join(
        n for n, p in spec.PIPELINES.items() if p.suite == "default"))
    return ap.parse_args()


def build(cdaskc, name, exe, extra):
    r = measure.run([os.path.abspath(cdaskc), os.path.join(BENCH, "pipelines", name + ".lua"),
                     "-o", exe, *extra], 900, cwd=os.path.dirname(exe))
    if r.returncode != 0:
        sys.exit(f"cdaskc {' '.join(extra)} failed on {name}: {r.stderr.strip()}")


def main():
    args = parse_args()
    mpirun = shutil.which("mpirun")
    if not mpirun:
        sys.exit("bench/mpi/run.py: mpirun not found (scripts/install-deps.sh installs Open MPI)")
    names = [n for n in args.pipelines.split(",") if n]
    bindir = os.path.join(OUT, "bin")
    os.makedirs(bindir, exist_ok=True)
    launch = [mpirun, "--allow-run-as-root", "--oversubscribe", "--bind-to", "none"]
    walls = {}
    for n in names:
        plain, mpi = os.path.join(bindir, n), os.path.join(bindir, n + ".mpi")
        build(args.cdaskc, n, plain, [])
        build(args.cdaskc, n, mpi, ["--mpi"])
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
                    r = measure.run(cmd + ["--out", out], args.timeout, env=env, cwd=out)
                    bad = measure.failure(r, args.timeout)
                    if bad:
                        sys.exit(f"{n} {v}: {bad}")
                    walls.setdefault((n, v), []).append(r.wall_s)
                    with open(os.path.join(out, spec.RESULT_FILE), "rb") as f:
                        bits[v] = f.read()
            if len(set(bits.values())) != 1:
                sys.exit(f"{n}: the variants' results differ")
            print(f"{n} run {i + 1}: " + ", ".join(
                f"{v} {walls[n, v][-1]:.3f} s" for v in variants), file=sys.stderr)

    med = {k: statistics.median(w) for k, w in walls.items()}
    lines = ["## cdaskc --mpi phase 1 on one machine (issue 14), `/usr/bin/python3 bench/mpi/run.py`",
             "", f"CPU: {report.cpu_model()}; median of {args.repeat} interleaved runs, each a "
             "fresh process (mpirun's start included); results bitwise equal across variants.",
             "", "| pipeline | plain 2 threads s | mpirun 1x2 s | mpirun 2x1 s | 2x1 / 1x2 | "
             "1x2 / plain |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    r21, r1p = [], []
    for n in names:
        a, b, c = med[n, "plain"], med[n, "1x2"], med[n, "2x1"]
        r21.append(c / b)
        r1p.append(b / a)
        lines.append(f"| {n} | {a:.3f} | {b:.3f} | {c:.3f} | {c / b:.3f} | {b / a:.3f} |")

    lines += ["", f"Geometric means: 2x1 / 1x2 {report.gmean(r21):.3f} (target <= 1.15); "
              f"1x2 / plain {report.gmean(r1p):.3f}."]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
