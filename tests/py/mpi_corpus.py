"""The MPI corpus of test_mpi.py and test_mpi_corpus_{a,b,c}.py: a pipeline built without
and with cdaskc --mpi (the same --cflags -O0 for both); the non-MPI program is the oracle. The
MPI program, run with `mpirun --oversubscribe -np 1, 2, 3, 4` (OMP_NUM_THREADS=1, one
mpirun at a time), must write the same files with the same bytes under its --out (every
file, hidden ones and subdirectories included: no temporary file left), nothing outside
it, print the same standard output (once), and its ranks' --stats tiles must add up to
-np 1's (each tile runs once).

Cases: every tests/pipelines/NAME.lua with an oracle NAME.py (their setup() writes the
inputs, their ARGS are passed to both programs), and every examples/*.lua as a user runs
it (beside it examples/kernels, the other examples and the callbacks' C; the SKA inputs from
make_ska_inputs.py at 128 x 128; the two largest seeds shrunk, SHRUNK; printkeys' lines
in any order, UNORDERED)."""

import os
import re
import shutil
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import cdask_testlib as tl
import pipeline_harness as ph

CFLAGS = ["--cflags", "-O0"]
RANKS = [1, 2, 3, 4]
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe"]
# one mpirun at a time (the compiles overlap): two launches at once oversubscribe the cores
MPIRUN_LOCK = threading.Lock()
WORKERS = 2

# tests/pipelines cases that cannot apply, with the reason (none: every case runs a program)
NOT_APPLICABLE = {}

# examples whose arrays are made smaller (text replaced in the script, same chunks): at
# full size they take seconds per run at -O0, and the test runs each program five times
SHRUNK = {
    "seed_big_ones.lua": ("{200000, 4000}", "{20000, 4000}"),  # 6.4 GB of ones -> 640 MB
    "seed_profile.lua": ("{10000, 10000}", "{4000, 4000}"),
}
# examples whose printed lines are compared in any order: da.callbacks' hooks run on the
# rank that runs the task, so the keys come in an order that follows the ranks (a combine
# or transform, run by every rank, is reported by rank 0 only: each key comes once)
UNORDERED = {"printkeys.lua"}
SKA_INPUTS = ["--size", "128", "--sources", "5", "--seed", "3"]


def unordered_lines(text):
    """text's lines sorted: the ranks' hooks print in any order (UNORDERED); a combine
    task, which every rank runs, is reported by rank 0 only (runtime/diag.c)."""
    return sorted(text.splitlines(True))


def env1():
    e = dict(os.environ)
    e["OMP_NUM_THREADS"] = "1"
    return e


def corpus_names():
    """Every pipeline of tests/pipelines that applies, sorted."""
    return [n for n in ph.discover() if n not in NOT_APPLICABLE]


def example_names():
    d = os.path.join(tl.SRC, "examples")
    return sorted(f for f in os.listdir(d) if f.endswith(".lua"))


def build_pair(d, script):
    """script built without and with --mpi into d/single and d/mpi: None, or why not."""
    for exe, extra in (("single", []), ("mpi", ["--mpi"])):
        r = tl.cdaskc(extra + CFLAGS + [script, "-o", exe], cwd=d)
        if r.returncode != 0 or not os.path.exists(os.path.join(d, exe)):
            return "cdaskc %s failed: %s" % (" ".join(extra), tl.short(r.stderr))
    return None


def tiles(stderr, prefixes):
    """The tiles run, summed over the ranks' --stats lines ("rank R: stats: ... N tiles"):
    one line for each prefix and no other, else None."""
    seen = []
    total = 0
    for line in stderr.splitlines():
        m = re.match(r"(rank \d+: )?stats: [\d.]+ seconds, \d+ threads, (\d+) tiles", line)
        if m:
            seen.append(m.group(1) or "")
            total += int(m.group(2))
    return total if sorted(seen) == sorted(prefixes) else None


def same_files(a, b):
    """The files under directories a and b: None if the same names with the same bytes,
    else what differs."""
    names = tl.listing(a)
    if tl.listing(b) != names:
        return "wrote %s, want %s" % (tl.listing(b), names)
    for f in names:
        pa, pb = os.path.join(a, f), os.path.join(b, f)
        if os.path.isdir(pa):
            continue
        with open(pa, "rb") as x, open(pb, "rb") as y:
            if x.read() != y.read():
                return "%s differs" % f
    return None


