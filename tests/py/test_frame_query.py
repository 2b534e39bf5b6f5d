#!/usr/bin/python3
"""df:query(expr) (issue 15), pandas' filter written as a Python expression, against pandas
1.5's df.query of the same text (Debian's python3-pandas) on a generated CSV with missing
numbers and strings, unicode and a column name with a space:
- comparisons of numbers, strings and bools, chained (1 < k <= 3), against constants on
  either side and against other columns; == and != of a list, in and not in;
- and, or, not, &, |, ~ with pandas' precedence (& and | below the comparisons);
- arithmetic + - * / // % ** and unary minus inside comparisons, parentheses;
- `quoted names`, @locals from local_dict, True and False, Python numbers (1_000, 1e3, .5);
- df:eval(expr) against pandas' df.eval: an expression's Series, and lines of assignments
  (each reading the ones before it, over an existing column, a constant);
- index (the labels) of from_arrays frames, a RangeIndex and a DatetimeIndex;
- 1, 2 and 3 threads and blocks of 1 kB print the same;
- errors at the script's line: a syntax error (the character), an unknown name (the
  columns), an unknown @local, a comparison of constants, an expression that is not a
  condition, an unclosed string, a list holding a column, an unknown option, nesting
  deeper than Python's 200 parentheses (a long expression quoted around the character)."""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402
import numpy as np  # noqa: E402

R = td.R
tl = td.tl
pd = td.pd

WORDS = ["a", "Zoé", "naïve", "x y", "True", "b"]
LOCALS = {"lim": 2, "word": "Zoé", "few": [1, 3]}


def make_csv(rng, n):
    rows = []
    for _ in range(n):
        f = rng.choice(["", "-0.0", "0.1", "3.0", "-2.75", "%.3f" % rng.uniform(-10, 10)])
        s = rng.choice(WORDS + [""])
        s = '"%s"' % s if s and " " in s else s
        rows.append(",".join([str(rng.randrange(-5, 6)), f, s, rng.choice(["True", "False"]),
                              str(rng.randrange(0, 2000))]))
    return "k,f,s,b,v w\n" + "\n".join(rows) + "\n"


QUERIES = [
    "k > 1 and f < 3",
    "1 < k <= 3",
    "-2 <= k < f",
    "k >= f",
    "s == 'a' | s in ['b', 'Zoé']",
    "s != 'x y' and not b",
    "s not in ['a', 'naïve'] & ~(k == 2)",
    "k == [1, -4, 5]",
    "k != [0, 1]",
    "b",
    "~b | k < 0",
    "b == False",
    "not (k > 0 or f > 0)",
    "k * 2 + 1 > f ** 2",
    "k // 2 == -1 or k % 3 == 1",
    "k / 4 <= .5 and f * -1 > -1e1",
    "-k < -2",
    "`v w` > 1_000",
    "`v w` % 7 == k + 5",
    "k > @lim and s == @word",
    "k in @few",
    "s > 'a' and s <= 'x y'",
    "(k > 0) & (f > 0) | (s == \"True\")",
    "b & True",
    "k + f > 2 or k - f < -2",
]


