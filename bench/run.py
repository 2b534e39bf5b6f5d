#!/usr/bin/python3
"""Benchmark harness: every pipeline under cdask, hand-written C, Dask and NumPy, one
subprocess per run.
See bench/README.md. Run with Debian's Python: /usr/bin/python3 bench/run.py"""
import argparse
import importlib.util
import json
import os
import shlex
import shutil
import sys
import tempfile

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
if not all(importlib.util.find_spec(m) for m in ("numpy", "dask")):
    sys.exit("run.py needs numpy and dask: run it with Debian's Python: /usr/bin/python3 bench/run.py")

import numpy as np  # noqa: E402
import measure  # noqa: E402
import report  # noqa: E402
from spec import ENGINES, PIPELINES, RESULT_FILE  # noqa: E402

BINDIR = os.path.join(BENCH, "out", "bin")
# The flags cdaskc compiles its programs with (compiler/main.c), for the hand C baselines.
CDASK_CFLAGS = ["-std=c11", "-O3", "-fopenmp", "-ffp-contract=off", "-fno-math-errno"]
SAME_RANDOM = {"cdask", "handc"}  # engines with the same random numbers: results must agree
PROBE_SHRINK = 5      # the NumPy memory probe runs at 1/5 of every dimension
MEM_HEADROOM = 0.9    # NumPy runs only if its extrapolated peak < 90% of MemAvailable


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--suite", choices=("default", "scale", "all"), default="default",
                    help="which pipelines run (see spec.py); --only overrides it")
    ap.add_argument("--only", help="pipeline name(s), comma-separated")
    ap.add_argument("--cdaskc", default=os.path.join(ROOT, "build", "cdaskc"))
    ap.add_argument("--cdaskc-flags", default="", help='extra cdaskc flags, e.g. "--native"')
    ap.add_argument("--handc-flags", default="", help='extra cc flags for hand C, e.g. "-march=native"')
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=900, help="seconds per run / compile")
    argv = sys.argv[1:]  # let the -flags options take a value that starts with "-"
    for i in range(len(argv) - 1):
        if argv[i] in ("--cdaskc-flags", "--handc-flags"):
            argv[i:i + 2] = [f"{argv[i]}={argv[i + 1]}"]
    args = ap.parse_args(argv)
    args.engines = [e for e in args.engines.split(",") if e]
    args.names = (args.only.split(",") if args.only else
                  [n for n, p in PIPELINES.items() if args.suite in ("all", p.suite)])
    for bad in [e for e in args.engines if e not in ENGINES] + [n for n in args.names if n not in PIPELINES]:
        ap.error(f"unknown engine or pipeline {bad!r}; pipelines: {', '.join(PIPELINES)}")
    return args


def build(engine, cmds, args, log):
    """Run each build command {name: (cmd, exe)}; returns {name: (True, exe) or (False, reason)}."""
    os.makedirs(BINDIR, exist_ok=True)
    built = {}
    for name, (cmd, exe) in cmds.items():
        r = measure.run(cmd, args.timeout)
        reason = measure.failure(r, args.timeout)
        built[name] = (False, f"compile failed: {reason}") if reason else (True, exe)
        log.append(f"{name}: {'FAILED ' + reason if reason else f'{r.wall_s:.2f} s'}  (`{shlex.join(cmd)}`)")
        print(f"{engine} build {log[-1]}", file=sys.stderr)
    return built


def compile_cdask(args, names, log):
    """Compile each pipeline once with cdaskc."""
    cdaskc = shutil.which(args.cdaskc)
    if not cdaskc:
        reason = f"cdaskc not found at {args.cdaskc}"
        print(f"cdask: {reason} (build it, or pass --cdaskc PATH)", file=sys.stderr)
        return {n: (False, reason) for n in names}
    log.append(f"`{cdaskc} --version`: {report.first_line([cdaskc, '--version'])}")
    return build("cdask", {n: ([cdaskc, *shlex.split(args.cdaskc_flags),
                                os.path.join(BENCH, "pipelines", n + ".lua"), "-o", exe], exe)
                           for n in names for exe in [os.path.join(BINDIR, n)]}, args, log)


