#!/usr/bin/python3
"""The bag benchmark (issue 16): word count over generated text, a JSON-lines aggregation
in the style of Dask's GitHub-archive demo (pluck("type"):frequencies() and a foldby of the
sizes by type, one program), and from_sequence(range(10^6)):fold(add) (dask/dask#5014),
under cdask, Dask's bag (Debian's; its multiprocessing scheduler and its threads, each
reported), hand-written C + OpenMP (handc.c) and DuckDB (SQL on the files, from the npm
registry as in bench/dataframe: engine_duckdb.js), two threads or processes each.

    bench/bag/run.py [--mb 1000] [--events 10000000] [--runs 3] [--dask-runs 1]
                     [--tasks words,json,fold]
                     [--engines cdask,handc,duckdb,dask-processes,dask-threads]

The inputs are made once by gen_bag.c into bench/out/bag/. Each engine runs as its own
process under /usr/bin/time (wall time, peak RSS); medians of --runs runs are reported
with the answers, which must agree across engines. The CPU model is recorded."""

import argparse
import ast
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "dataframe"))
import run as dataframe_bench  # noqa: E402  (its npm_install: DuckDB into bench/out/npm)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "bench", "out", "bag")
ENGINES = ["cdask", "handc", "duckdb", "dask-processes", "dask-threads"]
THREADS = 2

LUA = {
    "words": """local db = require("cdask.bag")
local words = db.read_text("%(path)s").str:split():flatten()
db.print(words:frequencies():topk(10, function(p) return p[2] end), "top")
""",
    "json": """local db = require("cdask.bag")
local r = db.read_json_lines("%(path)s")
db.print(r:pluck("type"):frequencies(), "types")
db.print(r:foldby("type", function(t, x) return t + x.size end, 0,
                  function(a, b) return a + b end, 0), "sizes")
""",
    "fold": """local db = require("cdask.bag")
db.print(db.range(%(path)s, {npartitions = 6}):fold(function(t, x) return t + x end), "total")
""",
}


sh, cpu_model = dataframe_bench.sh, dataframe_bench.cpu_model


def build(name, src, flags):
    exe = os.path.join(OUT, name)
    r = sh(["cc", "-O2", "-D_GNU_SOURCE"] + flags + ["-o", exe, os.path.join(HERE, src)])
    if r.returncode:
        sys.exit("%s: %s" % (src, r.stderr))
    return exe


def make_inputs(mb, events):
    os.makedirs(OUT, exist_ok=True)
    gen = build("gen_bag", "gen_bag.c", [])
    paths = {"words": os.path.join(OUT, "text_%dMB.txt" % mb),
             "json": os.path.join(OUT, "events_%d.jsonl" % events)}
    for task, path in paths.items():
        if not os.path.exists(path):
            print("making %s ..." % os.path.basename(path), flush=True)
            r = sh([gen, "text" if task == "words" else "json",
                    str(mb if task == "words" else events), path + ".tmp"])
            if r.returncode:
                sys.exit("gen_bag: " + r.stderr)
            os.rename(path + ".tmp", path)
    return paths


def timed(cmd, cwd):
    r = sh(["/usr/bin/time", "-f", "TIME %e %M"] + cmd, cwd=cwd)
    last = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
    if r.returncode or not last.startswith("TIME "):
        raise RuntimeError("%s: %s" % (" ".join(cmd), (r.stderr or r.stdout)[-1500:]))
    _, wall, rss = last.split()
    return float(wall), int(rss) / 1024.0, r.stdout


def answers(engine, stdout):
    """The answers as Python values: cdask's and Dask's "label = repr" lines; handc's own"""
    if engine != "handc":
        return {k: ast.literal_eval(v) for k, _, v in
                (line.partition(" = ") for line in stdout.splitlines() if " = " in line)}
    rows = [line.rsplit(" ", 2) for line in stdout.splitlines()]
    if len(rows) == 1 and len(rows[0]) == 1:
        return {"total": int(rows[0][0])}
    if rows and len(rows[0]) == 3 and rows[0][1].isdigit() and rows[0][2].lstrip("-").isdigit():
        return {"types": {r[0]: int(r[1]) for r in rows}, "sizes": {r[0]: int(r[2]) for r in rows}}
    return {"top": [(w, int(c)) for w, c in (line.rsplit(" ", 1) for line in stdout.splitlines())]}


