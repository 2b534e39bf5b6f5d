#!/usr/bin/python3
"""db.read_text against Dask's bag (Debian's python3-dask): lines as Python reads them in
text mode ("\\n", "\\r\\n" and a lone "\\r" end a line, the element keeps "\\n", a last line
without one has none), unicode, empty lines and an empty file, one file, a list and a glob;
str.strip/lstrip/rstrip/lower/upper, str.split() (whitespace, Python's isspace) and
str.split(",") then flatten, filter, map, count, frequencies (first appearance and sorted),
topk of the pairs by count (word count), distinct, min, max. Every result equals Dask's,
for blocks of 7 bytes (lines longer than a block), 1 kB and the default, on 1 and 3
threads; a directory the glob matches is skipped, as Dask skips it. And the errors: invalid
UTF-8 (exit 3, file:line, nothing printed), a glob that matches nothing (or only a directory),
a directory named as the file, a missing file, a bzip2 file, options not built yet (at the
script's line)."""

import os
import random
import sys

import dask
import dask.bag as dbag

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
dask.config.set(scheduler="sync")

WORDS = ["the", "The", "a", "fox", "é", "日本語", "naïve", "x,y", "", "end.", "Ünï", "co-op",
         "\u00a0", "tab\tin", "zz", "a,b,,c"]


