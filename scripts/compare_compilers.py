#!/usr/bin/python3
"""The corpus half of scripts/compare-compilers.sh (run it through that script, which builds
git refs and owns the temporary directory this one works in).

    compare_compilers.py [-j N] [--only TEXT] [--passes "P..."] [--keep] WORK OLD_CDASKC NEW_CDASKC
    compare_compilers.py --list               the cases, one id a line
    compare_compilers.py --prepare ID DIR     (internal) write case ID's script and inputs

Every case is a pipeline of the test corpus: its script and the inputs its test makes are
written once (a subprocess, in the case's inputs directory), then for each compiler, in a
directory of its own holding a copy of them:
  1. cdaskc SCRIPT -o prog --explain --dump-graph graph.json --dump-fused fused.json
     (--emit-c instead of -o for a case that is only compiled);
  2. cdaskc SCRIPT --emit-c dump.c --dump-after=PASS, for each PASS (the frontend one also
     writes graph.dot and fused.dot);
  3. ./prog --threads 2 --out out [the case's arguments], when the case runs and it compiled.
Compared, byte for byte: every exit code, cdaskc's stdout (--explain) and stderr (warnings,
errors, the --dump-after text), the four graph dumps, the program's stdout and stderr, the
list of files in its working directory afterwards and every one of them. The emitted C is
not compared (names and layout may change). Paths of the two directories are replaced by
<DIR> in the texts before comparing. Nothing that is printed holds a time: the programs
print timings only with --stats, which is not given.

Prints one line per case, in order (same / DIFFERENT: what / ERROR: why), then a summary;
exits 0 when every case is the same, 1 otherwise."""

import argparse
import ast
import glob
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = "/usr/bin/python3"
PASSES = ["frontend", "simplify", "hermitian", "cull", "fuse"]
THREADS = "2"
COMPILE_TIMEOUT = 600
RUN_TIMEOUT = 600
DIFF_SEED, DIFF_PROGRAMS = 1, 8  # test_differential.py's CI run (seed 1, 8 programs)

# bench/pipelines: the rows that run in a few seconds here are run; the others are only
# compiled (their inputs are then sparse files of zeros of the right shape).
BENCH_COMPILE_ONLY = {"normal_mean_64gb", "fft2_roundtrip_8192", "wiener_8192"}
# tests/py scripts made to fail or to run until a signal stops them: only compiled
PY_COMPILE_ONLY = {
    "test_errors.OOM_PROGRAM",  # a 12.8 GB output, for exit 5 under an address-space limit
    "test_outputs.LONG",  # runs for minutes
}


class Case:
    """One pipeline: id (KIND/NAME), the script's file name, whether its program runs,
    whether the --dump-after texts are compared, extra program arguments, and the --out
    directory."""

    def __init__(self, cid, script, run=True, dumps=True, args=(), out="out"):
        self.id, self.script, self.run, self.dumps = cid, script, run, dumps
        self.args, self.out = list(args), out


# ---- the corpus ----------------------------------------------------------------------------


def load_module(path, name):
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def pipeline_oracle(name):
    return load_module(os.path.join(SRC, "tests", "pipelines", name + ".py"),
                       "cdask_oracle_" + name)


def lua_files(*parts):
    return sorted(glob.glob(os.path.join(SRC, *parts), recursive=True))


def stem(path):
    return os.path.basename(path)[:-4]


def extracted_scripts():
    """{name: text}: the complete scripts written as string constants in tests/py/test_*.py
    (not templates filled in by the test, not reading inputs the test makes), named
    FILE.VARIABLE when assigned to a module variable, else FILE.LINE."""
    out = {}
    for path in lua_files("tests", "py", "test_*.py"):
        tree = ast.parse(open(path).read())
        names = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                    node.targets[0], ast.Name) and isinstance(node.value, ast.Constant):
                names[id(node.value)] = node.targets[0].id
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            text = node.value
            if 'require("cdask.array")' not in text or len(text.strip().splitlines()) < 3:
                continue
            if re.search(r"%[-0-9.]*[sdrfgx(]|\{[a-z_0-9]*\}|from_npy", text):
                continue
            out["%s.%s" % (os.path.basename(path)[:-3], names.get(id(node), node.lineno))] = text
    return out


