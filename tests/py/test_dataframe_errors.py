#!/usr/bin/python3
"""cdask.dataframe's errors (issue 15): each names the file and line (and column) and what
is wrong, exits non-zero, and writes nothing.
- compile time, at the script's line: a column the file lacks (attribute, [], a list,
  dtype, usecols), a file that is missing, empty, a header only, with a row of too many
  fields (the column names), a repeated name (in the file or in names), names that do not
  match the header, header = 1, no file and no dtype for a column, invalid UTF-8 (its
  byte), a quote never closed (its line), an unknown dtype, a glob that matches no file,
  Series of two frames combined, a mask of another frame;
- run time (exit 3, the .csv output not written): a value that is no int64 after the
  sample (file:line:column, the way out: dtype or sample = "all"), a missing value in an
  int64 column, a declared dtype that does not hold, a header that changed since
  compiling, a row with too many fields, a short row missing an int64 value, invalid
  UTF-8 (also deep in a later block: its file offset), an unclosed quote, a file gone;
  with many blocks the first bad row of the file is named, for 1, 2 and 3 threads."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
PRELUDE = 'local dd = require("cdask.dataframe")\n'
GOOD = "Age,Nom,Taille\n" + "".join("%d,p%d,1.%02d\n" % (20 + i % 15, i, i % 100)
                                    for i in range(40))


def compile_case(name, csv, body, want, csv_bytes=None):
    d = tl.tempdir("dferr")
    try:
        path = os.path.join(d, "data.csv")
        if csv_bytes is not None:
            tl.write(path, csv_bytes, "wb")
        elif csv is not None:
            tl.write(path, csv)
        exe, r = tl.build_program(PRELUDE + body, d)
        msg = r.stderr.strip()
        R.check(exe is None and r.returncode != 0 and want in msg and
                os.listdir(d) == [x for x in os.listdir(d) if x in ("data.csv", "prog.lua")],
                "compile: " + name, "rc %s: %s" % (r.returncode, tl.short(msg)))
    finally:
        tl.rmtree(d)


def run_case(name, csv_at_compile, csv_at_run, want, body=None, threads=("1",),
             run_bytes=None):
    d = tl.tempdir("dferr")
    try:
        path = os.path.join(d, "data.csv")
        tl.write(path, csv_at_compile)
        body = body or ('local df = dd.read_csv("data.csv", {sample = 5})\n'
                        'dd.print(df.Age:sum(), "s")\ndd.to_csv(df, "out.csv")\n')
        exe, r = tl.build_program(PRELUDE + body, d)
        if not R.check(exe is not None, "run: %s: compiles" % name, tl.short(r.stderr)):
            return
        if run_bytes is not None:
            tl.write(path, run_bytes, "wb")
        elif csv_at_run is None:
            os.remove(path)
        else:
            tl.write(path, csv_at_run)
        out = os.path.join(d, "out")
        os.mkdir(out)
        for t in threads:
            p = tl.run([exe, "--threads", t, "--out", out], cwd=d)
            R.check(p.returncode == 3 and want in p.stderr and os.listdir(out) == [] and
                    p.stdout == "", "run: %s (%s threads)" % (name, t),
                    "rc %s, files %s: %s" % (p.returncode, os.listdir(out), tl.short(p.stderr)))
    finally:
        tl.rmtree(d)


def culling():
    """A column no output needs is never converted: a bad value there stops nothing, and
    neither does a reduction the script makes but never prints (projection pushdown and
    culling); printed, the same reduction stops the run at the bad value."""
    d = tl.tempdir("dfcull")
    try:
        tl.write(os.path.join(d, "data.csv"), GOOD)
        body = ('local df = dd.read_csv("data.csv", {sample = 5})\n'
                'local unused = df.Age:sum()\n'
                'dd.print(df.Taille:max(), "t")\n%s')
        for name, extra, rc in [("unused", "", 0), ("printed", 'dd.print(unused, "u")\n', 3)]:
            sub = os.path.join(d, name)
            os.mkdir(sub)
            tl.write(os.path.join(sub, "data.csv"), GOOD)
            exe, r = tl.build_program(PRELUDE + body % extra, sub)
            if not R.check(exe is not None, "culling %s: compiles" % name, tl.short(r.stderr)):
                continue
            tl.write(os.path.join(sub, "data.csv"), GOOD.replace("\n33,p13,", "\nvingt,p13,"))
            p = tl.run([exe], cwd=sub)
            R.check(p.returncode == rc and (rc or p.stdout.strip() == "t = 1.39"),
                    "culling: a reduction %s %s the run at a bad value of its column" %
                    (name, "stops" if rc else "does not stop"),
                    "rc %s: %s %s" % (p.returncode, p.stdout, tl.short(p.stderr)))
    finally:
        tl.rmtree(d)


def main():
    culling()
    use = 'local df = dd.read_csv("data.csv")\n'
    compile_case("attribute", GOOD, use + "dd.print(df.Agee:sum())\n",
                 "prog.lua:3: error: KeyError: 'Agee' (the frame's columns: Age, Nom, Taille)")
    compile_case("index", GOOD, use + 'dd.print(df["x"])\n', "prog.lua:3: error: KeyError: 'x'")
    compile_case("list", GOOD, use + 'dd.print(df[{"Age", "y"}])\n',
                 "prog.lua:3: error: KeyError: 'y'")
    compile_case("dtype column", GOOD,
                 'local df = dd.read_csv("data.csv", {dtype = {Ag = "str"}})\n',
                 "prog.lua:2: error: read_csv: dtype names column 'Ag', which data.csv does not have")
    compile_case("usecols", GOOD, 'local df = dd.read_csv("data.csv", {usecols = {"Nom", "q"}})\n',
                 "prog.lua:2: error: read_csv: usecols names 'q'")
    compile_case("unknown dtype", GOOD,
                 'local df = dd.read_csv("data.csv", {dtype = {Age = "int8"}})\n',
                 "prog.lua:2: error: read_csv: column 'Age': unknown dtype 'int8'")
    compile_case("missing file", None, use, "prog.lua:2: error: read_csv: cannot read 'data.csv'")
    compile_case("empty file", "", use, "prog.lua:2: error: read_csv: 'data.csv' is empty")
    compile_case("header only", "a,b\n", use, "prog.lua:2: error: read_csv: data.csv:")
    compile_case("ragged", "a,b\n1,2\n3,4,5\n", use,
                 "prog.lua:2: error: read_csv: data.csv: 3: expected 2 fields (a, b), saw 3")
    compile_case("repeated name", "a,a\n1,2\n", use, "prog.lua:2: error: read_csv: data.csv:")
    compile_case("repeated in names", "1,2\n", 'local df = dd.read_csv("data.csv", '
                 '{names = {"a", "a"}})\n', "prog.lua:2: error: read_csv: data.csv: names: the "
                 "column name 'a' appears twice")
    compile_case("names and header differ", "a,b,c\n1,2,3\n",
                 'local df = dd.read_csv("data.csv", {header = 0, names = {"a", "b"}})\n',
                 "prog.lua:2: error: read_csv: data.csv: 1: the header has 3 fields, names gives 2")
    compile_case("header row 1", GOOD, 'local df = dd.read_csv("data.csv", {header = 1})\n',
                 "prog.lua:2: error: read_csv: header must be 0 (the first row names the "
                 "columns) or false (no header row)")
    compile_case("no file, a dtype missing", None,
                 'local df = dd.read_csv("data.csv", {names = {"a", "b"}, dtype = {a = "str"}})\n',
                 "prog.lua:2: error: read_csv: cannot read 'data.csv': No such file or directory "
                 "(without the file, names and a dtype for every column compile the script; "
                 "column 'b' has none)")
    compile_case("utf-8", None, use, "invalid UTF-8", csv_bytes=b"a,b\n1,\xff\n")
    compile_case("quote", 'a,b\n1,"x\n2,y\n', use, "never closed")
    compile_case("glob", GOOD, 'local df = dd.read_csv("part-*.csv")\n',
                 "prog.lua:2: error: read_csv: no file matches 'part-*.csv'")
    compile_case("two frames", GOOD,
                 use + 'local f2 = df:loc(df.Age:gt(30))\ndd.print(df.Age + f2.Age)\n',
                 "prog.lua:4: error: the two Series come from different frames")
    compile_case("mask of a filtered frame", GOOD,
                 use + 'local f2 = df:loc(df.Age:gt(30))\ndd.print(df:loc(f2.Age:gt(1)))\n',
                 "prog.lua:4: error: loc: the mask comes from another frame")
    compile_case("string and number", GOOD, use + 'dd.print(df:loc(df.Nom:lt(3)))\n',
                 "prog.lua:3: error: TypeError")
    # the operations on whole frames (lua_frame_ops.c)
    compile_case("sort by a missing column", GOOD, use + 'dd.print(df:sort_values("Ag"))\n',
                 "prog.lua:3: error: sort_values: KeyError: 'Ag' (the columns: Age, Nom, Taille)")
    compile_case("sort without by", GOOD, use + "dd.print(df:sort_values())\n",
                 "prog.lua:3: error: sort_values: give the column(s) to sort by")
    compile_case("ascending length", GOOD,
                 use + 'dd.print(df:sort_values({"Age", "Nom"}, {ascending = {true}}))\n',
                 "prog.lua:3: error: sort_values: Length of ascending (1) != length of by (2)")
    compile_case("sort option", GOOD,
                 use + 'dd.print(df:sort_values("Age", {kind = "quicksort"}))\n',
                 "prog.lua:3: error: sort_values: option 'kind' is not supported")
    # a misspelt option is pandas' TypeError, never silently ignored
    for what, call, key, names in [
            ("read_csv", 'dd.read_csv("data.csv", {dtypes = {Age = "float64"}}).Age:sum()',
             "dtypes", "sep header names usecols dtype parse_dates na_values keep_default_na "
             "sample blocksize on_bad_lines"),
            ("sort_values", 'df:sort_values("Age", {ascendng = false})', "ascendng",
             "ascending na_position"),
            ("groupby", 'df:groupby("Nom", {drop_na = false}).Age:sum()', "drop_na",
             "sort dropna as_index observed"),
            ("value_counts", "df.Nom:value_counts{normalise = true}", "normalise",
             "sort normalize"),
            ("drop_duplicates", 'df:drop_duplicates{subset = {"Age"}, kep = "last"}', "kep",
             "subset keep"),
            ("rolling", "df.Age:rolling(2, {minperiods = 1}):sum()", "minperiods",
             "min_periods center closed on"),
            ("std", "df.Age:std{dof = 0}", "dof", "ddof"),
            ("rank", 'df.Age:rank{methd = "min"}', "methd", "method ascending pct na_option"),
            ("str.contains", 'df.Nom.str:contains("p1", {cas = false})', "cas", "regex case")]:
        compile_case("option " + key, GOOD, use + "dd.print(%s)\n" % call,
                     "prog.lua:3: error: %s: TypeError: got an unexpected keyword argument "
                     "'%s' (its options: %s)" % (what, key, names))
    compile_case("read_csv arguments", GOOD,
                 'dd.print(dd.read_csv("data.csv", {sep = ","}, {blocksize = 64}))\n',
                 "prog.lua:2: error: read_csv takes a path and one table of options, got 3 "
                 "arguments")
    compile_case("describe of bools", "b\nTrue\nFalse\n",
                 use + 'dd.print(df:describe())\n',
                 "prog.lua:3: error: describe: the frame has no column of numbers or strings (the "
                 "describe of bools or datetimes alone is not supported yet)")
    compile_case("groupby method", GOOD, use + 'dd.print(df:groupby("Nom").Age:ohlc())\n',
                 "prog.lua:3: error: groupby: 'ohlc' is no method of a SeriesGroupBy (its "
                 "methods: sum, mean, min, max, count, size, std, var, first, last, agg, median")
    compile_case("groupby column", GOOD, use + 'dd.print(df:groupby("Nom").Agee:sum())\n',
                 "prog.lua:3: error: groupby: 'Agee' is no method nor column (its methods: ")
    compile_case("nlargest of strings", GOOD, use + 'dd.print(df:nlargest(3, "Nom"))\n',
                 "prog.lua:3: error: Column 'Nom' has dtype object, cannot use method 'nlargest' "
                 "with this dtype")
    compile_case("nlargest without n", GOOD, use + 'dd.print(df:nlargest("Age"))\n',
                 "prog.lua:3: error: nlargest: n must be an integer")
    compile_case("keep", GOOD, use + 'dd.print(df:drop_duplicates{keep = "middle"})\n',
                 "prog.lua:3: error: drop_duplicates: keep must be \"first\", \"last\" or false")
    compile_case("assign without order", GOOD,
                 use + "dd.print(df:assign{a = df.Age, b = df.Taille})\n",
                 "prog.lua:3: error: assign: several columns in {c = ...} have no order in Lua")
    compile_case("assign another frame", GOOD,
                 use + "local f2 = df:loc(df.Age:gt(30))\ndd.print(df:assign{a = f2.Age})\n",
                 "prog.lua:4: error: the two Series come from different frames")
    compile_case("median of strings", GOOD, use + "dd.print(df.Nom:median())\n",
                 "prog.lua:3: error: median of a Series of object is not supported")
    compile_case("computed and lazy", GOOD,
                 use + 'dd.print(df:groupby("Nom"):sum().Age - df.Age)\n',
                 "prog.lua:3: error: a computed Series and a column of a frame have different rows")
    compile_case("two computed frames", GOOD,
                 use + 'dd.print(df:groupby("Nom"):sum().Age - df:groupby("Age"):sum().Taille)\n',
                 "prog.lua:3: error: the two computed Series come from different frames")
    compile_case("computed column", GOOD,
                 use + 'dd.print(df:groupby("Nom"):agg{Age = "sum"}.Taille)\n',
                 "prog.lua:3: error: Series has no attribute or method 'Taille'")

    bad = GOOD.replace("\n33,p13,", "\nvingt,p13,")
    run_case("not an int", GOOD, bad,
             "data.csv:15:1: column 'Age': cannot read 'vingt' as int64 (type found from the "
             "first 5 rows; pass dtype = {Age = \"str\"} or sample = \"all\") "
             "(dd.read_csv at prog.lua:2)")
    run_case("astype of NaN", "x\n1.5\nNaN\n2.5\n", "x\n1.5\nNaN\n2.5\n",
             "data.csv:3: cannot convert nan to int64 (astype at prog.lua:5): NaN and "
             "infinities have no integer (dd.read_csv at prog.lua:2)",
             body='local df = dd.read_csv("data.csv")\nlocal y = df.x * 2\n\n'
                  'dd.print(y:astype("int64"), "y")\ndd.to_csv(df, "out.csv")\n')
    run_case("a float in an int column", GOOD, GOOD.replace("\n33,p13,", "\n33.5,p13,"),
             "cannot read '33.5' as int64 (type found from the first 5 rows; pass dtype = "
             "{Age = \"float64\"}")
    run_case("missing int", GOOD, GOOD.replace("\n33,p13,", "\n,p13,"),
             "data.csv:15:1: column 'Age': a missing value in an int64 column")
    run_case("declared", GOOD, GOOD.replace("p13,1.13", "p13,grand"),
             "data.csv:15:8: column 'Taille': cannot read 'grand' as float64 (dtype declares it "
             "float64)",
             body='local df = dd.read_csv("data.csv", {dtype = {Taille = "float64"}})\n'
                  'dd.print(df.Taille:sum(), "s")\ndd.to_csv(df, "out.csv")\n')
    run_case("header changed", GOOD, GOOD.replace("Age,Nom", "Age,Name", 1),
             "data.csv:1: the header changed since cdaskc read it: it was 'Age,Nom,Taille', it "
             "is now 'Age,Name,Taille'")
    run_case("ragged", GOOD, GOOD.replace("p13,1.13", "p13,1.13,x"),
             "data.csv:15: expected 3 fields (Age, Nom, Taille), saw 4")
    ints = "a,b\n" + "1,2\n" * 10
    run_case("short row, int column", ints, ints + "3\n",
             "data.csv:12:2: column 'b': a missing value (a short row) in an int64 column "
             "(type found from the first 5 rows; pass dtype = {b = \"float64\"}",
             body='local df = dd.read_csv("data.csv", {sample = 5})\n'
                  'dd.print(df.b:sum(), "s")\ndd.to_csv(df, "out.csv")\n')
    run_case("utf-8", GOOD, None, "data.csv:15:5: invalid UTF-8 (byte 0xe9",
             run_bytes=GOOD.replace("p13", "p\xe913").encode("latin-1"))
    run_case("quote", GOOD, GOOD.replace("p13", '"p13'),
             "data.csv:15: a quoted field is never closed")
    run_case("file gone", GOOD, None, "cannot read data.csv: No such file")
    # many blocks, two bad rows: the first is named whatever the threads do
    big = "Age,Nom,Taille\n" + "".join("%d,p%d,1.5\n" % (i % 50, i) for i in range(20000))
    lines = big.split("\n")
    lines[3001] = "x1,p,1.5"
    lines[15001] = "x2,p,1.5"
    run_case("first of two", big, "\n".join(lines),
             "data.csv:3002:1: column 'Age': cannot read 'x1'",
             body='local df = dd.read_csv("data.csv", {sample = 5, blocksize = 4096})\n'
                  'dd.print(df.Age:sum(), "s")\ndd.to_csv(df, "out.csv")\n',
             threads=("1", "2", "3"))
    # invalid UTF-8 deep in a block that starts mid-page: its line, column and file offset
    lines = big.split("\n")
    lines[12345] = lines[12345].replace(",p", ",p\xe9", 1)
    data = "\n".join(lines).encode("latin-1")
    at = data.index(b"\xe9")
    col = at - data.rindex(b"\n", 0, at)
    run_case("utf-8 in a later block", big, None,
             "data.csv:12346:%d: invalid UTF-8 (byte 0xe9 at offset %d of the file)" % (col, at),
             run_bytes=data,
             body='local df = dd.read_csv("data.csv", {sample = 5, blocksize = 4096})\n'
                  'dd.print(df.Age:sum(), "s")\ndd.to_csv(df, "out.csv")\n',
             threads=("1", "2"))
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