def make_files(d, rng):
    text1 = ("The quick  brown fox\r\njumps over\tthe lazy dog\n\n  the end é é\rlast"
             " line\r\n\r\n\u2003spaced\u3000words\u00a0here\x1cend\n   \n")
    lines = []
    for i in range(3000):
        n = rng.choice([0, 1, 2, 5, 12, 40])
        words = [rng.choice(WORDS) for _ in range(n)]
        sep = rng.choice([" ", "  ", "\t", " \u2009"])
        end = rng.choice(["\n"] * 8 + ["\r\n", "\r"])
        lines.append(sep.join(words) + end)
    text2 = "".join(lines) + "no newline at the end"
    files = {"a1.txt": text1, "a2.txt": text2, "a3.txt": "", "a4.txt": "\n",
             "a5.txt": spaced_text(rng)}
    for name, text in files.items():
        with open(os.path.join(d, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)
    return sorted(files)


# Every character Python's str.split() splits at, but the line ends ("\n", "\r"), and
# characters that are not whitespace though they look near it (controls, U+200B, U+FEFF)
SPACES = ["\t", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", " ", "\x85", "\xa0",
          "\u1680"] + [chr(c) for c in range(0x2000, 0x200b)] + [
          "\u2028", "\u2029", "\u202f", "\u205f", "\u3000"]
NOT_SPACES = ["\x01", "\x7f", "\u200b", "\ufeff", "\xc2", "\u2030", "\u3001", "\u1681"]
LETTERS = "abcdefghijklmnopqrstuvwxyzé日" + "".join(NOT_SPACES)
ALIKE = ["abcdefg", "abcdefgh", "abcdefghi", "abcdefgi", "abcdefghijklmno", "abcdefghijklmnop",
         "abcdefghijklmnoq", "abcdefghijklmnopq", "abcdefghijklmnopr", "abcdefghijklmnopqrstuvwxyz",
         "abcdefghijklmnopqrstuvwxyzé", "abcdefghé", "abcdefghéé"]


def spaced_text(rng):
    """Lines up to ~400 bytes: words of 0 to 40 characters (str.split's cost changes at 8 and
    16 bytes and its windows are 64 bytes) between runs of any whitespace, so that wide
    spaces fall across every window boundary"""
    lines = []
    for i in range(1500):
        parts = []
        for _ in range(rng.choice([0, 1, 3, 8, 30])):
            parts.append("".join(rng.choice(SPACES) for _ in range(rng.choice([1, 1, 1, 2, 5]))))
            if rng.random() < 0.2:  # keys alike in their first 8 or 16 bytes
                parts.append(rng.choice(ALIKE))
                continue
            parts.append("".join(rng.choice(LETTERS) for _ in range(rng.choice(
                [1, 2, 3, 7, 8, 9, 15, 16, 17, rng.randrange(41)]))))
        lines.append("".join(parts) + rng.choice(["", " ", "\u3000"]) + rng.choice(["\n", "\r\n"]))
    return "".join(lines)


def second(p):
    return p[1]


# (label, Lua over bag b, Python over Dask bag b)
OPS = [
    ("lines", "b", lambda b: b),
    ("count", "b:count()", lambda b: b.count()),
    ("strip", "b.str:strip()", lambda b: b.str.strip()),
    ("lstrip", "b.str:lstrip()", lambda b: b.str.lstrip()),
    ("rstrip", "b.str:rstrip()", lambda b: b.str.rstrip()),
    ("upper", "b.str:upper()", lambda b: b.str.upper()),
    ("nonempty", 'b:filter(function(s) return s:ne("\\n") end)', lambda b: b.filter(lambda s: s != "\n")),
    ("words", "b.str:split():flatten()", lambda b: b.str.split().flatten()),
    ("nwords", "b.str:split():flatten():count()", lambda b: b.str.split().flatten().count()),
    ("freq", "b.str:split():flatten():frequencies()", lambda b: b.str.split().flatten().frequencies()),
    ("freq_sorted", "b.str:split():flatten():frequencies(true)",
     lambda b: b.str.split().flatten().frequencies(sort=True)),
    ("wordcount_top", "b.str:split():flatten():frequencies():topk(7, function(p) return p[2] end)",
     lambda b: b.str.split().flatten().frequencies().topk(7, key=second)),
    ("lower_freq", "b.str:lower().str:split():flatten():frequencies(true)",
     lambda b: b.str.lower().str.split().flatten().frequencies(sort=True)),
    ("commas", 'b.str:strip().str:split(","):flatten()',
     lambda b: b.str.strip().str.split(",").flatten()),
    ("a_words", 'b.str:split():flatten():filter(function(w) return w.str:startswith("a") end)',
     lambda b: b.str.split().flatten().filter(lambda w: w.startswith("a"))),
    ("distinct", "b.str:split():flatten():distinct()", lambda b: b.str.split().flatten().distinct()),
    ("max", "b.str:split():flatten():max()", lambda b: b.str.split().flatten().max()),
    ("min", "b.str:split():flatten():min()", lambda b: b.str.split().flatten().min()),
]


def check(d, label, lua_path, py_paths, blocksize):
    opt = ", {blocksize = %d}" % blocksize if blocksize else ""
    lines = ['local db = require("cdask.bag")', "local b = db.read_text(%s%s)" % (lua_path, opt)]
    empty = not any(os.path.getsize(os.path.join(d, x)) for x in
                    ([py_paths] if isinstance(py_paths, str) else py_paths))
    lines += ['db.print(%s, "%s")' % (lua, name) for name, lua, _ in OPS
              if not (empty and name in ("max", "min"))]
    exe, r = tl.build_program("\n".join(lines) + "\n", d)
    if not R.check(exe is not None, label + ": compiles", tl.short(r.stderr)):
        return
    # Dask's max and min fail on an empty partition (an empty file): theirs of the others
    some = [x for x in ([py_paths] if isinstance(py_paths, str) else py_paths)
            if os.path.getsize(x) > 0]
    want = {name: py(dbag.read_text(some if name in ("max", "min") else py_paths)).compute()
            for name, _, py in OPS if some or name not in ("max", "min")}
    tl.check_printed(R, exe, d, want, label)


def check_late_invalid(d):
    """Bytes are checked as UTF-8 a few hundred kB at a time as a block is read: an invalid
    byte far into a block stops the program at its line for a scan of lines (count) and for
    one of their words only (frequencies), and errors = "replace" reads the rest as Dask"""
    rng = random.Random(5)
    good = "".join(" ".join(rng.choice(WORDS[:8]) for _ in range(rng.randrange(12))) + "\n"
                   for _ in range(40000))
    line = good.count("\n") + 2
    tl.write(os.path.join(d, "late.txt"), good.encode() + b"one more\nbad \xff here\ntail end\n",
             mode="wb")
    for what in (":count()", ".str:split():flatten():frequencies()"):
        exe, r = tl.build_program('local db = require("cdask.bag")\n'
                                  'db.print(db.read_text("late.txt")%s, "n")\n' % what, d)
        if not R.check(exe is not None, "late.txt %s: compiles" % what, tl.short(r.stderr)):
            continue
        p = tl.run([exe, "--out", d], cwd=d)
        R.check(p.returncode == 3 and p.stdout == "" and
                "late.txt:%d: invalid UTF-8" % line in p.stderr,
                "late.txt (%d kB), %s: exit 3 at line %d" % (len(good) // 1000, what, line),
                "exit %s, stdout %r, stderr %r" % (p.returncode, p.stdout, p.stderr[-300:]))
    exe, r = tl.build_program(
        'local db = require("cdask.bag")\n'
        'local b = db.read_text("late.txt", {errors = "replace"})\n'
        'db.print(b.str:split():flatten():frequencies(), "freq")\n'
        'db.print(b.str:split():flatten():count(), "n")\n', d)
    if R.check(exe is not None, "late.txt, errors = replace: compiles", tl.short(r.stderr)):
        b = dbag.read_text(os.path.join(d, "late.txt"), errors="replace")
        want = {"freq": b.str.split().flatten().frequencies().compute(),
                "n": b.str.split().flatten().count().compute()}
        tl.check_printed(R, exe, d, want, "late.txt, errors = replace")


def main():
    d = tl.tempdir("bagtext")
    try:
        names = make_files(d, random.Random(16))
        paths = [os.path.join(d, n) for n in names]
        os.mkdir(os.path.join(d, "a9.txt"))  # a directory the glob matches: skipped, as Dask
        for bs in (None, 1024, 7):
            check(d, "glob, blocks of %s" % (bs or "default"), '"a*.txt"', paths, bs)
        check(d, "one file", '"a2.txt"', paths[1], None)
        check(d, "a list", '{"a2.txt", "a1.txt"}', [paths[1], paths[0]], 1024)
        check(d, "an empty file", '"a3.txt"', paths[2], None)

        # invalid UTF-8 on line 3 of a file: exit 3, the file and line, nothing printed
        tl.write(os.path.join(d, "bad.txt"), b"ok\nstill ok\nbad \xff byte\nafter\n", mode="wb")
        exe, r = tl.build_program('local db = require("cdask.bag")\n'
                                  'db.print(db.read_text("bad.txt"):count(), "n")\n', d)
        if R.check(exe is not None, "bad.txt: compiles", tl.short(r.stderr)):
            p = tl.run([exe, "--out", d], cwd=d)
            R.check(p.returncode == 3 and p.stdout == "" and
                    "bad.txt:3: invalid UTF-8 (byte 17 of the file, 0xff" in p.stderr and
                    "db.read_text at prog.lua:2" in p.stderr,
                    "invalid UTF-8: exit 3, file:line, nothing printed",
                    "exit %s, stdout %r, stderr %r" % (p.returncode, p.stdout, p.stderr))

        check_late_invalid(d)

        tl.write(os.path.join(d, "x.txt.bz2"), b"BZh", mode="wb")
        prelude = 'local db = require("cdask.bag")\nlocal da = require("cdask.array")\n'
        tl.check_script_errors(R, d, prelude, [
            ("no match", 'db.read_text("nothing*.txt")',
             "read_text: no file matches 'nothing*.txt'"),
            ("only a directory matches", 'db.read_text("a9*")',
             "read_text: no file matches 'a9*'"),
            ("a directory named", 'db.read_text("a9.txt")',
             "read_text: 'a9.txt' is not a regular file"),
            ("missing file", 'db.read_text("missing.txt")',
             "read_text: cannot read 'missing.txt': No such file or directory"),
            ("bzip2", 'db.read_text("x.txt.bz2")',
             "read_text: compressed files other than gzip (x.txt.bz2) are not supported yet"),
            ("encoding", 'db.read_text("a1.txt", {encoding = "latin-1"})',
             'read_text: encoding "latin-1" is not supported yet (UTF-8 only)'),
            ("blocksize", 'db.read_text("a1.txt", {blocksize = "lots"})',
             'read_text: cannot read blocksize "lots" as bytes ("64MiB", "100 kB")'),
            ("split of numbers", "db.from_sequence({1, 2}).str:split()",
             "str.split: the bag's elements are int64, not strings"),
            ("sum of lists", 'db.read_text("a1.txt").str:split():sum()',
             "sum of a bag of lists (str.split) is not supported yet: flatten it first"),
        ])
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
