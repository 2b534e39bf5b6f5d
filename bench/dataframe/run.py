#!/usr/bin/python3
"""The dataframe benchmark (issue 15): the db-benchmark's groupby questions q1..q5 from the
CSV file to the answer, each alone and all five in one program, under cdask, DuckDB and
Polars (both from the npm registry, installed here into bench/out/npm), pandas and Dask
(Debian's), two threads each; and cdask's CSV parse rate (two numeric columns summed).
With --task join, the db-benchmark's join questions instead (join-pandas.py's q1..q5, here
j1..j5: x with the small, medium and big right sides, from the CSV files to the answer).
With --task seed, seed 000's dataframe operations (df.mean(), df.Age.mean(), filters on
numbers and strings, max, value_counts: queries.py's SEED) on a squad-like CSV made by
gen_squad.c, each alone and all in one program.

    bench/dataframe/run.py [--rows 10000000] [--runs 3] [--engines cdask,duckdb,...]
    bench/dataframe/run.py --task join [--rows 10000000] [--runs 3] [--questions j1,j5]
    bench/dataframe/run.py --task seed [--rows 10000000] [--runs 3] [--questions s1,s5]

The join tables J1_<rows>_NA_0_0 (x) and its right sides are made once by gen_join.c.

The table G1_<rows>_1e2_0_0 is made once by gen_groupby.c into bench/out/dataframe/. Each
engine runs as its own process under /usr/bin/time (wall time and peak RSS); the medians of
--runs runs are reported, with each answer's checksum (the sum of each aggregated column),
which must agree across engines. The CPU model is recorded: a fast path on one vendor's
cores can be slow on another's."""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from queries import (ADVANCED, JOINS, QUESTIONS, SEED, answer_checksum,  # noqa: E402
                     join_lua, lua, seed_lua)

OUT = os.path.join(ROOT, "bench", "out", "dataframe")
NPM = os.path.join(ROOT, "bench", "out", "npm")
NPM_PACKAGES = ["@duckdb/node-api", "nodejs-polars", "nodejs-polars-linux-x64-gnu"]
ENGINES = ["cdask", "duckdb", "polars", "pandas", "dask"]


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def cpu_model():
    for line in sh(["lscpu"]).stdout.splitlines():
        if line.startswith("Model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def make_data(rows):
    os.makedirs(OUT, exist_ok=True)
    name = "G1_%s_1e2_0_0.csv" % ("%.0e" % rows).replace("e+0", "e").replace("e+", "e")
    path = os.path.join(OUT, name)
    if not os.path.exists(path):
        gen = os.path.join(OUT, "gen_groupby")
        r = sh(["cc", "-O2", "-o", gen, os.path.join(HERE, "gen_groupby.c")])
        if r.returncode:
            sys.exit("gen_groupby.c: " + r.stderr)
        print("making %s ..." % name, flush=True)
        r = sh([gen, str(rows), "100", path + ".tmp"])
        if r.returncode:
            sys.exit("gen_groupby: " + r.stderr)
        os.rename(path + ".tmp", path)
    return path


def rows_label(n):
    """gen_join's names: 1e7 for a power of ten, else the number"""
    e = len(str(n)) - 1
    return "1e%d" % e if n == 10**e else str(n)


def make_seed_data(rows):
    """The squad-like CSV SQ_<rows>.csv (gen_squad.c) for the seed's operations."""
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "SQ_%s.csv" % rows_label(rows))
    if not os.path.exists(path):
        gen = os.path.join(OUT, "gen_squad")
        r = sh(["cc", "-O2", "-o", gen, os.path.join(HERE, "gen_squad.c")])
        if r.returncode:
            sys.exit("gen_squad.c: " + r.stderr)
        print("making %s ..." % os.path.basename(path), flush=True)
        r = sh([gen, str(rows), path + ".tmp"])
        if r.returncode:
            sys.exit("gen_squad: " + r.stderr)
        os.rename(path + ".tmp", path)
    return path


