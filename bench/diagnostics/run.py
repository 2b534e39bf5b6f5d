#!/usr/bin/python3
"""bench/diagnostics/run.py: what the diagnostics of issue 13 cost, on the default suite.

For each of the seven default pipelines (bench/spec.py, bench/pipelines/NAME.lua) three
variants run, interleaved, each a fresh process:
  plain     the program compiled by --cdaskc, no flag (every task through cdrt_task's
            one branch)
  profile   the same program with --profile FILE.json (every task recorded, a sampler
            thread, the trace written after the run: its time is part of the run's)
  baseline  the program compiled by --baseline-cdaskc (e.g. a build of the commit before
            the diagnostics), no flag; skipped when not given
Reports the median wall time of each, profile / plain (target: at most 1.03) and
plain / baseline (target: 1.00 within noise), their geometric means over the suite, and the
CPU model. The results of the variants must be the same bits (checked).
Usage:
    /usr/bin/python3 bench/diagnostics/run.py [--cdaskc build/cdaskc]
        [--baseline-cdaskc OLD/build/cdaskc] [--repeat 5] [--threads 2]
"""
import argparse
import os
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

OUT = os.path.join(BENCH, "out", "diagnostics")


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cdaskc", default=os.path.join(ROOT, "build", "cdaskc"))
    ap.add_argument("--baseline-cdaskc", default=None)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--pipelines", default=",".join(
        n for n, p in spec.PIPELINES.items() if p.suite == "default"))
    return ap.parse_args()


def compile_all(cdaskc, names, bindir, tag):
    os.makedirs(bindir, exist_ok=True)
    exes = {}
    for n in names:
        exe = os.path.join(bindir, f"{n}.{tag}")
        r = measure.run([os.path.abspath(cdaskc), os.path.join(BENCH, "pipelines", n + ".lua"),
                         "-o", exe], 900, cwd=bindir)
        if r.returncode != 0:
            sys.exit(f"{tag}: cdaskc failed on {n}: {r.stderr.strip()}")
        exes[n] = exe
    return exes


def result_bytes(d):
    with open(os.path.join(d, spec.RESULT_FILE), "rb") as f:
        return f.read()


def main():
    args = parse_args()
    names = [n for n in args.pipelines.split(",") if n]
    bindir = os.path.join(OUT, "bin")
    variants = {"plain": (compile_all(args.cdaskc, names, bindir, "new"), False)}
    variants["profile"] = (variants["plain"][0], True)
    if args.baseline_cdaskc:
        variants["baseline"] = (compile_all(args.baseline_cdaskc, names, bindir, "old"), False)
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    walls = {(n, v): [] for n in names for v in variants}
    for n in names:
        for i in range(args.repeat):
            bits = {}
            for v, (exes, profile) in variants.items():
                with tempfile.TemporaryDirectory(prefix="cdask-diag-") as out:
                    cmd = [exes[n], "--out", out]
                    if profile:
                        cmd += ["--profile", os.path.join(out, "trace.json")]
                    r = measure.run(cmd, args.timeout, env=env, cwd=out)
                    bad = measure.failure(r, args.timeout)
                    if bad:
                        sys.exit(f"{n} {v}: {bad}")
                    walls[n, v].append(r.wall_s)
                    bits[v] = result_bytes(out)
            if len(set(bits.values())) != 1:
                sys.exit(f"{n}: the variants' results differ ({', '.join(bits)})")
            print(f"{n} run {i + 1}: " + ", ".join(
                f"{v} {walls[n, v][-1]:.3f} s" for v in variants), file=sys.stderr)

    med = {k: statistics.median(w) for k, w in walls.items()}
    lines = ["## Diagnostics overhead (issue 13)", "",
             f"CPU: {report.cpu_model()}; {args.threads} threads; median of {args.repeat} "
             "interleaved runs; each run a fresh process; results bitwise equal across variants.",
             "", "| pipeline | plain s | --profile s | profile / plain |" +
             (" baseline s | plain / baseline |" if "baseline" in variants else ""),
             "| --- | ---: | ---: | ---: |" + (" ---: | ---: |" if "baseline" in variants else "")]
    prof_ratios, base_ratios = [], []
    for n in names:
        rp = med[n, "profile"] / med[n, "plain"]
        prof_ratios.append(rp)
        row = f"| {n} | {med[n, 'plain']:.3f} | {med[n, 'profile']:.3f} | {rp:.3f} |"
        if "baseline" in variants:
            rb = med[n, "plain"] / med[n, "baseline"]
            base_ratios.append(rb)
            row += f" {med[n, 'baseline']:.3f} | {rb:.3f} |"
        lines.append(row)

    lines += ["", f"Geometric mean of profile / plain: {report.gmean(prof_ratios):.3f} (target <= 1.03)."]
    if base_ratios:
        lines.append(f"Geometric mean of plain / baseline: {report.gmean(base_ratios):.3f} "
                     "(target 1.00 within noise).")
    text = "\n".join(lines) + "\n"
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
