#!/usr/bin/python3
"""db.read_text's errors = "replace", "ignore" and "backslashreplace" and its linedelimiter
against Dask's bag (Debian's python3-dask) and Python's bytes.decode. Lines of tricky bytes: truncated
sequences, overlongs, UTF-8 encoded surrogates, code points past U+10FFFF, bytes 0x80 and
0xF5..0xFF, a sequence cut by the line end; read plain (blocks of 7 bytes and the default)
and gzip. Delimiters "", "\\n", "\\r", "\\r\\n", "||" (it overlaps itself), "é", "<>" and a
tab, on files that end with the delimiter, without it, and empty; with blocksize where Dask
allows it. The limit on a line (the runtime built with a small CDRT_TEXT_MAX_LINE): exit
3, file:line, nothing printed; and the options refused at the script's line."""

import gzip
import os
import random
import sys

import dask
import dask.bag as dbag

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
dask.config.set(scheduler="sync")

PIECES = [b"a", b" ", b"\xc3\xa9", b"\xe6\x97\xa5", b"\xf0\x9f\x98\x80", b"\xff", b"\xfe",
          b"\xf5", b"\xf8\x88\x80\x80", b"\x80", b"\xbf\x80", b"\xc0\xaf", b"\xc1\xbf",
          b"\xe0\x80\xaf", b"\xe0\x9f\xbf", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xf0\x8f\xbf\xbf",
          b"\xf4\x90\x80\x80", b"\xc3", b"\xe6\x97", b"\xf0\x9f\x98", b"\xf0\x9f", b"\xe6"]


def tricky(rng, n):
    out = []
    for _ in range(n):
        line = b"L" + b"".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8)))
        out.append(line + rng.choice([b"\n"] * 6 + [b"\r\n", b"\r"]))
    return b"".join(out) + b"L\xe6\x97"  # a last line cut inside a sequence


def run_bags(d, label, bags, name, cflags=None):
    """bags: (key, Lua expression, Dask bag maker). One program prints them all; compared
    with Dask on 1 and 3 threads."""
    src = ['local db = require("cdask.bag")']
    src += ['db.print(%s, "%s")' % (lua, k) for k, lua, _ in bags]
    tl.write(os.path.join(d, name + ".lua"), "\n".join(src) + "\n")
    r = tl.cdaskc([name + ".lua", "-o", name], cwd=d)
    if not R.check(r.returncode == 0, label + ": compiles", tl.short(r.stderr)):
        return
    tl.check_printed(R, os.path.join(d, name), d, {k: py().compute() for k, _, py in bags}, label)


def check_errors_option(d, rng):
    data = tricky(rng, 3000)
    with open(os.path.join(d, "t.txt"), "wb") as f:
        f.write(data)
    with open(os.path.join(d, "t.txt.gz"), "wb") as f:
        f.write(gzip.compress(data, mtime=0))
    # Dask's lines are Python's decode of the bytes, then its universal newlines
    for e in ("replace", "ignore", "backslashreplace"):
        text = data.decode("utf-8", e)
        want = text.replace("\r\n", "\n").replace("\r", "\n").splitlines(True)
        got = dbag.read_text(os.path.join(d, "t.txt"), errors=e).compute()
        R.check(got == want, "Dask's %s is bytes.decode(errors=%r)" % (e, e))
    bags = []
    for e in ("replace", "ignore", "backslashreplace"):
        for f in ("t.txt", "t.txt.gz"):
            for bs in ((None, 7) if f == "t.txt" else (None,)):
                opt = ', blocksize = %d' % bs if bs else ""
                bags.append(("%s_%s_%s" % (e, f.replace(".", "_"), bs),
                             'db.read_text("%s", {errors = "%s"%s})' % (f, e, opt),
                             lambda f=f, e=e, bs=bs: dbag.read_text(os.path.join(d, f), errors=e,
                                                                    blocksize=bs)))
    bags.append(("backslash_words", 'db.read_text("t.txt", {errors = "backslashreplace"})'
                 '.str:split():flatten():frequencies(true)',
                 lambda: dbag.read_text(os.path.join(d, "t.txt"), errors="backslashreplace")
                 .str.split().flatten().frequencies(sort=True)))
    bags.append(("replace_words", 'db.read_text("t.txt", {errors = "replace"}).str:split()'
                 ":flatten():frequencies(true)",
                 lambda: dbag.read_text(os.path.join(d, "t.txt"), errors="replace")
                 .str.split().flatten().frequencies(sort=True)))
    run_bags(d, "errors", bags, "errs")


