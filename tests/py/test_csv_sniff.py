#!/usr/bin/python3
"""compiler/csv_sniff.c, a CSV file's schema at compile time, against pandas (Debian's
python3-pandas) as the oracle:
- 80 generated files, each column one of: integers (signs, spaces around), integers with
  missing values, floats (exponents, inf, a point alone at either end), integers past int64
  among floats, bools (pandas' six spellings), bools with a missing value, bools among
  numbers, strings (quoted, with separators and newlines inside), numbers with one string,
  all missing, pandas' 19 NA strings quoted and not (pandas >= 2's: Debian's 1.5 is told
  "None" too), "nan" spellings pandas does not read, an integer past int64 first among
  floats (pandas: str; after a float: float64);
  with blank and whitespace-only lines, short rows (padded with missing values, as pandas
  pads them), "\\r\\n" row ends, ',' ';' or tab: every column's
  name and type (int64, float64, bool, str = object) are pandas.read_csv's, with the whole
  file sampled;
- na_values: a string added as missing turns an int column float64, as in pandas;
- sampling: a column that turns to str after row K is int64 when K rows are sampled (and
  the schema says the sample was not the whole file), str when K + 1 are;
- errors name the line: invalid UTF-8 (and its byte), a quote never closed (the line it
  opens), a row with too many fields (with the column names), a repeated column name, an empty file, a
  header with no rows.
The driver links the compiler's passes (tests/CMakeLists.txt, CDASK_BUILD/tests)."""

import io
import os
import random
import subprocess
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
NA = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
      "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]
PANDAS_TYPE = {"int64": "int64", "float64": "float64", "bool": "bool", "object": "str"}


DRIVER = tl.driver("csv_sniff_driver")


def sniff(path, rows, sep, na=()):
    r = subprocess.run([DRIVER, path, str(rows), sep] + list(na), capture_output=True,
                       text=True, timeout=60)
    lines = r.stdout.splitlines()
    if r.returncode != 0:
        return None, None, lines[0] if lines else r.stderr
    head = lines[0].split()
    cols = [tuple(l.split("\t")) for l in lines[1:]]
    return cols, (int(head[1]), head[3] == "1"), None


def quote(s):
    return '"' + s.replace('"', '""') + '"'


def column(rng, kind, n, sep):
    """n values of a column of the given kind (as CSV fields)."""
    pick = rng.choice
    if kind == "int":
        return [pick(["", "+", "-"]) + str(rng.randint(0, 10 ** rng.randint(1, 18))) +
                pick(["", "", " "]) for _ in range(n)]
    if kind == "int_na":
        vals = [str(rng.randint(-999, 999)) for _ in range(n)]
        vals[rng.randrange(n)] = pick(NA)
        return vals
    if kind == "float":
        return [pick(["1.5", "-0.25", "3e5", "1E-3", ".5", "5.", "inf", "-Infinity", "42",
                      str(rng.random())]) for _ in range(n)]
    if kind == "big_in_float":
        return [pick(["1.5", "99999999999999999999999", "2.5e3"]) for _ in range(n)]
    if kind == "bool":
        return [pick(["True", "TRUE", "true", "False", "FALSE", "false"]) for _ in range(n)]
    if kind == "bool_na":
        vals = [pick(["True", "false"]) for _ in range(n)]
        vals[rng.randrange(n)] = pick(["", "NA"])
        return vals
    if kind == "bool_num":
        return [pick(["True", "1", "0"]) for _ in range(n)]
    if kind == "str":
        return [pick(["Rennes", "Zoë", quote("a" + sep + "b"), quote("two\nlines"),
                      quote('say "hi"'), "x y"]) for _ in range(n)]
    if kind == "num_one_str":
        vals = [str(rng.randint(0, 99)) for _ in range(n)]
        vals[rng.randrange(n)] = pick(["abc", "1.2.3", "0x10", "+nan", "NAN", "1e400"])
        return vals
    if kind == "all_na":
        return [pick(NA) for _ in range(n)]
    if kind == "quoted_na":
        return [pick([quote("NA"), quote(""), "7", "8"]) for _ in range(n)]
    raise ValueError(kind)


KINDS = ["int", "int_na", "float", "big_in_float", "bool", "bool_na", "bool_num", "str",
         "num_one_str", "all_na", "quoted_na"]


