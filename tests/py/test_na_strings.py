#!/usr/bin/python3
"""Which strings are missing values (issue 15): a string column holding each of pandas' 19
default NA strings, strings one byte away from them (the same first byte and length, or
the same bytes and one more; "None" is one since pandas 2.0, and Debian's pandas 1.5 is
told so), and strings that na_values adds (one byte, a long one of 70
bytes, one that starts with a byte no default does); with the defaults, with na_values
added to them and with keep_default_na = false. The CSV cdask writes, a count of the
column and a filter by equality are pandas' (Debian's python3-pandas) exactly, for one
and three threads and blocks of 64 bytes."""

import os
import random
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()

DEFAULTS = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
            "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]
NEAR = ["Nice", "Lyon", "NULl", "nan0", "-nai", "#N/B", "<NB>", "1.#QNAM", "n/b", "Na", "NONE",
        "N/A ", " NA", "nul", "-1.#INDx", "#N/A N/B", "a"]
LONG = "x" * 69 + "!"
ADDED = ["?", LONG, "zz-missing"]


def main():
    rng = random.Random(19)
    values = DEFAULTS + NEAR + ADDED + [LONG[:-1] + "?", "zz-missinG"]
    d = tl.tempdir("nastr")
    try:
        rows = ["k,s"] + ["%d,%s" % (i, rng.choice(values)) for i in range(600)]
        tl.write(os.path.join(d, "data.csv"), "\n".join(rows) + "\n")
        lua_list = "{%s}" % ", ".join('"%s"' % v for v in ADDED)
        variants = [("defaults", "", {"na_values": ["None"]}),
                    ("na_values added", ", {na_values = %s}" % lua_list,
                     {"na_values": ADDED + ["None"]}),
                    ("keep_default_na = false",
                     ", {na_values = %s, keep_default_na = false}" % lua_list,
                     {"na_values": ADDED, "keep_default_na": False})]
        for label, opts, popts in variants:
            for block in (None, 64):
                o = opts
                if block:
                    o = (o[:-1] + ", blocksize = %d}" % block) if o else ", {blocksize = %d}" % block
                exe, r = tl.build_program(
                    'local dd = require("cdask.dataframe")\n'
                    'local df = dd.read_csv("data.csv"%s)\n'
                    'dd.to_csv(df, "out.csv")\n'
                    'dd.print(df.s:count(), "count")\n'
                    'dd.print(df:loc(df.s:eq("Nice")).k:sum(), "nice")\n' % o, d)
                what = "%s, blocks of %s" % (label, block or "default")
                if not R.check(exe is not None, what + ": compiles", tl.short(r.stderr)):
                    continue
                df = pd.read_csv(os.path.join(d, "data.csv"), **popts)
                want = "count = %d\nnice = %d\n" % (df.s.count(), df.loc[df.s == "Nice"].k.sum())
                for threads in ("1", "3"):
                    p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
                    got = open(os.path.join(d, "out.csv")).read() if p.returncode == 0 else ""
                    R.check(p.returncode == 0 and got == df.to_csv() and p.stdout == want,
                            "%s, %s threads: the missing strings are pandas'" % (what, threads),
                            "exit %s %s\n%s--- pandas\n%s" % (p.returncode, tl.short(p.stderr),
                                                              p.stdout, want))
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