def runtime_paths(cdaskc):
    """The runtime header directory and libcdrt.a of the CMake build directory of cdaskc."""
    build_dir, src = os.path.dirname(os.path.abspath(cdaskc)), ROOT
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
            src = next((ln.split("=", 1)[1].strip() for ln in f
                        if ln.startswith("CMAKE_HOME_DIRECTORY:")), ROOT)
    except OSError:
        pass
    return os.path.join(src, "runtime"), os.path.join(build_dir, "libcdrt.a")


def compile_handc(args, names, log):
    """Compile each hand-written baseline (bench/baseline/) once, with cdaskc's C flags and
    the runtime library of cdaskc's build; spec.py gives the source and -D flags."""
    include, lib = runtime_paths(shutil.which(args.cdaskc) or args.cdaskc)
    if not os.path.exists(lib):
        return {n: (False, f"runtime library not found at {lib}") for n in names}
    cc = shutil.which(os.environ.get("CC") or "cc")
    log.append(f"`{cc} --version`: {report.first_line([cc, '--version'])}")
    cmds = {}
    for n in names:
        p = PIPELINES[n]
        src, *defines = (p.handc or n + ".c").split()
        exe = os.path.join(BINDIR, "handc_" + n)
        cmds[n] = ([cc, *CDASK_CFLAGS, *shlex.split(args.handc_flags), f"-I{include}",
                    f"-DROWS={p.shape[0]}", f"-DCOLS={p.shape[1]}", *defines,
                    os.path.join(BENCH, "baseline", src), lib, "-lsleef", "-lm", "-o", exe], exe)
    return build("handc", cmds, args, log)


def python_cmd(engine, name, *extra):
    return [sys.executable, os.path.join(BENCH, f"engine_{engine}.py"), name, *extra]


def numpy_fits(name, args, log):
    """Measure NumPy's memory need at reduced size, extrapolate; None if it fits, else why not."""
    base = measure.run(python_cmd("numpy", name, "--shrink", "1000"), args.timeout)
    probe = measure.run(python_cmd("numpy", name, "--shrink", str(PROBE_SHRINK)), args.timeout)
    for r in (base, probe):
        if measure.failure(r, args.timeout):
            return f"memory probe failed: {measure.failure(r, args.timeout)}"
    need = base.maxrss_kib + (probe.maxrss_kib - base.maxrss_kib) * PROBE_SHRINK ** 2
    avail = int(report.proc_field("/proc/meminfo", "MemAvailable").split()[0])
    fits = need < MEM_HEADROOM * avail
    msg = f"needs ~{need / 2**20:.1f} GiB (probe at 1/{PROBE_SHRINK} per dim), {avail / 2**20:.1f} GiB available"
    log.append(f"{name}: {msg}{'' if fits else ' -> skipped'}")
    print(f"numpy memory: {log[-1]}", file=sys.stderr)
    return None if fits else msg


def check(p, engine, path, refs, log):
    """Compare one result with the expectation and with the other engines' results where
    they must agree: deterministic inputs, or the same random numbers (cdask and hand C)."""
    try:
        r = np.load(path)
    except (OSError, ValueError) as e:
        return [f"{p.name} {engine}: cannot read {RESULT_FILE}: {e}"]
    if r.shape != p.out_shape:
        return [f"{p.name} {engine}: result shape {r.shape}, expected {p.out_shape}"]
    bad, mean = [], float(np.mean(r))
    if not abs(mean - p.expect_mean) <= p.tol:
        bad.append(f"{p.name} {engine}: mean of result {mean!r}, expected {p.expect_mean!r} ± {p.tol:g}")
    log.append(f"{p.name} {engine}: mean of result {mean:.12g} (expected {p.expect_mean:.12g})")
    for other, ref in refs.items():
        if p.exact or {engine, other} <= SAME_RANDOM:
            rel = float(np.max(np.abs(r - ref)) / np.max(np.abs(ref)))
            log.append(f"{p.name} {engine} vs {other}: max difference / max |value| {rel:.3g}")
            if not rel <= 1e-12:
                bad.append(f"{p.name}: {engine} and {other} differ, max difference / max |value| {rel:.3g}")
    refs[engine] = r
    return bad