def lua_str(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


CASES = [("q%d" % i,
          "df:query(%s, {local_dict = {lim = 2, word = \"Zoé\", few = {1, 3}}})" % lua_str(q),
          (lambda q: lambda df: df.query(q, local_dict=LOCALS))(q), "text")
         for i, q in enumerate(QUERIES)]


EVALS = [
    "k * 2 + f",
    "k > 1 and ~b",
    "`v w` // 3 - k ** 2",
    "c = k * 2\nd = c + f\ne = k > @lim",
    "k = -k",
    "k + 2 ** 3 - 7 // 2",
    "z = 3",
    "t = s == 'Ana'\n  u = `v w` % 5",
]
CASES += [("e%d" % i,
           "df:eval(%s, {local_dict = {lim = 2}})" % lua_str(q).replace("\n", "\\n"),
           (lambda q: lambda df: df.eval(q, local_dict=LOCALS))(q), "text")
          for i, q in enumerate(EVALS)]


def script(opts, rows, cases):
    return td.printing_script('"data.csv", {dtype = {s = "str"}%s}' % opts, cases,
                              'dd.to_csv(df:query("k > 0 and s == s"), "out.csv")')


def check_file(name, text, opts=""):
    return td.check_file(name, text, opts, CASES, script, None,
                         lambda df: df.query("k > 0 and s == s").to_csv(),
                         read_kw={"dtype": {"s": str}})


PRELUDE = ('local dd = require("cdask.dataframe")\n'
           'local df = dd.read_csv("data.csv", {dtype = {s = "str"}})\n')


def at(q, i, what):
    return 'query: at character %d of "%s": %s' % (i, q, what)


ERRORS = [
    ("shift", 'df:query("k >> 1")', at("k >> 1", 4, "unexpected '>'")),
    ("name", 'df:query("zz > 1")',
     "query: name 'zz' is not defined (pandas' UndefinedVariableError; the columns: k, f, s, "
     "b, v w)"),
    ("local", 'df:query("k > @x", {local_dict = {lim = 2}})',
     "query: local variable 'x' is not defined (give it in {local_dict = {x = ...}})"),
    ("consts", 'df:query("1 < 2")', at("1 < 2", 6, "a comparison of two constants")),
    ("not_cond", 'df:query("k + 1")',
     'query: "k + 1" is not a condition of the rows (a Series of bools)'),
    ("string", "df:query(\"k > 'a\")", at("k > 'a", 7, "the string is not closed")),
    ("paren", 'df:query("(k > 1")', at("(k > 1", 7, "expected ')'")),
    ("trailing", 'df:query("k > 1 extra")', at("k > 1 extra", 7, "unexpected 'extra'")),
    ("keyword", 'df:query("in k")', at("in k", 1, "unexpected 'in'")),
    ("at_alone", 'df:query("k > @")', at("k > @", 6, "expected a name after '@'")),
    ("unicode_word", 'df:query("k > 1 é")', at("k > 1 é", 7, "unexpected 'é'")),
    ("list_col", 'df:query("k in [k]")', at("k in [k]", 8, "a list holds constants only")),
    ("empty", 'df:query("")', at("", 1, "unexpected end of the expression")),
    ("unicode_at", 'df:query("s == \'Zoé\' >> 1")', at("s == 'Zoé' >> 1", 13, "unexpected '>'")),
    ("deep", 'df:query("%sk > 1%s")' % ("(" * 201, ")" * 201),
     'query: at character 201 of the expression (407 characters), in "%s": nested too '
     'deeply (parentheses, not and unary operators)' % ("(" * 201 + "k > 1" + ")" * 201)[170:230]),
    ("eval_const", 'df:eval("1 + 2")', 'eval: "1 + 2" does not read a column (a constant)'),
    ("eval_two", 'df:eval("c = k d = 1")',
     'eval: at character 7 of "c = k d = 1": unexpected \'d\''),
    ("eval_line", 'df:eval("c = k\\nk + 1")',
     'eval: at character 7 of "c = k\\nk + 1": expected an assignment (name = expression)'),
    ("div0", 'df:query("k > 1 // 0")',
     at("k > 1 // 0", 11, "a division by zero (Python's ZeroDivisionError)")),
    ("str_arith", "df:query(\"k > 'a' + 1\")",
     at("k > 'a' + 1", 12, "arithmetic of string and number (Python's TypeError)")),
    ("file_index", 'df:query("index > 2")',
     "query: the index of this frame is not supported in an expression (a file's row numbers "
     "are known after its scan; a from_arrays frame's index is)"),
    ("option", 'df:query("k > 1", {engine = "python"})',
     "query: TypeError: got an unexpected keyword argument 'engine' (its options: local_dict)"),
]


def check_index():
    """index in the query of from_arrays frames (a RangeIndex and a DatetimeIndex)"""
    d = tl.tempdir("query_index")
    try:
        exe, r = tl.build_program(
            'local dd = require("cdask.dataframe")\nlocal da = require("cdask.array")\n'
            'local df = dd.from_arrays{a = da.arange(10)}\n'
            'dd.print(df:query("index > 6 or a == 1"), "r")\n'
            'local t = dd.from_arrays({a = da.arange(48)}, {index = dd.date_range('
            '"2021-09-01", {periods = 48, freq = "1h"})})\n'
            'dd.print(t:query("index >= \'2021-09-02 21:00\' and a % 2 == 0"), "t")\n', d)
        p = tl.run([exe, "--out", d], cwd=d) if exe else None
        df = pd.DataFrame({"a": np.arange(10)})
        t = pd.DataFrame({"a": np.arange(48)},
                         index=pd.date_range("2021-09-01", periods=48, freq="1h"))
        want = "r =\n%r\nt =\n%r\n" % (df.query("index > 6 or a == 1"),
                                         t.query("index >= '2021-09-02 21:00' and a % 2 == 0"))
        R.check(p is not None and p.stdout == want, "index in a query of from_arrays frames",
                "%r, want %r" % (p and p.stdout, want))
    finally:
        tl.rmtree(d)


def main():
    # the oracle's own checks: every query is one pandas runs
    df = pd.DataFrame({"k": [1], "f": [0.5], "s": ["a"], "b": [True], "v w": [3]})
    for q in QUERIES:
        df.query(q, local_dict=LOCALS)
    check_index()
    td.check_errors_on("query_err", make_csv(random.Random(5), 20), PRELUDE, ERRORS)
    rng = random.Random(45)
    td.check_sizes(check_file, lambda n: make_csv(rng, n),
                   [("one_row", 1), ("few", 40), ("many", 2000)], ", blocksize = 1024")
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
