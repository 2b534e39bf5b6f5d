"""Every examples/*.lua compiles and runs as its first lines show, and the seed
tutorials' results come out as the tutorials print them. An example whose first lines give
a cdaskc command with --job (the SLURM and PBS examples, --mpi ones too) is also compiled
by that very command: it writes the program and its job script, whose --nodes,
--ntasks-per-node and --cpus-per-task are the command's."""

import glob
import os
import re
import shlex
import shutil
import sys
import tempfile

import numpy as np

from cdask_testlib import CDASKC, SRC, Results, run

# label -> expected value, for the outputs whose value the tutorials state
EXPECTED = {
    "seed_ones.lua": {"sum_of_ones": 4000000.0, "strided_sum": 1000000.0,
                      "fancy_calculation": 1.0},
    "seed_big_ones.lua": {"big_calc": 1.0},
    "seed000_delayed.lua": {"total": 45.0},
    "seed001_sleep.lua": {"z": 3.0},
    "seed002_slurm.lua": {"mean": 1199.5},
    "seed002_slurm_2nodes.lua": {"mean": 1199.5},
    "seed000_pbs.lua": {"sum_of_ones": 4000000.0},
}


def _seed003():
    a = np.arange(100000).reshape(200, 500)
    return (np.sin(a) + 1).mean()


# label -> NumPy's value (compared to 1e-13 relative): the tutorials that print numbers
# they do not state
ORACLE = {"seed_reshape.lua": {"m": _seed003}, "seed003_delayed_array.lua": {"m": _seed003,
                                                                   "m_c": _seed003}}


def _gaussian5(sky):
    """examples/kernels/gaussian.c in NumPy: the 5x5 Gaussian over the image mirrored at
    its edges (Dask's reflect, NumPy's 'symmetric'), its 25 products added in the
    kernel's order."""
    import math
    g = [math.exp(-0.5 * float((a - 2) * (a - 2))) for a in range(5)]
    s = 0.0
    for a in range(5):
        for c in range(5):
            s += g[a] * g[c]
    p = np.pad(sky, 2, mode="symmetric")
    n0, n1 = sky.shape
    acc = None
    for a in range(5):
        for c in range(5):
            t = (g[a] * g[c] / s) * p[a:a + n0, c:c + n1]
            acc = t if acc is None else acc + t
    return acc


def job_command(path):
    """The arguments of the `cdaskc examples/NAME.lua ... --job ...` command in the
    example's first comment lines (lines ending in a backslash continue), or None."""
    text, cmd = open(path).read(), None
    m = re.search(r"^--\s+(cdaskc examples/\S+\.lua(?:[^\n]*\\\n--\s+)*[^\n]*)$", text, re.M)
    if m:
        words = shlex.split(re.sub(r"\\\n--\s+", " ", m.group(1)))
        cmd = words[1:words.index("&&")] if "&&" in words else words[1:]
    return cmd if cmd and "--job" in cmd else None


def check_job_command(r, name, cmd, d):
    """Runs the example's own cdaskc --job command in d (examples/NAME.lua: the copy there)."""
    args = [os.path.basename(a) if a.startswith("examples/") else a for a in cmd]
    p = run([CDASKC] + args, cwd=d, timeout=300)
    out = args[args.index("-o") + 1]
    kind = args[args.index("--job") + 1]
    script = os.path.join(d, out + (".sbatch" if kind == "slurm" else ".pbs"))
    if not r.check(p.returncode == 0 and os.path.exists(os.path.join(d, out)) and
                   os.path.exists(script), name + ": its cdaskc --job command", p.stderr):
        return
    text = open(script).read()
    opt = {k: args[args.index(k) + 1]
           for k in ("--nodes", "--ntasks-per-node", "--cpus-per-task")}
    if kind == "slurm":
        want = ["#SBATCH --nodes=%s" % opt["--nodes"],
                "#SBATCH --ntasks-per-node=%s" % opt["--ntasks-per-node"],
                "#SBATCH --cpus-per-task=%s" % opt["--cpus-per-task"]]
    else:
        n, t = int(opt["--ntasks-per-node"]), int(opt["--cpus-per-task"])
        want = ["#PBS -l select=%s:ncpus=%d:mpiprocs=%d:ompthreads=%d" % (opt["--nodes"], n * t,
                                                                        n, t)]
    lines = text.splitlines()
    r.check(all(any(l.startswith(w) for l in lines) for w in want),
            name + ": its job script asks for what the command says", text)


def _bag_wordcount(d):
    import dask.bag as db
    lines = db.read_text(os.path.join(d, "essay.txt"))
    words = lines.str.lower().str.split().flatten()
    return {"lines": lines.count(), "words": words.count(),
            "top 10": words.frequencies().topk(10, key=lambda p: p[1]),
            "distinct words": words.distinct().count()}


