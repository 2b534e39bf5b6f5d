#!/usr/bin/python3
"""Benchmark harness: every pipeline under cdask, hand-written C, Dask and NumPy, one
subprocess per run.
See bench/README.md. Run with Debian's Python: /usr/bin/python3 bench/run.py"""
import argparse
import hashlib
import importlib.util
import json
import math
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
from spec import ENGINES, PIPELINES, RESULT_FILE, SEED, SKA_SOURCES  # noqa: E402

BINDIR = os.path.join(BENCH, "out", "bin")
INPUTS = os.path.join(BENCH, "out", "inputs")  # the fft suite's input files, made once
MAKE_SKA = os.path.join(ROOT, "examples", "make_ska_inputs.py")
# The flags cdaskc compiles its programs with (compiler/main.c), for the hand C baselines,
# and the libraries libcdrt.a needs (CMakeLists.txt; the FFTW ones for runtime/fft.c).
CDASK_CFLAGS = ["-std=c11", "-O3", "-fopenmp", "-ffp-contract=off", "-fno-math-errno"]
RUNTIME_LIBS = ["-lsleef", "-lfftw3f", "-lfftw3", "-lm"]
SAME_RANDOM = {"cdask", "handc"}  # engines with the same random numbers: results must agree
PROBE_SHRINK = 5      # the NumPy memory probe runs at 1/5 of every dimension
MEM_HEADROOM = 0.9    # NumPy runs only if its extrapolated peak < 90% of MemAvailable


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--suite", choices=("default", "scale", "fft", "all"), default="default",
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


def make_inputs(p, args, log):
    """Makes the input files of pipeline p (spec.py `inputs`) once, in bench/out/inputs/, and
    keeps them for later runs: a stamp file records how they were made, and they are made
    again when that changes. Returns (directory, None) or (None, why it failed)."""
    rows, cols = p.shape
    d = os.path.join(INPUTS, f"{p.inputs}_{rows}x{cols}")
    if p.inputs == "random":
        how = f"input.npy = numpy.random.default_rng({SEED}).standard_normal({p.shape!r}), numpy {np.__version__}"
    elif p.inputs == "ska" and rows == cols:
        cmd = [sys.executable, MAKE_SKA, "--size", str(rows), "--sources", str(SKA_SOURCES),
               "--seed", str(SEED), "--out", d]
        with open(MAKE_SKA, "rb") as f:
            how = f"`{shlex.join(cmd)}`, make_ska_inputs.py sha256 {hashlib.sha256(f.read()).hexdigest()[:16]}"
    else:
        return None, f"inputs failed: unknown kind {p.inputs!r} for shape {p.shape}"
    stamp = os.path.join(d, "stamp.txt")
    if os.path.exists(stamp):
        with open(stamp) as f:
            if f.read() == how:
                return d, None
        os.remove(stamp)
    os.makedirs(d, exist_ok=True)
    print(f"inputs: making {d}: {how}", file=sys.stderr)
    if p.inputs == "random":
        np.save(os.path.join(d, "input.npy"), np.random.default_rng(SEED).standard_normal(p.shape))
    else:
        r = measure.run(cmd, args.timeout)
        if measure.failure(r, args.timeout):
            return None, f"inputs failed: {measure.failure(r, args.timeout)}"
        log.append(f"{os.path.relpath(d, ROOT)}: {r.wall_s:.1f} s")
    with open(stamp, "w") as f:
        f.write(how)
    return d, None


def stage(inputs, workdir):
    """Links the .npy input files of a pipeline (a directory, or None) into workdir."""
    for f in sorted(os.listdir(inputs)) if inputs else ():
        if f.endswith(".npy"):
            os.symlink(os.path.join(inputs, f), os.path.join(workdir, f))


def build(engine, cmds, args, log):
    """Run each build command {name: (cmd, exe, cwd)}; returns {name: (True, exe) or (False, reason)}."""
    os.makedirs(BINDIR, exist_ok=True)
    built = {}
    for name, (cmd, exe, cwd) in cmds.items():
        r = measure.run(cmd, args.timeout, cwd=cwd)
        reason = measure.failure(r, args.timeout)
        built[name] = (False, f"compile failed: {reason}") if reason else (True, exe)
        log.append(f"{name}: {'FAILED ' + reason if reason else f'{r.wall_s:.2f} s'}  (`{shlex.join(cmd)}`)")
        print(f"{engine} build {log[-1]}", file=sys.stderr)
    return built