def run_pipeline(name, args, env, built, outcomes, logs):
    p, refs, active, skip = PIPELINES[name], {}, [], dict(PIPELINES[name].skip)
    for engine in args.engines:
        if engine not in p.engines and engine not in skip:
            continue
        o = outcomes[name, engine] = report.Outcome(name, engine)
        if engine in skip:
            o.status = skip[engine]
        elif engine in built and not built[engine][name][0]:
            o.status = built[engine][name][1]
        elif engine == "numpy" and (why := numpy_fits(name, args, logs["NumPy memory probe"])):
            o.status = f"skipped: {why}"
        else:
            active.append(engine)
    for i in range(args.repeat):
        for engine in list(active):
            if i > 0 and engine in p.once:
                continue
            o = outcomes[name, engine]
            with tempfile.TemporaryDirectory(prefix="cdask-bench-") as out:
                cmd = ([built[engine][name][1], "--out", out] if engine == "cdask" else
                       [built[engine][name][1]] if engine == "handc" else
                       python_cmd(engine, name, "--out", out, "--threads", str(args.threads)))
                r = measure.run(cmd, args.timeout, env=env, cwd=out)
                o.status = measure.failure(r, args.timeout)
                if o.status:
                    active.remove(engine)
                    print(f"{name} {engine} run {i + 1}: FAILED {o.status}", file=sys.stderr)
                    continue
                o.walls.append(r.wall_s)
                o.cpu.append(r.cpu_s)
                o.rss_kib.append(r.maxrss_kib)
                if engine in ("dask", "numpy"):
                    o.compute.append(json.loads(r.stdout.strip().splitlines()[-1])["compute_s"])
                if i == 0:
                    for bad in check(p, engine, os.path.join(out, RESULT_FILE), refs, logs["Checks"]):
                        logs["MISMATCHES"].append(bad)
                        print(f"\n!!!!!!!! MISMATCH: {bad} !!!!!!!!\n", file=sys.stderr)
            print(f"{name} {engine} run {i + 1}/{args.repeat}: {r.wall_s:.2f} s wall, "
                  f"{r.maxrss_kib / 1024:.0f} MB peak RSS", file=sys.stderr)


def main():
    args = parse_args()
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads),
               OPENBLAS_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads))
    machine = report.machine(args.threads, ROOT, measure.floor_kib())
    logs = {"MISMATCHES": [], "Checks": [], "Chunk sweep": [], "cdask time per chunk": [],
            "cdask compile times": [], "hand C compile times": [], "NumPy memory probe": []}
    built = {}
    for engine, compile_ in (("cdask", compile_cdask), ("handc", compile_handc)):
        names = [n for n in args.names if engine in PIPELINES[n].engines]
        if engine in args.engines and names:
            built[engine] = compile_(args, names, logs[f"{report.ENGINE_LABEL[engine]} compile times"])
    outcomes = {}
    for name in args.names:
        run_pipeline(name, args, env, built, outcomes, logs)
    outcomes = list(outcomes.values())
    table = report.table(outcomes)
    logs["Chunk sweep"] = report.groups(outcomes, PIPELINES)
    logs["cdask time per chunk"] = report.per_chunk(outcomes, PIPELINES)
    machine.append(f"load average (1 min) at end: {os.getloadavg()[0]:.2f}")
    command = shlex.join(["/usr/bin/python3", "bench/run.py", *sys.argv[1:]])
    doc = report.document(command, machine, table, logs.items())
    os.makedirs(os.path.join(BENCH, "out"), exist_ok=True)
    with open(os.path.join(BENCH, "out", "results.md"), "w") as f:
        f.write(doc)
    print(doc)
    if logs["MISMATCHES"]:
        print(f"!!!!!!!! {len(logs['MISMATCHES'])} RESULT MISMATCH(ES), see above !!!!!!!!", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
