#!/usr/bin/python3
"""Bags under --mpi: read_text's and read_json_lines' blocks split over 1, 2 and 3 ranks
(mpirun), from_sequence's too; every rank's partial counts, frequencies, foldby tables (of
records, and of a flatten's words) and groupby counts combine in block order, so the
printed results are Dask's (Debian's python3-dask) and the same bytes for every rank
count. The JSON records nest an object: its fields are plucked, mapped and folded by."""

import ast
import json
import os
import random
import shutil
import sys
from operator import add

import dask
import dask.bag as dbag

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
dask.config.set(scheduler="sync")
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe"]

SCRIPT = """local db = require("cdask.bag")
local b = db.read_text("t*.txt", {blocksize = 4096})
db.print(b:count(), "count")
db.print(b.str:split():flatten():frequencies(true), "freq")
db.print(b.str:split():flatten():foldby(function(w) return w end,
         function(t, w) return t + #w end, 0, function(a, b) return a + b end, 0), "wfold")
db.print(b.str:split():flatten():groupby(function(w) return w.str:len() end)
           :map(function(g) return {g[1], #g[2]} end), "wlen")
local r = db.read_json_lines("ev.jsonl", {blocksize = 4096})
db.print(r:pluck("type"):frequencies(), "types")
db.print(r:foldby("type", function(t, x) return t + x.size end, 0,
                  function(a, b) return a + b end, 0), "by")
db.print(r:pluck("actor"):pluck("login"):frequencies(), "logins")
db.print(r:map(function(x) return x.actor.id * 2 end):sum(), "ids")
db.print(r:foldby(function(x) return x.actor.login end, function(t, x) return t + x.actor.id end,
                  0, function(a, b) return a + b end, 0), "byactor")
db.print(db.from_sequence({1, 2, 3, 4, 5, 6, 7}, {npartitions = 3})
           :map(function(x) return x * 2 end), "seq")
"""


def in_first_order(pairs, keys):
    """(key, ...) pairs in order of their keys' first appearance (cdask's order; Dask's
    shuffle orders the groups of several partitions by hash)"""
    return sorted(pairs, key=lambda p: keys.index(p[0]))


def main():
    if not shutil.which("mpirun"):
        R.check(False, "mpirun is installed (libopenmpi-dev, openmpi-bin)")
        return R.finish()
    rng = random.Random(7)
    d = tl.tempdir("bagmpi")
    try:
        for k in range(3):
            tl.write(os.path.join(d, "t%d.txt" % k), "".join(
                " ".join(rng.choice(["a", "b", "é", "dd", "Zz"]) for _ in range(rng.randint(0, 9)))
                + "\n" for _ in range(2000)))
        tl.write(os.path.join(d, "ev.jsonl"), "".join(
            json.dumps({"type": rng.choice(["x", "y", "zé"]), "size": rng.randint(0, 9),
                        "actor": {"id": rng.randint(0, 99), "login": rng.choice(["ann", "bø"])}})
            + "\n" for _ in range(3000)))
        b = dbag.read_text(sorted(os.path.join(d, "t%d.txt" % k) for k in range(3)))
        r = dbag.read_text(os.path.join(d, "ev.jsonl")).map(json.loads)
        want = {"count": b.count().compute(),
                "freq": b.str.split().flatten().frequencies(sort=True).compute(),
                "wfold": b.str.split().flatten().foldby(lambda w: w, lambda t, w: t + len(w),
                                                        0, add, 0).compute(),
                "wlen": in_first_order(b.str.split().flatten().groupby(len).map(
                    lambda g: (g[0], len(g[1]))).compute(),
                    b.str.split().flatten().map(len).compute()),
                "types": r.pluck("type").frequencies().compute(),
                "by": r.foldby("type", lambda t, x: t + x["size"], 0, add, 0).compute(),
                "logins": r.pluck("actor").pluck("login").frequencies().compute(),
                "ids": r.map(lambda x: x["actor"]["id"] * 2).sum().compute(),
                "byactor": r.foldby(lambda x: x["actor"]["login"],
                                    lambda t, x: t + x["actor"]["id"], 0, add, 0).compute(),
                "seq": dbag.from_sequence([1, 2, 3, 4, 5, 6, 7], npartitions=3)
                .map(lambda x: x * 2).compute()}
        tl.write(os.path.join(d, "prog.lua"), SCRIPT)
        c = tl.cdaskc(["prog.lua", "--mpi", "-o", "prog"], cwd=d)
        if not R.check(c.returncode == 0, "compiles with --mpi", tl.short(c.stderr)):
            return R.finish()
        outs = []
        for n in (1, 2, 3):
            p = tl.run(MPIRUN + ["-n", str(n), os.path.join(d, "prog"), "--out", d], cwd=d)
            got = {}
            for line in p.stdout.split("\n"):
                if line:
                    name, _, text = line.partition(" = ")
                    got[name] = ast.literal_eval(text)
            outs.append(p.stdout)
            R.check(p.returncode == 0 and got == want, "%d ranks: Dask's results" % n,
                    "exit %s %s\n%r" % (p.returncode, tl.short(p.stderr), got))
        R.check(len(set(outs)) == 1, "the same bytes on 1, 2 and 3 ranks")
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
