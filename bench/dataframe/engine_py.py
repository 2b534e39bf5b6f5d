#!/usr/bin/python3
"""pandas or Dask answering db-benchmark questions from the CSV (bench/dataframe/run.py):

    engine_py.py pandas|dask CSV q1 [q2 ...]
    engine_py.py pandas|dask join 'JSON of {"x": CSV, "small": CSV, ...}' j1 [j2 ...]
    engine_py.py pandas|dask seed CSV s1 [s2 ...]

reads the columns the questions need from the CSV (once), answers each question as pandas/groupby-pandas.py does
(groupby(..., as_index=False, sort=False, observed=True, dropna=False)), and prints one JSON
line: the seconds of the read and of the questions, and each answer's rows and checksum.
The join questions merge x with a right side as pandas/join-pandas.py does
(x.merge(rhs, how=..., on=...)); their checksum is the sums of v1 and v2. The seed's
operations (queries.py's SEED) each give a list of numbers, its checksum."""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from queries import (ADVANCED, JOINS, QUESTIONS, SEED, answer_checksum,  # noqa: E402
                     checksum, read_columns)


def join(engine, files, names):
    """The join questions (join-pandas.py): x merged with each right side, how and key."""
    sides = sorted({JOINS[n][0] for n in names})
    t0 = time.perf_counter()
    if engine == "pandas":
        import pandas as pd
        x = pd.read_csv(files["x"])
        rhs = {s: pd.read_csv(files[s]) for s in sides}
    else:
        import dask
        import dask.dataframe as dd
        dask.config.set(scheduler="threads", num_workers=2)
        x = dd.read_csv(files["x"])
        rhs = {s: dd.read_csv(files[s]) for s in sides}
        if len(names) > 1:
            x = x.persist()
    t1 = time.perf_counter()
    out = {}
    for n in names:
        side, how, key = JOINS[n]
        ans = x.merge(rhs[side], how=how, on=key)
        if engine == "pandas":
            rows, chk = len(ans), [float(ans["v1"].sum()), float(ans["v2"].sum())]
        else:
            import dask
            rows, v1, v2 = dask.compute(ans["v1"].count(), ans["v1"].sum(), ans["v2"].sum())
            chk = [float(v1), float(v2)]
        out[n] = {"rows": int(rows), "chk": chk}
    t2 = time.perf_counter()
    print(json.dumps({"read": t1 - t0, "questions": t2 - t1, "answers": out}))


def read(engine, csv, needed, several):
    """The columns needed of csv, as pandas' frame or Dask's (kept in memory when several
    questions read it, so it is read once)"""
    if engine == "pandas":
        import pandas as pd
        return pd.read_csv(csv, usecols=needed)
    import dask
    import dask.dataframe as dd
    dask.config.set(scheduler="threads", num_workers=2)
    x = dd.read_csv(csv, usecols=needed)
    return x.persist() if several else x


def seed(engine, csv, names):
    """The seed's operations on the squad CSV, the columns they need read once."""
    import pandas as pd
    t0 = time.perf_counter()
    x = read(engine, csv, sorted({c for n in names for c in SEED[n]["read"]}), len(names) > 1)
    t1 = time.perf_counter()
    vals = {n: eval(SEED[n][engine], {"x": x, "pd": pd}) for n in names}
    if engine == "dask":  # every operation's values in one compute, as a Dask user would
        import dask
        done = iter(dask.compute(*[v for n in names for v in vals[n]]))
        vals = {n: [next(done) for _ in vals[n]] for n in names}
    # a value may be a Series (df.mean()): its values in order
    out = {n: {"rows": 0, "chk": [float(u) for v in vals[n]
                                  for u in (v.tolist() if getattr(v, "ndim", 0) else [v])]}
           for n in names}
    t2 = time.perf_counter()
    print(json.dumps({"read": t1 - t0, "questions": t2 - t1, "answers": out}))


def main():
    if sys.argv[2] == "seed":
        return seed(sys.argv[1], sys.argv[3], sys.argv[4:])
    if sys.argv[2] == "join":
        return join(sys.argv[1], json.loads(sys.argv[3]), sys.argv[4:])
    engine, csv, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    t0 = time.perf_counter()
    x = read(engine, csv, sorted({c for n in names for c in read_columns(n)}), len(names) > 1)
    t1 = time.perf_counter()
    out = {}
    import pandas as pd  # noqa: F401 (the advanced questions' expressions use it)
    for n in names:
        if n in ADVANCED:  # an expression of x in this engine's words
            ans = eval(ADVANCED[n][engine], {"x": x, "pd": pd})
            rows, chk = answer_checksum(
                [(c, ans.iloc[:, k].tolist()) for k, c in enumerate(ans.columns)],
                ADVANCED[n]["keys"])
            out[n] = {"rows": len(ans), "chk": chk}
            continue
        keys, aggs = QUESTIONS[n]
        spec = {c: a for c, a in aggs}
        if engine == "pandas":
            ans = x.groupby(keys, as_index=False, sort=False, observed=True, dropna=False).agg(spec)
        else:
            ans = x.groupby(keys, dropna=False, observed=True).agg(spec).compute()
        out[n] = {"rows": len(ans), "chk": checksum([ans[c] for c, _ in aggs])}
    t2 = time.perf_counter()
    print(json.dumps({"read": t1 - t0, "questions": t2 - t1, "answers": out}))


if __name__ == "__main__":
    main()