def compare_ranks(d, args=(), any_order=False):
    """The single-node program's files and prints, then each rank count's: a list of
    failures. d holds ./single, ./mpi and the inputs. any_order: the printed lines in
    any order (unordered_lines)."""
    before = sorted(os.listdir(d))
    want_dir = os.path.join(d, "want")
    os.makedirs(want_dir)
    r = tl.run(["./single", "--out", want_dir] + list(args), cwd=d, env=env1())
    if r.returncode != 0:
        return ["single-node run failed: %s" % tl.short(r.stderr)]
    if not tl.listing(want_dir) and not r.stdout:
        return ["no outputs"]
    bad = []
    one_rank = None  # tiles run by -np 1 (not the single-node count: no in-place copies skipped)
    for np_ in RANKS:
        got_dir = os.path.join(d, "np%d" % np_)
        os.makedirs(got_dir)
        with MPIRUN_LOCK:
            g = tl.run(MPIRUN + ["-np", str(np_), "./mpi", "--out", got_dir, "--stats"] +
                       list(args), cwd=d, env=env1())
        if g.returncode != 0:
            said = " ".join(l for l in g.stderr.splitlines() if l.strip("- "))  # no rules
            bad.append("-np %d exited %s: %s" % (np_, g.returncode, tl.short(said, 2000)))
            continue
        why = same_files(want_dir, got_dir)
        if why:
            bad.append("-np %d: %s" % (np_, why))
        got_tiles = tiles(g.stderr, ["rank %d: " % i for i in range(np_)] if np_ > 1 else [""])
        one_rank = got_tiles if np_ == 1 else one_rank
        if got_tiles is None or got_tiles != one_rank:
            bad.append("-np %d: the ranks' --stats tiles %s do not add up to -np 1's %s" %
                       (np_, got_tiles, one_rank))
        lines = unordered_lines if any_order else (lambda text: text)
        if lines(g.stdout) != lines(r.stdout):
            bad.append("-np %d printed %r, want %r" % (np_, tl.short(g.stdout, 300),
                                                      tl.short(r.stdout, 300)))
    made = ["want"] + ["np%d" % n for n in RANKS]
    stray = sorted(set(os.listdir(d)) - set(before) - set(made))
    if stray:
        bad.append("files written outside --out: %s" % stray)
    return bad


def corpus_case(name):
    """tests/pipelines/NAME.lua: (label, failures)."""
    d = tl.tempdir("mpi_" + name)
    try:
        oracle = ph.load_oracle(name)
        if hasattr(oracle, "setup"):
            oracle.setup(d)
        shutil.copy(os.path.join(ph.pipelines_dir(), name + ".lua"), d)
        why = build_pair(d, name + ".lua")
        return name, [why] if why else compare_ranks(d, getattr(oracle, "ARGS", []))
    finally:
        tl.rmtree(d)


def example_case(name):
    """examples/NAME as its first lines show (in a copy of examples/, the C it includes
    beside it): (label, failures)."""
    d = tl.tempdir("mpi_ex_" + os.path.splitext(name)[0])
    try:
        src = os.path.join(tl.SRC, "examples")
        shutil.copytree(os.path.join(src, "kernels"), os.path.join(d, "kernels"))
        for f in os.listdir(src):
            if f.endswith((".c", ".lua", ".csv", ".txt", ".jsonl")):  # callbacks' C, modules, inputs
                shutil.copy(os.path.join(src, f), d)
        with open(os.path.join(src, name)) as f:
            text = f.read()
        if name in SHRUNK:
            old, new = SHRUNK[name]
            if old not in text:
                return "example " + name, ["%s no longer holds %s (SHRUNK)" % (name, old)]
            text = text.replace(old, new)
        tl.write(os.path.join(d, name), text)
        if name.startswith("ska_deconvolution"):  # its first lines: make the inputs first
            p = tl.run(["/usr/bin/python3", os.path.join(src, "make_ska_inputs.py")] +
                       SKA_INPUTS + ["--out", d])
            if p.returncode != 0:
                return "example " + name, ["make_ska_inputs.py: %s" % tl.short(p.stderr)]
        why = build_pair(d, name)
        return "example " + name, [why] if why else compare_ranks(d, (), name in UNORDERED)
    finally:
        tl.rmtree(d)


def cases():
    """Every case, in a fixed order: (name, job), job() -> (label, failures). The names:
    the pipelines' (NAME) and the examples' (NAME.lua)."""
    return ([(n, lambda n=n: corpus_case(n)) for n in corpus_names()] +
            [(n, lambda n=n: example_case(n)) for n in example_names()])


def main(part, parts, argv):
    """test_mpi_corpus_X.py: the cases of this part (every parts-th, from the part-th), or
    those named in argv."""
    R = tl.Results()
    if mpi_missing(R):
        return R.finish()
    warnings.simplefilter("ignore")  # the oracles' setup() may warn (a cast overflows)
    t0 = time.time()
    every = cases()
    unknown = [a for a in argv if a not in dict(every)]
    if unknown:
        R.check(False, "known cases", "no case %s" % ", ".join(unknown))
        return R.finish()
    mine = [job for name, job in every if name in argv] if argv else [
        job for name, job in every[part::parts]]
    run_cases(R, mine)
    print("(%.0f s)" % (time.time() - t0))
    return R.finish()


def run_cases(R, jobs):
    """Runs jobs (functions returning (label, failures)) two at a time, checking each
    through R."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for label, bad in pool.map(lambda job: job(), jobs):
            R.check(not bad, "%s: the same bits and prints for -np 1..4" % label, "; ".join(bad))


def mpi_missing(R):
    """MPI or mpicc missing is a failure (checked through R), not a skip: True then."""
    for tool in ("mpicc", "mpirun"):
        if not shutil.which(tool):
            R.check(False, "MPI is installed", "%s is not in PATH (openmpi-bin, libopenmpi-dev)"
                    % tool)
            return True
    return False