def make_file(rng, sep):
    ncol = rng.randint(1, 6)
    kinds = [rng.choice(KINDS) for _ in range(ncol)]
    nrow = rng.randint(1, 30)
    cols = [column(rng, k, nrow, sep) for k in kinds]
    if ncol == 1:  # a lone empty field would be a blank line, which both skip
        cols[0] = [v if v.strip() else "NA" for v in cols[0]]
    names = ["c%d_%s" % (i, k) for i, k in enumerate(kinds)]
    eol = rng.choice(["\n", "\r\n"])
    lines = [sep.join(names)]
    for r in range(nrow):
        if rng.random() < 0.1:
            lines.append(rng.choice(["", "  "] + (["\t"] if sep != "\t" else [])))  # skipped
        # a short row: pandas pads it with missing values
        width = rng.randint(1, ncol - 1) if ncol > 1 and rng.random() < 0.08 else ncol
        lines.append(sep.join(c[r] for c in cols[:width]))
    return eol.join(lines) + rng.choice(["", eol])


def pandas_schema(text, sep, na=None):
    # "None" joined pandas' NA strings in 2.0 (the 19 the issue names); Debian's 1.5 has 18
    df = pd.read_csv(io.StringIO(text), sep=sep, na_values=["None"] + (na or []))
    return [(str(c), PANDAS_TYPE.get(str(t), str(t))) for c, t in df.dtypes.items()]


def check_against_pandas():
    rng = random.Random(15)
    d = tl.tempdir("sniff")
    try:
        bad = []
        for i in range(80):
            sep = [",", ";", "\t"][i % 3]
            text = make_file(rng, sep)
            path = os.path.join(d, "f%d.csv" % i)
            with open(path, "w", newline="") as f:
                f.write(text)
            cols, info, error = sniff(path, 10 ** 9, sep)
            want = pandas_schema(text, sep)
            if error or cols != want or not info[1]:
                bad.append((i, error or cols, want, text[:300]))
        R.check(not bad, "80 files: every column's name and type are pandas'",
                "%d differ, e.g. %s" % (len(bad), bad[:2]))
        text = "a,b\n1,x\nmissing,y\n3,z\n"
        path = os.path.join(d, "na.csv")
        with open(path, "w") as f:
            f.write(text)
        cols, _, _ = sniff(path, 100, ",", ["missing"])
        R.check(cols == pandas_schema(text, ",", ["missing"]) == [("a", "float64"), ("b", "str")],
                "na_values: an added missing string makes an int column float64", str(cols))
    finally:
        tl.rmtree(d)


def check_sampling():
    d = tl.tempdir("sniff_sample")
    try:
        path = os.path.join(d, "s.csv")
        with open(path, "w") as f:
            f.write("Age\n" + "".join("%d\n" % i for i in range(50)) + "vingt\n1\n")
        few, few_info, _ = sniff(path, 50, ",")
        more, more_info, _ = sniff(path, 51, ",")
        every, every_info, _ = sniff(path, 100, ",")
        R.check(few == [("Age", "int64")] and few_info == (50, False) and
                more == [("Age", "str")] and more_info == (51, False) and
                every == [("Age", "str")] and every_info == (52, True),
                "sampling: 50 rows say int64 (not the whole file), 51 see the string",
                str((few, few_info, more, more_info, every, every_info)))
    finally:
        tl.rmtree(d)


ERRORS = [
    (b"a,b\n1,2\n3,\xff\n", "error line 3: invalid UTF-8 at byte 3 of the line"),
    (b'a,b\n1,2\n3,"x\n4,5\n', "error line 3: a quoted field is never closed (its opening "
     "quote is on this line)"),
    (b"a,b\n1,2\n3,4,5\n", "error line 3: expected 2 fields (a, b), saw 3"),
    (b"a,b\n1,2\n\n3,4,5,6\n", "error line 4: expected 2 fields (a, b), saw 4"),
    (b"a,b,a\n1,2,3\n", "error line 1: the column name 'a' appears twice"),
    (b"", "error the file is empty: no header row"),
    (b"\n \n", "error the file is empty: no header row"),
    (b"a,b\n\n", "error the file has a header (a, b) but no rows"),
]


def check_errors():
    d = tl.tempdir("sniff_errors")
    try:
        for i, (data, want) in enumerate(ERRORS):
            path = os.path.join(d, "e%d.csv" % i)
            with open(path, "wb") as f:
                f.write(data)
            cols, _, error = sniff(path, 100, ",")
            R.check(error == want, "error: %r" % data, str(error or cols))
    finally:
        tl.rmtree(d)


def main():
    if not tl.driver_built(R, DRIVER):
        return R.finish()
    check_against_pandas()
    check_sampling()
    check_errors()
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