def discover():
    """Every case, slow ones first (the jobs are scheduled in this order)."""
    cases = []
    for p in lua_files("examples", "**", "*.lua"):
        rel = os.path.relpath(p, os.path.join(SRC, "examples"))[:-4]
        cases.append(Case("examples/" + rel, os.path.basename(p)))
    for p in lua_files("bench", "pipelines", "*.lua"):
        n = stem(p)
        cases.append(Case("bench/" + n, os.path.basename(p), run=n not in BENCH_COMPILE_ONLY))
    for p in lua_files("tests", "pipelines", "*.lua"):
        n = stem(p)
        args, out = [], "out"
        if os.path.exists(p[:-4] + ".py"):
            oracle = pipeline_oracle(n)
            args = list(getattr(oracle, "ARGS", []))
            out = getattr(oracle, "OUT_DIR", None) or "out"
        cases.append(Case("pipelines/" + n, os.path.basename(p), args=args, out=out))
    for p in lua_files("tests", "differential", "*.lua"):
        cases.append(Case("differential/" + stem(p), os.path.basename(p)))
    for p in lua_files("tests", "dumps", "*.lua"):
        cases.append(Case("dumps/" + stem(p), os.path.basename(p)))
    for k in range(DIFF_PROGRAMS):
        cases.append(Case("diffgen/seed%d.prog%d" % (DIFF_SEED, k), "prog.lua"))
    for n in sorted(extracted_scripts()):
        cases.append(Case("py/" + n, n.replace(".", "_") + ".lua", run=n not in PY_COMPILE_ONLY))
    for p in lua_files("tests", "errors", "*.lua"):
        cases.append(Case("errors/" + stem(p), os.path.basename(p), dumps=False))
    return cases


# ---- writing a case's script and inputs (in a subprocess, cwd = the inputs directory) -----


def sparse_zeros(path, shape, dtype="<f8"):
    """A .npy of zeros that takes no disk space (only compiled against, never read)."""
    import numpy as np
    np.lib.format.open_memmap(path, mode="w+", dtype=np.dtype(dtype), shape=shape).flush()


def prepare(cid, d):
    import numpy as np
    kind, name = cid.split("/", 1)
    if kind == "examples":
        shutil.copy(os.path.join(SRC, "examples", name + ".lua"), d)
        if name == "ska_deconvolution":  # as test_examples.py: the README's step, small
            subprocess.run([PY, os.path.join(SRC, "examples", "make_ska_inputs.py"), "--size",
                            "128", "--sources", "5", "--out", d], check=True,
                           stdout=subprocess.DEVNULL)
    elif kind == "bench":
        shutil.copy(os.path.join(SRC, "bench", "pipelines", name + ".lua"), d)
        n = int(name.rsplit("_", 1)[1]) if name.startswith(("fft2_", "wiener_")) else 0
        run = name not in BENCH_COMPILE_ONLY
        if name.startswith("fft2_roundtrip_"):  # bench/run.py make_inputs
            if run:
                np.save("input.npy", np.random.default_rng(1).standard_normal((n, n)))
            else:
                sparse_zeros("input.npy", (n, n))
        elif name.startswith("wiener_"):
            if run:
                subprocess.run([PY, os.path.join(SRC, "examples", "make_ska_inputs.py"),
                                "--size", str(n), "--sources", "1000", "--out", d], check=True,
                               stdout=subprocess.DEVNULL)
            else:
                sparse_zeros("dirty.npy", (n, n))
                sparse_zeros("psf.npy", (n, n))
    elif kind == "pipelines":
        shutil.copy(os.path.join(SRC, "tests", "pipelines", name + ".lua"), d)
        if os.path.exists(os.path.join(SRC, "tests", "pipelines", name + ".py")):
            oracle = pipeline_oracle(name)
            if hasattr(oracle, "setup"):
                oracle.setup(d)
    elif kind == "differential":  # NAME.py writes the inputs (and computes its oracle)
        shutil.copy(os.path.join(SRC, "tests", "differential", name + ".lua"), d)
        sys.path.insert(0, os.path.join(SRC, "tests", "py"))
        py = open(os.path.join(SRC, "tests", "differential", name + ".py")).read()
        exec(compile(py, name + ".py", "exec"), {"__name__": "oracle"})
    elif kind == "dumps":
        shutil.copy(os.path.join(SRC, "tests", "dumps", name + ".lua"), d)
    elif kind == "diffgen":  # test_differential.py run_generated, program k of seed s
        import random
        sys.path.insert(0, os.path.join(SRC, "tests", "py"))
        import diffgen
        m = re.match(r"seed(\d+)\.prog(\d+)$", name)
        seed, k = int(m.group(1)), int(m.group(2))
        steps = int(os.environ.get("CDASK_DIFF_STEPS", "28"))
        gen = diffgen.Generator(random.Random(seed * 100003 + k), steps)
        fixtures = gen.fixtures
        gen.generate()
        for fname, a in fixtures.items():
            np.save(fname, a)
        with open("prog.lua", "w") as f:
            f.write(diffgen.lua_text(gen.stmts))
    elif kind == "py":
        with open(name.replace(".", "_") + ".lua", "w") as f:
            f.write(extracted_scripts()[name])
    elif kind == "errors":  # test_errors.py's "-- fixture: FILE KIND" lines
        shutil.copy(os.path.join(SRC, "tests", "errors", name + ".lua"), d)
        sys.path.insert(0, os.path.join(SRC, "tests", "py"))
        te = load_module(os.path.join(SRC, "tests", "py", "test_errors.py"), "test_errors")
        _, fixtures = te.parse_header(os.path.join(d, name + ".lua"))
        for fname, fkind in fixtures:
            te.FIXTURES[fkind](os.path.join(d, fname))
    else:
        raise SystemExit("unknown case " + cid)


