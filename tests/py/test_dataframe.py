#!/usr/bin/python3
"""cdask.dataframe (issue 15) against pandas (Debian's python3-pandas) as the oracle, on
generated CSV files with missing values, quotes, separators and newlines inside fields,
unicode, empty strings, int/float/bool/str columns, one row, a few rows, more than 60 rows
(pandas' truncated repr) and thousands of rows over many blocks:
- dd.print of frames, columns, filtered frames (comparisons of numbers and strings, &, |,
  ~, isna, str.contains/startswith, str.len: int64 or float64 as pandas), head, loc with
  columns, iloc, arithmetic columns, fillna: the text is exactly pandas' repr;
- reductions of columns (sum mean min max count std var nunique) and of frames (numeric
  columns), value_counts (pandas 2's: counts descending, ties in order of first
  appearance, the index named after the column, the counts "count"): integers and strings
  exact, floats within 1e-12 relative;
- dd.to_csv: the bytes of pandas' to_csv;
- the same output for 1, 2 and 3 threads and for blocks of 1 kB and the default size."""

import math
import os
import random
import re
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
os.environ.pop("COLUMNS", None)  # pandas' repr: 80 columns, as a script's without a terminal
os.environ.pop("LINES", None)

NAMES = ["Zoé", "naïve", "Ana", "Bob", "a,b", 'say "hi"', "line\nbreak", "Stade_de_Rennes",
         "France", "日本", "x" * 60, " padded ", "Ana"]


def quote(s):
    return '"' + s.replace('"', '""') + '"'


def make_csv(rng, n):
    """A CSV text of n rows: id (int), x (float, some missing), flag (bool), name (str,
    some missing, quoted when needed), k (small ints: ties for value_counts)."""
    lines = ["id,x,flag,name,k"]
    for i in range(n):
        idv = rng.randint(-1000, 1000)
        r = rng.random()
        if r < 0.1:
            x = rng.choice(["", "NaN", "nan", "NA"])
        elif r < 0.15:
            x = "%.3e" % rng.uniform(-1e4, 1e4)
        else:
            x = "%.3f" % rng.uniform(-100, 100)
        flag = rng.choice(["True", "False", "true", "FALSE"])
        nm = rng.choice(NAMES + ["", "NA"])
        if nm and any(c in nm for c in ',"\n') or rng.random() < 0.1:
            nm = quote(nm)
        k = rng.randint(1, 5)
        lines.append("%d,%s,%s,%s,%d" % (idv, x, flag, nm, k))
    return "\n".join(lines) + ("\n" if rng.random() < 0.8 else "")