def make_join_data(rows):
    """The join tables (gen_join.c) for x of rows rows: {"x", "small", "medium", "big"} ->
    their paths."""
    os.makedirs(OUT, exist_ok=True)
    label = rows_label
    sizes = {"small": max(rows // 10**6, 10), "medium": max(rows // 10**3, 10), "big": rows}
    files = {"x": os.path.join(OUT, "J1_%s_NA_0_0.csv" % label(rows))}
    for side, n in sizes.items():
        files[side] = os.path.join(OUT, "J1_%s_%s_0_0.csv" % (label(rows), label(n)))
    if not all(os.path.exists(f) for f in files.values()):
        gen = os.path.join(OUT, "gen_join")
        r = sh(["cc", "-O2", "-o", gen, os.path.join(HERE, "gen_join.c")])
        if r.returncode:
            sys.exit("gen_join.c: " + r.stderr)
        print("making the J1 tables of %d rows ..." % rows, flush=True)
        r = sh([gen, str(rows), OUT])
        if r.returncode:
            sys.exit("gen_join: " + r.stderr)
    return files


def npm_install():
    """DuckDB and Polars for Node, into the ignored bench/out/npm; their versions."""
    mods = os.path.join(NPM, "node_modules")
    if not all(os.path.isdir(os.path.join(mods, p)) for p in NPM_PACKAGES):
        os.makedirs(NPM, exist_ok=True)
        r = sh(["npm", "install", "--no-audit", "--no-fund", "--prefix", NPM] + NPM_PACKAGES)
        if r.returncode:
            sys.exit("npm install: " + r.stderr[-2000:])
    versions = {}
    for p in NPM_PACKAGES[:2]:
        with open(os.path.join(mods, p, "package.json")) as f:
            versions[p] = json.load(f)["version"]
    return versions


def timed(cmd, cwd, env=None):
    """(wall seconds, peak RSS in MB, stdout) of one run, or an error."""
    r = sh(["/usr/bin/time", "-f", "TIME %e %M"] + cmd, cwd=cwd, env=env)
    lines = r.stderr.strip().splitlines()
    last = lines[-1] if lines else ""
    if r.returncode or not last.startswith("TIME "):
        raise RuntimeError("%s: %s" % (" ".join(cmd), (r.stderr or r.stdout)[-1500:]))
    _, wall, rss = last.split()
    return float(wall), int(rss) / 1024.0, r.stdout


def cdask_answers(workdir, names):
    """Each answer's rows and checksum from NAME.csv: every column that is neither a key
    nor the index (whose header is empty)"""
    out = {}
    for n in names:
        with open(os.path.join(workdir, "out", n + ".csv")) as f:
            head = f.readline().rstrip("\n").split(",")
            rows = [line.rstrip("\n").split(",") for line in f]
        keys = ADVANCED[n]["keys"] if n in ADVANCED else QUESTIONS[n][0]
        cols = [(c, [float(r[k]) if r[k] else None for r in rows])
                for k, c in enumerate(head) if c and c not in keys]
        _, chk = answer_checksum(cols, keys)
        out[n] = {"rows": len(rows), "chk": chk}
    return out


def cdask_join_answers(stdout, names):
    """NAME_rows, NAME_v1 and NAME_v2 as the join script prints them"""
    vals = dict(line.split(" = ", 1) for line in stdout.splitlines() if " = " in line)
    return {n: {"rows": int(vals[n + "_rows"]),
                "chk": [float(vals[n + "_v1"]), float(vals[n + "_v2"])]} for n in names}


def cdask_seed_answers(workdir, stdout, names):
    """The values of the seed's operations: NAME_K printed, or NAME_K.csv (a Series)"""
    vals = dict(line.split(" = ", 1) for line in stdout.splitlines() if " = " in line)
    out = {}
    for n in names:
        chk = []
        for k, e in enumerate(SEED[n]["cdask"]):
            label = "%s_%d" % (n, k)
            if e.startswith("csv:"):
                with open(os.path.join(workdir, "out", label + ".csv")) as f:
                    chk += [float(line.rstrip("\n").split(",")[1]) for line in list(f)[1:]]
            else:
                chk.append(float(vals[label]))
        out[n] = {"rows": 0, "chk": chk}
    return out


def prepare_cdask(csv, label, names, script=None):
    d = os.path.join(OUT, "cdask_" + label)
    os.makedirs(os.path.join(d, "out"), exist_ok=True)
    with open(os.path.join(d, "prog.lua"), "w") as f:
        f.write(script or lua(names, csv))
    r = sh([os.path.join(ROOT, "build", "cdaskc"), "prog.lua", "-o", "prog"], cwd=d)
    if r.returncode:
        sys.exit("cdaskc: " + r.stderr)
    return d


def run_engine(engine, csv, label, names, runs):
    """csv: the groupby table's path, or the join tables' dict (make_join_data)"""
    env = dict(os.environ, NODE_PATH=os.path.join(NPM, "node_modules"), POLARS_MAX_THREADS="2",
               OMP_NUM_THREADS="2")
    join = isinstance(csv, dict)
    seed = names[0] in SEED
    if seed and engine == "cdask":
        d = prepare_cdask(None, "seed_" + label, names, seed_lua(names, csv))
        cmd, cwd = ["./prog", "--threads", "2", "--out", "out"], d
    elif seed and engine in ("duckdb", "polars"):
        spec = json.dumps({n: {k: SEED[n][k] for k in ("read", "duckdb", "polars")}
                           for n in names})
        cmd, cwd = ["node", os.path.join(HERE, "engine_node.js"), engine, "seed", csv, spec], OUT
    elif seed:
        cmd, cwd = ["/usr/bin/python3", os.path.join(HERE, "engine_py.py"), engine, "seed",
                    csv] + names, OUT
    elif join and engine == "cdask":
        d = prepare_cdask(None, "join_" + label, names, join_lua(names, csv))
        cmd, cwd = ["./prog", "--threads", "2", "--out", "out"], d
    elif join and engine in ("duckdb", "polars"):
        spec = json.dumps({n: list(JOINS[n]) for n in names})
        cmd, cwd = ["node", os.path.join(HERE, "engine_node.js"), engine, "join",
                    json.dumps(csv), spec], OUT
    elif join:
        cmd, cwd = ["/usr/bin/python3", os.path.join(HERE, "engine_py.py"), engine, "join",
                    json.dumps(csv)] + names, OUT
    elif engine == "cdask":
        d = prepare_cdask(csv, label, names)
        cmd, cwd = ["./prog", "--threads", "2", "--out", "out"], d
    elif engine in ("duckdb", "polars"):
        spec = json.dumps({n: ADVANCED[n] if n in ADVANCED else [QUESTIONS[n][0], QUESTIONS[n][1]]
                           for n in names})
        cmd, cwd = ["node", os.path.join(HERE, "engine_node.js"), engine, csv, spec], OUT
    else:
        cmd, cwd = ["/usr/bin/python3", os.path.join(HERE, "engine_py.py"), engine, csv] + names, OUT
    walls, rsss, answers = [], [], None
    for _ in range(runs):
        wall, rss, stdout = timed(cmd, cwd, env)
        walls.append(wall)
        rsss.append(rss)
        if engine == "cdask" and seed:
            answers = cdask_seed_answers(cwd, stdout, names)
        elif engine == "cdask":
            answers = cdask_join_answers(stdout, names) if join else cdask_answers(cwd, names)
        else:
            answers = json.loads(stdout.strip().splitlines()[-1])["answers"]
    return statistics.median(walls), max(rsss), answers


def agree(a, b):
    if a["rows"] != b["rows"] or len(a["chk"]) != len(b["chk"]):
        return False
    return all(abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y)) for x, y in zip(a["chk"], b["chk"]))