# ---- running one case with one compiler ----------------------------------------------------


def run(cmd, cwd, timeout):
    """(exit code or 'timeout', stdout bytes, stderr bytes)"""
    try:
        p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
        return str(p.returncode), p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        return "timeout after %ds" % timeout, e.stdout or b"", e.stderr or b""


def link_tree(src, dst):
    """dst: a copy of src whose files are hard links (inputs are only read; outputs are
    renamed into place, never written through a link)."""
    def link(s, t):
        try:
            os.link(s, t)
        except OSError:
            shutil.copy2(s, t)
    shutil.copytree(src, dst, copy_function=link)


def side(case, cdaskc, passes, inputs, d):
    """{artifact name: bytes, or ('file', path)} for one compiler."""
    rundir, bindir = os.path.join(d, "run"), os.path.join(d, "bin")
    link_tree(inputs, rundir)
    os.mkdir(bindir)
    norm = lambda b: b.replace(d.encode(), b"<DIR>")  # noqa: E731
    art = {}
    target = ["-o", "../bin/prog"] if case.run else ["--emit-c", "../bin/prog.c"]
    rc, out, err = run([cdaskc, case.script] + target + [
        "--explain", "--dump-graph", "../bin/graph.json", "--dump-fused", "../bin/fused.json"],
        rundir, COMPILE_TIMEOUT)
    art["cdaskc exit code"] = rc.encode()
    art["cdaskc stdout (--explain, Lua prints)"] = norm(out)
    art["cdaskc stderr"] = norm(err)
    compiled = rc == "0"
    if case.dumps:
        for p in passes:
            extra = ["--dump-graph", "../bin/graph.dot", "--dump-fused", "../bin/fused.dot"] \
                if p == passes[0] else []
            rc, out, err = run([cdaskc, case.script, "--emit-c", "../bin/dump.c",
                                "--dump-after=" + p] + extra, rundir, COMPILE_TIMEOUT)
            art["--dump-after=%s exit code" % p] = rc.encode()
            art["--dump-after=%s" % p] = norm(out + b"\n--- stderr\n" + err)
    for f in ("graph.json", "fused.json", "graph.dot", "fused.dot"):
        if os.path.exists(os.path.join(bindir, f)):
            art[f] = ("file", os.path.join(bindir, f))
    if case.run and compiled:
        os.makedirs(os.path.join(rundir, case.out), exist_ok=True)
        rc, out, err = run([os.path.join(bindir, "prog"), "--threads", THREADS, "--out",
                            case.out] + case.args, rundir, RUN_TIMEOUT)
        art["program exit code"] = rc.encode()
        art["program stdout"] = norm(out)
        art["program stderr"] = norm(err)
    files = []
    for root, dirs, names in os.walk(rundir):
        dirs.sort()
        for n in sorted(names + [x for x in dirs if os.path.islink(os.path.join(root, x))]):
            rel = os.path.relpath(os.path.join(root, n), rundir)
            files.append(rel)
            art["file " + rel] = ("file", os.path.join(root, n))
    art["files in the working directory"] = "\n".join(files).encode()
    return art