# (label, the Lua expression, the pandas value; kind: "text" for a repr, "num" for a scalar)
CASES = [
    ("frame", "df", lambda df: df, "text"),
    ("id", "df.id", lambda df: df.id, "text"),
    ("x", "df.x", lambda df: df.x, "text"),
    ("name", 'df["name"]', lambda df: df["name"], "text"),
    ("iloc2", "df:iloc(nil, 2)", lambda df: df.iloc[:, 2], "text"),
    ("head7", "df:head(7)", lambda df: df.head(7), "text"),
    ("sub", 'df[{"name", "id"}]', lambda df: df[["name", "id"]], "text"),
    ("gt", "df:loc(df.id:gt(0))", lambda df: df.loc[df.id > 0], "text"),
    ("eqs", 'df:loc(df.name:eq("Ana"))', lambda df: df.loc[df.name == "Ana"], "text"),
    ("brackets", "df[df.id:gt(0) & df.flag]", lambda df: df[(df.id > 0) & df.flag], "text"),
    ("sbrackets", "df.x[df.id:le(2)]", lambda df: df.x[df.id <= 2], "text"),
    ("nes", 'df:loc(df.name:ne("Ana"))', lambda df: df.loc[df.name != "Ana"], "text"),
    ("and", "df:loc(df.x:gt(0) & df.flag)", lambda df: df.loc[(df.x > 0) & df.flag], "text"),
    ("or", "df:loc(df.k:eq(1) | ~df.flag, {\"x\", \"k\"})",
     lambda df: df.loc[(df.k == 1) | ~df.flag, ["x", "k"]], "text"),
    ("isna", "df:loc(df.x:isna())", lambda df: df.loc[df.x.isna()], "text"),
    ("contains", 'df:loc(df.name.str.contains("a"))',
     lambda df: df.loc[df.name.str.contains("a", regex=False, na=False)], "text"),
    ("starts", 'df:loc(df.name.str.startswith("A"), "k")',
     lambda df: df.loc[df.name.str.startswith("A", na=False), "k"], "text"),
    ("arith", "df.id * 2 + df.k", lambda df: df.id * 2 + df.k, "text"),
    ("ratio", "df.x / df.k", lambda df: df.x / df.k, "text"),
    ("fillna", "df.x:fillna(0.5)", lambda df: df.x.fillna(0.5), "text"),
    ("fillnas", 'df.name:fillna("?")', lambda df: df.name.fillna("?"), "text"),
    ("name_len", "df.name.str.len()", lambda df: df.name.str.len(), "text"),
    ("fill_len", 'df.name:fillna("?").str.len()', lambda df: df.name.fillna("?").str.len(),
     "text"),
    ("mean", "df:mean()", lambda df: df.mean(numeric_only=True), "text"),
    ("sum", "df:sum()", lambda df: df.sum(numeric_only=True), "text"),
    ("count", "df:count()", lambda df: df.count(), "text"),
    ("std", "df:std()", lambda df: df.std(numeric_only=True), "text"),
    ("max", "df:max()", lambda df: df[["id", "x", "k"]].max(), "text"),
    ("gb_sum", 'df:groupby("k"):sum()', lambda df: df.groupby("k").sum(numeric_only=True), "text"),
    ("gb_mean", 'df:groupby("k").x:mean()', lambda df: df.groupby("k").x.mean(), "text"),
    ("gb_agg", 'df:groupby("name"):agg{{"x", "max"}, {"id", "min"}, {"flag", "first"}}',
     lambda df: df.groupby("name").agg({"x": "max", "id": "min", "flag": "first"}), "text"),
    ("gb_two", 'df:groupby({"k", "flag"}):count()', lambda df: df.groupby(["k", "flag"]).count(),
     "text"),
    ("gb_col_size", 'df:groupby("k").x:size()', lambda df: df.groupby("k").x.size(), "text"),
    ("gb_size", 'df:groupby("k", {sort = false}):size()',
     lambda df: df.groupby("k", sort=False).size(), "text"),
    ("gb_dropna", 'df:groupby("name", {dropna = false}).id:sum()',
     lambda df: df.groupby("name", dropna=False).id.sum(), "text"),
    ("gb_flat", 'df:groupby({"k", "flag"}, {as_index = false}):agg{x = "mean", id = "sum"}',
     lambda df: df.groupby(["k", "flag"], as_index=False).agg({"id": "sum", "x": "mean"}),
     "text"),
    ("gb_std", 'df:groupby("flag").x:std()', lambda df: df.groupby("flag").x.std(), "text"),
    ("gb_var", 'df:groupby("k").id:var()', lambda df: df.groupby("k").id.var(), "text"),
    ("gb_last", 'df:groupby("k"):last("name")', lambda df: df.groupby("k")["name"].last(),
     "text"),
    ("gb_filtered", 'df:loc(df.x:gt(0)):groupby("k").id:max()',
     lambda df: df.loc[df.x > 0].groupby("k").id.max(), "text"),
    ("vc_k", "df.k:value_counts()", None, "vc"),
    ("vc_name", "df.name:value_counts()", None, "vc"),
    ("vc_flag", "df.flag:value_counts()", None, "vc"),
    ("vc_x", "df:loc(df.k:le(2)).x:value_counts()", None, "vc"),
]
for col in ["id", "x", "k"]:
    for op in ["sum", "mean", "min", "max", "count", "std", "var", "nunique"]:
        CASES.append(("%s_%s" % (col, op), "df.%s:%s()" % (col, op),
                      (lambda c, o: lambda df: getattr(df[c], o)())(col, op), "num"))
for op in ["min", "max", "count", "nunique"]:
    CASES.append(("name_%s" % op, "df.name:%s()" % op,
                  (lambda o: lambda df: getattr(df["name"].dropna(), o)())(op), "num"))
CASES.append(("filtered_mean", "df:loc(df.flag).x:mean()", lambda df: df.loc[df.flag].x.mean(),
              "num"))
# reductions of a head's rows (the first rows of the file, or of a filter's rows)
for op in ["sum", "mean", "min", "max", "count", "std", "var"]:
    CASES.append(("head_x_%s" % op, "df:head(9).x:%s()" % op,
                  (lambda o: lambda df: getattr(df.head(9).x, o)())(op), "num"))
CASES.append(("head_id_sum", "df.id:head(40):sum()", lambda df: df.id.head(40).sum(), "num"))
# nunique of a head's rows, and of a computed frame's column (sorted rows), of each type
for col in ["x", "k", "name", "flag"]:
    CASES.append(("head_%s_nunique" % col, "df:head(30).%s:nunique()" % col,
                  (lambda c: lambda df: df.head(30)[c].nunique())(col), "num"))