def parse_rate(csv, runs):
    """cdask summing two numeric columns of the file (v1, v3): the file's bytes per second
    per thread."""
    script = ('local dd = require("cdask.dataframe")\nlocal x = dd.read_csv("%s")\n'
              'dd.print(x.v1:sum(), "v1")\ndd.print(x.v3:sum(), "v3")\n' % csv)
    d = prepare_cdask(csv, "parse", [], script)
    walls = [timed(["./prog", "--threads", "2", "--out", "out"], d)[0] for _ in range(runs)]
    wall = statistics.median(walls)
    return wall, os.path.getsize(csv) / wall / 2 / 1e9


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--task", choices=["groupby", "join", "seed"], default="groupby")
    ap.add_argument("--questions", default=None,
                    help="default: q1,...,q10 (groupby), j1,...,j5 (join) or s1,...,s7 (seed)")
    args = ap.parse_args()
    engines = args.engines.split(",")
    join, seed = args.task == "join", args.task == "seed"
    every = (sorted(JOINS) if join else sorted(SEED) if seed else
             sorted({**QUESTIONS, **ADVANCED}, key=lambda q: int(q[1:])))
    names = args.questions.split(",") if args.questions else every
    csv = (make_join_data(args.rows) if join else make_seed_data(args.rows) if seed else
           make_data(args.rows))
    versions = npm_install() if {"duckdb", "polars"} & set(engines) else {}
    first = csv["x"] if join else csv
    print("# dataframe benchmark: %s (%.0f MB)%s, %d runs, 2 threads" %
          (os.path.basename(first), os.path.getsize(first) / 1e6,
           " joined with %s" % ", ".join("%s (%.0f MB)" % (os.path.basename(csv[s]),
                                                           os.path.getsize(csv[s]) / 1e6)
                                         for s in ("small", "medium", "big")) if join else "",
           args.runs))
    print("CPU: %s; npm: %s" % (cpu_model(), versions))
    rows = [(n, [n]) for n in names] + [("all", names)]
    results = {}
    for label, qs in rows:
        for e in engines:
            try:
                results[label, e] = run_engine(e, csv, label, qs, args.runs)
            except RuntimeError as err:
                results[label, e] = None
                print("%s %s failed: %s" % (label, e, err), flush=True)
            r = results[label, e]
            if r:
                print("  %-4s %-7s %8.3f s %8.0f MB" % (label, e, r[0], r[1]), flush=True)
    print()
    print("| question | " + " | ".join(engines) + " | answers agree |")
    print("| --- |" + " --- |" * (len(engines) + 1))
    for label, qs in rows:
        base = results.get((label, "cdask"))
        cells = []
        for e in engines:
            r = results.get((label, e))
            if not r:
                cells.append("failed")
                continue
            ratio = "" if e == "cdask" or not base else " (%.1fx)" % (r[0] / base[0])
            cells.append("%.3f s, %.0f MB%s" % (r[0], r[1], ratio))
        ok = base and all(results.get((label, e)) is None or
                          all(agree(base[2][q], results[label, e][2][q]) for q in qs)
                          for e in engines)
        print("| %s | %s | %s |" % (label, " | ".join(cells), "yes" if ok else "NO"))
    if seed:
        print()
        for n in names:
            print("%s: %s" % (n, SEED[n]["what"]))
    if "cdask" in engines and not join and not seed:
        wall, rate = parse_rate(csv, args.runs)
        print("\ncdask parse rate (v1 and v3 summed): %.3f s, %.2f GB/s per thread" % (wall, rate))
    shutil.rmtree(os.path.join(OUT, "cdask_parse"), ignore_errors=True)


if __name__ == "__main__":
    main()
