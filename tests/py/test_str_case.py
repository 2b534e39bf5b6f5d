#!/usr/bin/python3
"""str.lower() and str.upper() against Python's (runtime/strcase.c: ASCII by hand, the rest
through libunistring's full case mappings): every code point from U+0020 to U+10FFFF (but the
surrogates, the quote and the comma), 32 to a CSV cell, and each before and after a capital
sigma, through read_csv, str.lower/upper and
to_csv, byte for byte against pandas' (Debian's python3-pandas); then the contexts of the
capital sigma (final at a word's end, after case-ignorable characters, before a combining
mark), one-code-point growth (ß, ŉ, ΐ, ﬃ), ASCII-only lines and empty ones through a bag's
read_text, against Dask's bag (Debian's python3-dask) on 1 and 3 threads."""

import os
import sys

import dask
import dask.bag as dbag
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
dask.config.set(scheduler="sync")

SIGMA_LINES = ["ΑΣ", "Σ", "ΑΣΑ", "ΑΣ Β", "Α.Σ", "ΑΣ.", "Α'Σ", "Α'Σ'", "ΑΣ'Α", "ΑΣ\u0301",
               "ΑΣ\u0301Β", "Σ\u0301", "1Σ", "ΑΣ1", "ΟΔΟΣ ΟΔΟΣ", "ΑΣ\u00adΑ", "ΑΣ\u00ad",
               "straße", "ŉ", "ΐΰ", "ﬃ ﬅ", "İstanbul", "ǅ ǈ ǋ", "ᾈ ᾳ ῼ", "Ꭰ ꭰ", "ⓐⒶ",
               "𐐀𐐨", "plain ASCII", "", "MiXeD é É ÿ Ÿ"]


def code_point_rows():
    skip = {ord('"'), ord(",")}
    cps = [c for c in range(0x20, 0x110000)
           if c != 0x7f and not 0xd800 <= c < 0xe000 and c not in skip]
    rows = ["".join(chr(c) for c in cps[i:i + 32]) for i in range(0, len(cps), 32)]
    # each code point before and after a capital sigma: is it case-ignorable, is it cased
    # (Python's Final_Sigma); a space (neither) ends each context
    return rows + [" ".join("Α%sΣ ΑΣ%sΑ ΑΣ%s" % (chr(c), chr(c), chr(c)) for c in cps[i:i + 16])
                   for i in range(0, len(cps), 16)]


def main():
    d = tl.tempdir("cdask_str_case_")
    rows = code_point_rows()
    with open(os.path.join(d, "cp.csv"), "w", encoding="utf-8") as f:
        f.write("s\n" + "\n".join(rows) + "\n")
    x = pd.read_csv(os.path.join(d, "cp.csv"), keep_default_na=False)
    R.check(list(x.s) == rows, "pandas reads the cells back", "")
    x["l"], x["u"] = x.s.str.lower(), x.s.str.upper()
    want = x.to_csv()
    script = ('local dd = require("cdask.dataframe")\n'
              'local x = dd.read_csv("cp.csv", {keep_default_na = false})\n'
              'dd.to_csv(x:assign{{"l", x.s.str:lower()}, {"u", x.s.str:upper()}}, "out.csv")\n')
    exe, r = tl.build_program(script, d)
    if R.check(exe is not None, "code points: compiles", tl.short(r.stderr)):
        for threads in ("1", "3"):
            p = tl.run([exe, "--out", d, "--threads", threads], cwd=d)
            with open(os.path.join(d, "out.csv"), encoding="utf-8") as f:
                got = f.read()
            bad = [i for i, (a, b) in enumerate(zip(got.split("\n"), want.split("\n"))) if a != b]
            R.check(p.returncode == 0 and got == want,
                    "every code point's lower and upper, %s threads" % threads,
                    "exit %d, %d lines differ, first %r" % (
                        p.returncode, len(bad),
                        got.split("\n")[bad[0]] if bad else tl.short(p.stderr)))
    # the sigma's contexts and other cases, as lines of a text file
    with open(os.path.join(d, "t.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(SIGMA_LINES) + "\n")
    pre = 'local db = require("cdask.bag")\nlocal b = db.read_text("t.txt")'
    ops = [("lower", "b.str:lower()", lambda b: b.str.lower()),
           ("upper", "b.str:upper()", lambda b: b.str.upper()),
           ("words", "b.str:upper().str:split():flatten():frequencies()",
            lambda b: b.str.upper().str.split().flatten().frequencies())]
    tl.check_bag_ops(R, d, "contexts", pre, ops,
                     lambda: dbag.read_text(os.path.join(d, "t.txt")),
                     same=lambda a, b: a == b)
    tl.rmtree(d)
    R.finish()


if __name__ == "__main__":
    main()