CASES.append(("sorted_name_nunique", 'df:sort_values("x").name:nunique()',
              lambda df: df.sort_values("x").name.nunique(), "num"))
CASES.append(("filtered_head_k_max", "df:loc(df.flag):head(5).k:max()",
              lambda df: df.loc[df.flag].head(5).k.max(), "num"))


def counts(s):
    """pandas 2's value_counts (cdask's) of the Series s: counts descending, ties in order of
    first appearance (a stable sort, as pandas >= 3), named count, the index named by s"""
    vc = s.value_counts(sort=False).sort_values(ascending=False, kind="stable")
    vc.index.name, vc.name = s.name, "count"
    return vc


def value_counts(df, label):
    return counts({"vc_k": df.k, "vc_name": df.name, "vc_flag": df.flag,
                   "vc_x": df.loc[df.k <= 2].x}[label])


def printing_script(read_args, cases, last):
    """A test's Lua: df = dd.read_csv(read_args), a dd.print per case, then the line last"""
    lines = ['local dd = require("cdask.dataframe")', 'local df = dd.read_csv(%s)' % read_args]
    lines += ['dd.print(%s, "%s")' % (expr, label) for label, expr, _, _ in cases]
    return "\n".join(lines + [last]) + "\n"


def script(opts, rows=0, cases=None):
    return printing_script('"data.csv"%s' % opts, cases or CASES,
                           'dd.to_csv(df:loc(df.k:ge(3)), "out.csv")')


def sections(text, labels=None):
    """label -> the text dd.print gave it"""
    out, cur, buf = {}, None, []
    labels = labels or {c[0] for c in CASES}
    for line in text.split("\n"):
        m = re.match(r"^(\w+) =( (.*))?$", line)
        if m and m.group(1) in labels and m.group(1) not in out and (cur is None or
                                                                       m.group(1) != cur):
            if cur is not None:
                out[cur] = "\n".join(buf)
            cur, buf = m.group(1), ([m.group(3)] if m.group(2) else [])
        else:
            buf.append(line)
    if cur is not None:
        out[cur] = "\n".join(buf).rstrip("\n")
    return out


def close(got, want):
    if isinstance(want, float) or hasattr(want, "dtype") and "float" in str(want.dtype):
        try:
            g = float(got)
        except ValueError:
            return False
        w = float(want)
        if math.isnan(w):
            return math.isnan(g)
        return g == w or abs(g - w) <= 1e-12 * max(abs(w), abs(g))
    return got == str(want)


def check_file(name, text, opts="", cases=None, script_fn=script, vc_fn=value_counts,
               csv_fn=lambda df: df.loc[df.k >= 3].to_csv(), read_kw=None):
    """Runs script_fn(opts, rows, cases) on the CSV text for 1, 2, 3 threads; checks each
    case's dd.print against pandas (reading with read_kw too) and out.csv against csv_fn(df).
    Returns the output."""
    cases = cases or CASES
    d = tl.tempdir("df_" + name)
    try:
        tl.write(os.path.join(d, "data.csv"), text)
        df = pd.read_csv(os.path.join(d, "data.csv"), na_values=["None"], **(read_kw or {}))
        exe, r = tl.build_program(script_fn(opts, len(df), cases), d)
        if not R.check(exe is not None, name + ": compiles", tl.short(r.stderr)):
            return None
        outs = []
        for threads in ["1", "2", "3"]:
            p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
            if not R.check(p.returncode == 0, "%s: runs (%s threads)" % (name, threads),
                           tl.short(p.stderr)):
                return None
            with open(os.path.join(d, "out.csv")) as f:
                outs.append(p.stdout + f.read())
        R.check(outs[0] == outs[1] == outs[2], name + ": the same output for 1, 2, 3 threads")
        got = sections(p.stdout, {c[0] for c in cases})
        bad = []
        for label, _, fn, kind in cases:
            g = got.get(label)
            if kind == "vc":
                want = repr(vc_fn(df, label))
            else:
                want = fn(df)
                want = repr(want) if kind == "text" else want
            ok = g is not None and (close(g, want) if kind == "num" else g == want)
            if not ok:
                bad.append("%s:\n--- got\n%s\n--- pandas\n%s" % (label, g, want))
        R.check(not bad, "%s: %d outputs as pandas" % (name, len(cases)),
                "\n".join(bad[:3]) + ("\n(%d more)" % (len(bad) - 3) if len(bad) > 3 else ""))
        want_csv = csv_fn(df)
        R.check(outs[0].endswith(want_csv), name + ": to_csv is pandas' to_csv",
                tl.short(outs[0][-len(want_csv):]))
        return outs[0]
    finally:
        tl.rmtree(d)