def same_file(a, b):
    if os.path.getsize(a) != os.path.getsize(b):
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x, y = fa.read(1 << 20), fb.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True


def differences(old, new):
    why = []
    for k in sorted(set(old) | set(new), key=lambda k: (k.startswith("file "), k)):
        a, b = old.get(k), new.get(k)
        if a is None or b is None:
            why.append("%s (only with %s)" % (k, "OLD" if b is None else "NEW"))
        elif isinstance(a, tuple) or isinstance(b, tuple):
            if not (isinstance(a, tuple) and isinstance(b, tuple) and same_file(a[1], b[1])):
                why.append(k)
        elif a != b:
            why.append(k)
    return why


def run_case(case, args):
    """(status, detail): status same, DIFFERENT or ERROR."""
    d = os.path.join(args.work, "cases", case.id.replace("/", "__"))
    try:
        status, detail = compare_case(case, args, d)
    except Exception as e:  # a bug here or a stuck input script, not a difference
        status, detail = "ERROR", "%s: %s" % (type(e).__name__, e)
    if args.keep and status != "same":
        detail += " (kept in %s)" % d
    else:
        shutil.rmtree(d, ignore_errors=True)
    return status, detail


def compare_case(case, args, d):
    inputs = os.path.join(d, "inputs")
    os.makedirs(inputs)
    p = subprocess.run([PY, os.path.abspath(__file__), "--prepare", case.id, inputs],
                       cwd=inputs, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=COMPILE_TIMEOUT)
    if p.returncode != 0:
        tail = p.stdout.decode(errors="replace").strip().splitlines()[-1:]
        return "ERROR", "writing the inputs failed: %s" % " ".join(tail)
    old = side(case, args.old, args.passes, inputs, os.path.join(d, "old"))
    new = side(case, args.new, args.passes, inputs, os.path.join(d, "new"))
    why = differences(old, new)
    if why:
        return "DIFFERENT", ", ".join(why)
    ran = "ran" if "program exit code" in old else "compiled"
    return "same", "%s, exit %s" % (ran, old["cdaskc exit code"].decode())


def main(argv):
    ap = argparse.ArgumentParser(usage=__doc__.split("\n\n")[1])
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--passes", default=" ".join(PASSES))
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--prepare", nargs=2, metavar=("ID", "DIR"))
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args(argv)
    if args.prepare:
        os.chdir(args.prepare[1])
        prepare(args.prepare[0], os.path.abspath(args.prepare[1]))
        return 0
    cases = discover()
    if args.only:
        cases = [c for c in cases if any(o in c.id for o in args.only)]
    if args.list:
        print("\n".join(c.id for c in cases))
        return 0
    if len(args.paths) != 3 or args.jobs < 1:
        ap.print_usage(sys.stderr)
        return 2
    args.work, args.old, args.new = (os.path.abspath(p) for p in args.paths)
    args.passes = args.passes.split()
    if not cases:
        print("no case matches --only %s" % " ".join(args.only), file=sys.stderr)
        return 2
    t0 = time.time()
    counts = {"same": 0, "DIFFERENT": 0, "ERROR": 0}
    bad = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_case, c, args) for c in cases]
        width = max(len(c.id) for c in cases)
        for c, fut in zip(cases, futures):
            status, detail = fut.result()
            counts[status] += 1
            if status != "same":
                bad.append(c.id)
            print("%-9s %-*s  %s" % (status, width, c.id, detail), flush=True)
    print("%d cases in %.0f s: %d same, %d different, %d errors%s" % (
        len(cases), time.time() - t0, counts["same"], counts["DIFFERENT"], counts["ERROR"],
        (" (" + " ".join(bad) + ")") if bad else ""), flush=True)
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