def comparable(a):
    """frequencies and foldby pairs compared as dicts (their order is checked by the tests)"""
    return {k: sorted(dict(v).items()) if k in ("types", "sizes") else v for k, v in a.items()}


def command(engine, task, arg, workdir, exe_cache):
    if engine == "cdask":
        if task not in exe_cache:
            lua = os.path.join(workdir, "%s.lua" % task)
            with open(lua, "w") as f:
                f.write(LUA[task] % {"path": arg})
            exe = os.path.join(workdir, task)
            r = sh([os.path.join(ROOT, "build", "cdaskc"), lua, "-o", exe])
            if r.returncode:
                sys.exit("cdaskc: " + r.stderr)
            exe_cache[task] = exe
        return [exe_cache[task], "--threads", str(THREADS), "--out", workdir]
    if engine == "duckdb":
        return ["env", "NODE_PATH=" + os.path.join(dataframe_bench.NPM, "node_modules"), "node",
                os.path.join(HERE, "engine_duckdb.js"), task, arg]
    if engine == "handc":
        exe = exe_cache.setdefault("handc", build("handc", "handc.c", ["-fopenmp"]))
        return ["env", "OMP_NUM_THREADS=%d" % THREADS, exe, task, arg] + (["10"] if task == "words" else [])
    sched = engine.split("-", 1)[1]
    return ["/usr/bin/python3", os.path.join(HERE, "engine_dask_bag.py"), task, arg, sched, str(THREADS)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=1000)
    ap.add_argument("--events", type=int, default=10000000)
    ap.add_argument("--fold-n", type=int, default=1000000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dask-runs", type=int, default=1, help="Dask's runs (its minutes)")
    ap.add_argument("--tasks", default="words,json,fold")
    ap.add_argument("--engines", default=",".join(ENGINES))
    args = ap.parse_args()
    paths = make_inputs(args.mb, args.events)
    paths["fold"] = str(args.fold_n)
    workdir = os.path.join(OUT, "work")
    os.makedirs(workdir, exist_ok=True)
    engines = args.engines.split(",")
    if "duckdb" in engines:
        print("DuckDB: %s" % dataframe_bench.npm_install().get("@duckdb/node-api", "?"))
    print("# bag benchmark: %d MB of text, %d events, fold of %d; %d runs, %d threads"
          % (args.mb, args.events, args.fold_n, args.runs, THREADS))
    print("CPU: %s" % cpu_model(), flush=True)
    cache, table = {}, []
    for task in args.tasks.split(","):
        results = {}
        for engine in engines:
            times, rss, ans = [], 0.0, None
            try:
                for _ in range(args.dask_runs if engine.startswith("dask") else args.runs):
                    t, m, out = timed(command(engine, task, paths[task], workdir, cache), workdir)
                    times.append(t)
                    rss = max(rss, m)
                    ans = comparable(answers(engine, out))
            except RuntimeError as e:
                print("  %-5s %-15s failed: %s" % (task, engine, str(e)[:300]), flush=True)
                continue
            results[engine] = (statistics.median(times), rss, ans)
            print("  %-5s %-15s %8.3f s %8.0f MB" % (task, engine, results[engine][0], rss),
                  flush=True)
        base = results.get("cdask")
        agree = len({repr(sorted(v[2].items())) for v in results.values()}) == 1
        row = ["%s" % task]
        for engine in engines:
            if engine not in results:
                row.append("-")
                continue
            t, m, _ = results[engine]
            ratio = " (%.1fx)" % (t / base[0]) if base and engine != "cdask" else ""
            row.append("%.3f s, %.0f MB%s" % (t, m, ratio))
        row.append("yes" if agree else "NO")
        table.append(row)
    print("\n| task | %s | answers agree |" % " | ".join(engines))
    print("| --- |%s --- |" % (" --- |" * len(engines)))
    for row in table:
        print("| %s |" % " | ".join(row))


if __name__ == "__main__":
    main()