# examples/seed000_dataframe.lua: label -> pandas' value of the tutorial's line
SEED000 = [
    ("head", lambda df: df.head(5), "text"),
    ("squad", lambda df: df, "text"),
    ("means", lambda df: df.mean(numeric_only=True), "text"),
    ("mean_age", lambda df: df.Age.mean(), "num"),
    ("numero_1", lambda df: df.loc[df["Numero"] == 1], "text"),
    ("first_column", lambda df: df.iloc[:, 1], "text"),
    ("debut_contrat", lambda df: df.DebutContrat, "text"),
    ("max_age", lambda df: df.Age.max(), "num"),
    ("ages", None, "vc"),
    ("from_rennes", lambda df: df.loc[df["ClubOrigine"] == "Stade_de_Rennes"], "text"),
    ("not_from_france", lambda df: df.loc[df["Pays_(origine)"] != "France"], "text"),
]


def check_seed000():
    """The seed's example prints what pandas prints for each of its lines."""
    d = tl.tempdir("df_seed000")
    try:
        for f in ["seed000_dataframe.lua", "staderennais.csv"]:
            with open(os.path.join(tl.SRC, "examples", f), "rb") as src:
                tl.write(os.path.join(d, f), src.read(), "wb")
        r = tl.cdaskc(["seed000_dataframe.lua", "-o", "squad"], cwd=d)
        if not R.check(r.returncode == 0, "seed000: compiles", tl.short(r.stderr)):
            return
        R.check("Pays_(origine)" in r.stdout and "int64" in r.stdout,
                "seed000: print(df) shows the columns and dtypes while compiling", r.stdout)
        p = tl.run([os.path.join(d, "squad")], cwd=d)
        if not R.check(p.returncode == 0, "seed000: runs", tl.short(p.stderr)):
            return
        got = sections(p.stdout, {s[0] for s in SEED000})
        df = pd.read_csv(os.path.join(d, "staderennais.csv"))
        bad = []
        for label, fn, kind in SEED000:
            if kind == "vc":
                vc = df.Age.value_counts(sort=False).sort_values(ascending=False, kind="stable")
                vc.index.name, vc.name = "Age", "count"
                want = repr(vc)
            else:
                want = fn(df)
                want = repr(want) if kind == "text" else want
            g = got.get(label)
            if not (g is not None and (close(g, want) if kind == "num" else g == want)):
                bad.append("%s:\n--- got\n%s\n--- pandas\n%s" % (label, g, want))
        R.check(not bad, "seed000: %d outputs as pandas" % len(SEED000), "\n".join(bad[:3]))
    finally:
        tl.rmtree(d)


def check_sizes(check, make, sizes, opts_1k=", {blocksize = 1024}"):
    """check(name, text[, opts]) on make(n) for each (name, n) of sizes; files of 1000 rows
    or more again in blocks of 1 kB (hundreds of blocks), which must print the same bits"""
    for name, n in sizes:
        text = make(n)
        a = check(name, text)
        if n >= 1000:
            b = check(name + "_1k", text, opts_1k)
            R.check(a is not None and a == b, name + ": blocks of 1 kB print what one block does")


def check_run_fails(name, files, script, want, code=3, out="out.csv"):
    """prog.lua (script) over the files {name: text} compiles; its run must stop with exit
    code, want in stderr, and out not written"""
    d = tl.tempdir("fails_" + name.replace(" ", "_"))
    try:
        for f, text in files.items():
            tl.write(os.path.join(d, f), text)
        exe, r = tl.build_program(script, d)
        if not R.check(exe is not None, name + ": compiles", tl.short(r.stderr)):
            return
        p = tl.run([exe, "--out", d], cwd=d)
        R.check(p.returncode == code and want in p.stderr and
                not os.path.exists(os.path.join(d, out)),
                "%s: exit %d, the message, nothing written" % (name, code),
                "exit %d: %s" % (p.returncode, tl.short(p.stderr)))
    finally:
        tl.rmtree(d)


def check_errors_on(prefix, text, prelude, errors):
    """tl.check_script_errors of errors with data.csv holding text"""
    d = tl.tempdir(prefix)
    try:
        tl.write(os.path.join(d, "data.csv"), text)
        tl.check_script_errors(R, d, prelude, errors)
    finally:
        tl.rmtree(d)


def main():
    check_seed000()
    rng = random.Random(15)
    check_sizes(check_file, lambda n: make_csv(rng, n),
                [("one_row", 1), ("few", 9), ("truncated", 75), ("many", 3000)])
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