def compile_cdask(args, names, inputs, log):
    """Compile each pipeline once with cdaskc, in the directory of its input files (cdaskc
    reads their headers; the program reads them from its working directory)."""
    cdaskc = shutil.which(args.cdaskc)
    if not cdaskc:
        reason = f"cdaskc not found at {args.cdaskc}"
        print(f"cdask: {reason} (build it, or pass --cdaskc PATH)", file=sys.stderr)
        return {n: (False, reason) for n in names}
    log.append(f"`{cdaskc} --version`: {report.first_line([cdaskc, '--version'])}")
    return build("cdask", {n: ([cdaskc, *shlex.split(args.cdaskc_flags),
                                os.path.join(BENCH, "pipelines", n + ".lua"), "-o", exe], exe,
                               inputs.get(n, (None,))[0])
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


def compile_handc(args, names, _inputs, log):
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
                    os.path.join(BENCH, "baseline", src), lib, *shlex.split(p.handc_libs),
                    *RUNTIME_LIBS, "-o", exe], exe, None)
    return build("handc", cmds, args, log)


def python_cmd(engine, name, *extra):
    return [sys.executable, os.path.join(BENCH, f"engine_{engine}.py"), name, *extra]


def numpy_fits(name, args, inputs, log):
    """Measure NumPy's memory need at reduced size, extrapolate; None if it fits, else why not."""
    with tempfile.TemporaryDirectory(prefix="cdask-bench-") as work:
        stage(inputs, work)
        base = measure.run(python_cmd("numpy", name, "--shrink", "1000"), args.timeout, cwd=work)
        probe = measure.run(python_cmd("numpy", name, "--shrink", str(PROBE_SHRINK)), args.timeout,
                            cwd=work)
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


def rel_l2(a, b):
    """||a - b|| / ||b||, in blocks (the arrays may be big and memory-mapped)."""
    a, b, num, den = a.reshape(-1), b.reshape(-1), 0.0, 0.0
    for i in range(0, b.size, 1 << 22):
        x, y = np.asarray(a[i:i + (1 << 22)], float), np.asarray(b[i:i + (1 << 22)], float)
        num, den = num + float(np.sum((x - y) ** 2)), den + float(np.sum(y ** 2))
    return math.sqrt(num / den) if den else math.sqrt(num)


def check(p, engine, path, refs, inputs, log):
    """Compare one result with the expectation and with the other engines' results where
    they must agree: deterministic inputs, the same random numbers (cdask and hand C), or the
    same input files (relative L2 error, spec.py l2_tol). The l2 rows' results are kept
    memory-mapped, so path must outlive refs."""
    try:
        r = np.load(path, mmap_mode="r" if p.l2_tol else None)
    except (OSError, ValueError) as e:
        return [f"{p.name} {engine}: cannot read {RESULT_FILE}: {e}"]
    if r.shape != p.out_shape:
        return [f"{p.name} {engine}: result shape {r.shape}, expected {p.out_shape}"]
    bad, mean = [], float(np.mean(r))
    if p.expect_mean is None:
        log.append(f"{p.name} {engine}: mean of result {mean:.12g}")
    else:
        if not abs(mean - p.expect_mean) <= p.tol:
            bad.append(f"{p.name} {engine}: mean of result {mean!r}, expected {p.expect_mean!r} ± {p.tol:g}")
        log.append(f"{p.name} {engine}: mean of result {mean:.12g} (expected {p.expect_mean:.12g})")
    others = dict(refs)
    if p.l2_input:
        others = {p.l2_input: np.load(os.path.join(inputs, p.l2_input), mmap_mode="r"), **refs}
    for other, ref in others.items():
        if p.l2_tol:
            rel = rel_l2(r, ref)
            log.append(f"{p.name} {engine} vs {other}: relative L2 error {rel:.3g}")
            if not rel <= p.l2_tol:
                bad.append(f"{p.name}: {engine} and {other} differ, relative L2 error {rel:.3g} > {p.l2_tol:g}")
        elif p.exact or {engine, other} <= SAME_RANDOM:
            rel = float(np.max(np.abs(r - ref)) / np.max(np.abs(ref)))
            log.append(f"{p.name} {engine} vs {other}: max difference / max |value| {rel:.3g}")
            if not rel <= 1e-12:
                bad.append(f"{p.name}: {engine} and {other} differ, max difference / max |value| {rel:.3g}")
    refs[engine] = r
    return bad


def run_pipeline(name, args, env, built, inputs, outcomes, logs):
    with tempfile.TemporaryDirectory(prefix="cdask-bench-results-") as keep:
        _run_pipeline(name, args, env, built, inputs, outcomes, logs, keep)