def _bag_github_events(d):
    import json
    from operator import add
    import dask.bag as db
    events = db.read_text(os.path.join(d, "events.jsonl")).map(json.loads)
    pushes = events.filter(lambda e: e["type"] == "PushEvent")
    return {"event types": events.pluck("type").frequencies(sort=True),
            "commits by repo": events.foldby("repo", lambda t, e: t + e["commits"], 0, add, 0),
            "actors who pushed": pushes.pluck("actor").distinct(),
            "mean commits per push": pushes.pluck("commits").mean()}


def _bag_kernels(d):
    import json
    import math
    from operator import add
    import dask.bag as db

    def weight(commits, public):  # kernels/bag_events.c's
        return (2.0 if public else 1.0) * math.log1p(float(commits))
    events = db.read_text(os.path.join(d, "events.jsonl")).map(json.loads)
    active = events.filter(lambda e: e["commits"] > 0)
    return {"active events": active.count(),
            "total weight": active.map(lambda e: weight(e["commits"], e["public"])).sum(),
            "weight by repo": events.foldby("repo", lambda t, e: t + weight(e["commits"],
                                                                          e["public"]), 0, add, 0)}


# label -> Dask's bag (Debian's python3-dask) over the example's inputs in d: the printed
# values must be what compute() gives (floats within 1e-13)
BAG_ORACLE = {"bag_wordcount.lua": _bag_wordcount, "bag_github_events.lua": _bag_github_events,
              "bag_kernels.lua": _bag_kernels}


def _close(g, want):
    """g is want, floats within 1e-13 (cdask's sums are exact, Dask's running ones)"""
    if isinstance(want, float) and isinstance(g, float):
        return g == want or abs(g - want) <= 1e-13 * abs(want)
    if isinstance(want, (list, tuple)) and isinstance(g, type(want)) and len(g) == len(want):
        return all(_close(a, b) for a, b in zip(g, want))
    return g == want


def printed(stdout):
    return dict(re.findall(r"^(.+?) = (.*)$", stdout, re.M))


def main():
    r = Results()
    for path in sorted(glob.glob(os.path.join(SRC, "examples", "*.lua"))):
        name = os.path.basename(path)
        with tempfile.TemporaryDirectory() as d:
            if name.startswith("ska_deconvolution"):  # its first lines: make the inputs first
                p = run(["/usr/bin/python3", os.path.join(SRC, "examples", "make_ska_inputs.py"),
                         "--size", "128", "--sources", "5", "--out", d])
                r.check(p.returncode == 0, "make_ska_inputs.py", p.stderr)
            for ext in ("csv", "txt", "jsonl"):  # read_csv's and the bags' files
                for f in glob.glob(os.path.join(SRC, "examples", "*." + ext)):
                    shutil.copy(f, d)
            cmd = job_command(path)
            if cmd:  # the example's own command, in a copy of examples/
                src = os.path.dirname(path)
                for f in os.listdir(src):
                    if f.endswith((".lua", ".c")):
                        shutil.copy(os.path.join(src, f), d)
                shutil.copytree(os.path.join(src, "kernels"), os.path.join(d, "kernels"))
                check_job_command(r, name, cmd, d)
            p = run([CDASKC, path, "-o", os.path.join(d, "prog")], cwd=d, timeout=300)
            if not r.check(p.returncode == 0, name + " compiles", p.stderr):
                continue
            p = run([os.path.join(d, "prog"), "--threads", "2"], cwd=d, timeout=300)
            if not r.check(p.returncode == 0, name + " runs", p.stderr):
                continue
            got = printed(p.stdout)
            for label, fn in ORACLE.get(name, {}).items():
                want = fn()
                r.check(label in got and abs(float(got[label]) - want) <= 1e-13 * abs(want),
                        "%s: %s matches NumPy (%r)" % (name, label, want), p.stdout)
            if name in BAG_ORACLE:
                import ast
                import dask
                with dask.config.set(scheduler="sync"):
                    wants = {k: v.compute() for k, v in BAG_ORACLE[name](d).items()}
                for label, want in wants.items():
                    g = ast.literal_eval(got[label]) if label in got else None
                    ok = _close(g, want)
                    r.check(ok, "%s: %s is Dask's (%r)" % (name, label, want), p.stdout)
            for label, want in EXPECTED.get(name, {}).items():
                r.check(label in got and float(got[label]) == want, "%s: %s" % (name, label),
                        p.stdout)
            if name == "ska_filter.lua":
                sky, sm = np.load(os.path.join(d, "sky.npy")), np.load(os.path.join(d, "smoothed.npy"))
                r.check(sm.shape == sky.shape and np.array_equal(sm, _gaussian5(sky)),
                        name + ": smoothed equals the NumPy filter bit for bit")
            if name == "seed_big_ones.lua":
                v = np.load(os.path.join(d, "big_ones_reduce.npy"))
                r.check(v.shape == (200000,) and np.allclose(v, (np.cos(np.ones(4000)) ** 2).mean(), rtol=1e-14, atol=0),
                        name + ": big_ones_reduce equals NumPy's row mean")
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