def check_delimiters(d):
    texts = {
        "d1.txt": "a||b|||c||||d\r\ne\rf\ng\té<>h<>||\t",
        "d2.txt": "x<>y||\n\r\nzé\u00e9é||",
        "d3.txt": "",
        "d4.txt": "one\r\ntwo\rthree\n\r\n\r",
        "d5.txt": "<><>a<>",
    }
    for n, t in texts.items():
        with open(os.path.join(d, n), "w", encoding="utf-8", newline="") as f:
            f.write(t)
    with open(os.path.join(d, "d1.txt.gz"), "wb") as f:
        f.write(gzip.compress(texts["d1.txt"].encode(), mtime=0))
    bags = []
    for i, delim in enumerate(["", "\n", "\r", "\r\n", "||", "é", "<>", "\t"]):
        lua = delim.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n") \
            .replace("\t", "\\t")
        for f in list(texts) + ["d1.txt.gz"]:
            bags.append(("d%d_%s" % (i, f.replace(".", "_")),
                         'db.read_text("%s", {linedelimiter = "%s"})' % (f, lua),
                         lambda f=f, delim=delim: dbag.read_text(os.path.join(d, f),
                                                                 linedelimiter=delim)))
        if delim in ("\n", "é", "<>", "\t"):  # blocksize: Dask drops the empty last element
            for bs in (3, 10):
                bags.append(("d%d_glob_%d" % (i, bs),
                             'db.read_text("d*.txt", {linedelimiter = "%s", blocksize = %d})'
                             % (lua, bs),
                             lambda delim=delim, bs=bs: dbag.read_text(
                                 os.path.join(d, "d*.txt"), linedelimiter=delim, blocksize=bs)))
    bags.append(("glob_count", 'db.read_text("d*.txt", {linedelimiter = "||"}):count()',
                 lambda: dbag.read_text(os.path.join(d, "d*.txt"), linedelimiter="||").count()))
    run_bags(d, "linedelimiter", bags, "delims")


def check_limit(d):
    """The longest line, with the runtime built with CDRT_TEXT_MAX_LINE=1000"""
    lines = b"short\nshort\n" + b"x" * 1200 + b"\nafter\n"
    with open(os.path.join(d, "long.txt"), "wb") as f:
        f.write(lines)
    with open(os.path.join(d, "long.txt.gz"), "wb") as f:
        f.write(gzip.compress(lines, mtime=0))
    for f, delim in (("long.txt", ""), ("long.txt.gz", ""), ("long.txt", ', linedelimiter = "\\n"')):
        tl.write(os.path.join(d, "lim.lua"), 'local db = require("cdask.bag")\n'
                 'db.print(db.read_text("%s", {errors = "strict"%s}):count(), "n")\n' % (f, delim))
        r = tl.cdaskc(["lim.lua", "-o", "lim", "--cflags", "-DCDRT_TEXT_MAX_LINE=1000"], cwd=d)
        if not R.check(r.returncode == 0, "limit %s%s: compiles" % (f, delim), tl.short(r.stderr)):
            continue
        p = tl.run([os.path.join(d, "lim"), "--out", d], cwd=d)
        R.check(p.returncode == 3 and p.stdout == "" and
                "%s:3: a line of more than 1000 bytes (db.read_text at lim.lua:2)" % f in p.stderr,
                "a line over the limit in %s%s: exit 3, file:line, nothing printed" % (f, delim),
                "exit %s, stdout %r, stderr %r" % (p.returncode, p.stdout, p.stderr))


def main():
    d = tl.tempdir("bagdecode")
    try:
        check_errors_option(d, random.Random(3))
        check_delimiters(d)
        check_limit(d)
        with open(os.path.join(d, "p.txt"), "w") as f:
            f.write("a\n")
        tl.check_script_errors(R, d, 'local db = require("cdask.bag")\nlocal da = require("cdask.array")\n', [
            ("errors", 'db.read_text("p.txt", {errors = "surrogateescape"})',
             'read_text: errors = "surrogateescape" is not supported yet ("strict", "replace", '
             '"ignore" or "backslashreplace")'),
            ("empty delimiter with blocksize", 'db.read_text("p.txt", {linedelimiter = "", '
             'blocksize = 10})', 'read_text: linedelimiter "" with blocksize: Dask cuts the '
             'blocks at byte offsets, not at line ends (leave blocksize out)'),
            ("\\r with blocksize", 'db.read_text("p.txt", {linedelimiter = "\\r", blocksize = 10})',
             'read_text: linedelimiter "\\r" with blocksize: Dask\'s blocks turn each "\\n" into '
             'it (io.StringIO\'s newline), not supported (leave blocksize out)'),
            ("long delimiter", 'db.read_text("p.txt", {linedelimiter = "123456789"})',
             "read_text: linedelimiter must be a string of at most 8 bytes (and no \\0)"),
        ])
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