def _run_pipeline(name, args, env, built, inputs, outcomes, logs, keep):
    """Runs one pipeline under every engine, interleaved; keep is a directory for the results
    compared by relative L2 (kept memory-mapped until the pipeline is done)."""
    p, refs, active, skip = PIPELINES[name], {}, [], dict(PIPELINES[name].skip)
    indir, why_not = inputs.get(name, (None, None))
    for engine in args.engines:
        if engine not in p.engines and engine not in skip:
            continue
        o = outcomes[name, engine] = report.Outcome(name, engine)
        if engine in skip:
            o.status = skip[engine]
        elif why_not:
            o.status = why_not
        elif engine in built and not built[engine][name][0]:
            o.status = built[engine][name][1]
        elif engine == "numpy" and (why := numpy_fits(name, args, indir, logs["NumPy memory probe"])):
            o.status = f"skipped: {why}"
        else:
            active.append(engine)
    for i in range(args.repeat):
        for engine in list(active):
            if i > 0 and engine in p.once:
                continue
            o = outcomes[name, engine]
            with tempfile.TemporaryDirectory(prefix="cdask-bench-") as out:
                stage(indir, out)
                cmd = ([built[engine][name][1], "--out", out, "--stats"] if engine == "cdask" else
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
                if engine == "cdask":  # the SIMD path each run measured, and what that cost
                    cal, kernels = report.simd_choice(r.stderr)
                    logs["cdask SIMD choice"].append(
                        f"{name} run {i + 1}: " + ("; ".join(kernels) or "no vector kernels")
                        + ("" if cal is None else f"; calibration {cal * 1e3:.3f} ms"))
                if i == 0:
                    result = os.path.join(out, RESULT_FILE)
                    if p.l2_tol and os.path.exists(result):
                        result = shutil.move(result, os.path.join(keep, f"{engine}.npy"))
                    for bad in check(p, engine, result, refs, indir, logs["Checks"]):
                        logs["MISMATCHES"].append(bad)
                        print(f"\n!!!!!!!! MISMATCH: {bad} !!!!!!!!\n", file=sys.stderr)
            print(f"{name} {engine} run {i + 1}/{args.repeat}: {r.wall_s:.2f} s wall, "
                  f"{r.maxrss_kib / 1024:.0f} MB peak RSS", file=sys.stderr)


def rss_per_image(outcomes):
    """Peak RSS as a multiple of the input image (float64) of the pipelines with input files."""
    lines = []
    for o in outcomes:
        p = PIPELINES[o.name]
        if p.inputs and o.rss_kib:
            image = math.prod(p.shape) * 8 / 2**20
            lines.append(f"{o.name} {report.ENGINE_LABEL[o.engine]}: {max(o.rss_kib) / 1024:.0f} MB "
                         f"= {max(o.rss_kib) / 1024 / image:.2f} x the image ({image:.0f} MB)")
    return lines


def main():
    args = parse_args()
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads),
               OPENBLAS_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads))
    machine = report.machine(args.threads, ROOT, measure.floor_kib())
    logs = {"MISMATCHES": [], "Checks": [], "Chunk sweep": [], "cdask time per chunk": [],
            "Peak RSS / image size": [], "cdask compile times": [], "hand C compile times": [],
            "NumPy memory probe": [], "Input files": [], "cdask SIMD choice": []}
    inputs = {n: make_inputs(PIPELINES[n], args, logs["Input files"])
              for n in args.names if PIPELINES[n].inputs}
    for n, (d, why) in inputs.items():
        logs["Input files"].append(f"{n}: {why or os.path.relpath(d, ROOT)}")
    built = {}
    for engine, compile_ in (("cdask", compile_cdask), ("handc", compile_handc)):
        names = [n for n in args.names if engine in PIPELINES[n].engines]
        if engine in args.engines and names:
            built[engine] = compile_(args, names, inputs,
                                     logs[f"{report.ENGINE_LABEL[engine]} compile times"])
    outcomes = {}
    for name in args.names:
        run_pipeline(name, args, env, built, inputs, outcomes, logs)
    outcomes = list(outcomes.values())
    table = report.table(outcomes)
    logs["Chunk sweep"] = report.groups(outcomes, PIPELINES)
    logs["cdask time per chunk"] = report.per_chunk(outcomes, PIPELINES)
    logs["Peak RSS / image size"] = rss_per_image(outcomes)
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
