#!/usr/bin/python3
"""Text and JSON-lines blocks larger than the buffer they are read through (256 kB, refilled
from the file; docs/internals.md), against Dask's bag (Debian's python3-dask): lines that
cross a refill, "\\r\\n" and lone "\\r" ends anywhere, a line of 700 kB (the buffer grows),
a last line without an end; the results that hold on to the lines' bytes between refills
(value counts of lines and of words, a foldby's batch of string keys) and those that do not
(count, sums of lengths). Every result equals Dask's for the default blocks (one block of the
whole file), blocks of 300 kB (each larger than the buffer) and of 50 kB, on 1 and 3 threads.
A result that keeps the lines (printing them) reads mapped blocks: the same answers."""

import json
import os
import random
import sys

import dask
import dask.bag as dbag

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
dask.config.set(scheduler="sync")

WORDS = ["alpha", "beta", "gamma", "é", "日本語", "delta_longer_than_sixteen", "x", "",
         "wörd", "zz9", "a,b"]
TYPES = ["PushEvent", "WatchEvent", "IssuesEvent", "Événement", 'q"uote']


def make_text(rng):
    lines = []
    for i in range(24000):
        n = rng.choice([0, 1, 3, 7, 12])
        text = rng.choice([" ", "  ", "\t", "\u3000"]).join(rng.choice(WORDS) for _ in range(n))
        if i == 9000:  # longer than the buffer
            text = " ".join(rng.choice(WORDS) for _ in range(90000))
        lines.append(text + rng.choice(["\n"] * 6 + ["\r\n", "\r"]))
    return "".join(lines) + "the end without a line end"


def make_json(rng):
    lines = []
    for i in range(12000):
        rec = {"id": i, "type": rng.choice(TYPES), "size": rng.randint(0, 60),
               "actor": {"login": "user%d" % rng.randint(0, 99)}, "public": rng.random() < 0.5}
        lines.append(json.dumps(rec, ensure_ascii=rng.random() < 0.5))
    return "\n".join(lines) + "\n"


def length(s):
    return len(s)


TEXT_OPS = [  # (label, Lua over bag b, Python over Dask bag b)
    ("count", "b:count()", lambda b: b.count()),
    ("line_freq", "b:frequencies()", lambda b: b.frequencies()),
    ("word_freq", "b.str:split():flatten():frequencies()",
     lambda b: b.str.split().flatten().frequencies()),
    ("nwords", "b.str:split():flatten():count()", lambda b: b.str.split().flatten().count()),
    ("chars", "b:map(function(s) return s.str:len() end):sum()", lambda b: b.map(length).sum()),
]
JSON_OPS = [
    ("types", 'r:pluck("type"):frequencies()', lambda r: r.pluck("type").frequencies()),
    ("sizes", 'r:foldby("type", function(t, x) return t + x.size end, 0, '
              'function(a, b) return a + b end, 0)',
     lambda r: r.foldby("type", lambda t, x: t + x["size"], 0, lambda a, b: a + b, 0)),
    ("n", "r:count()", lambda r: r.count()),
]


def check(d, label, source, ops, want_of, blocksize, extra=()):
    opt = ", {blocksize = %d}" % blocksize if blocksize else ""
    lines = ['local db = require("cdask.bag")', "local b = %s" % (source % opt), "local r = b"]
    lines += ['db.print(%s, "%s")' % (lua, name) for name, lua, _ in ops]
    lines += ['db.print(%s, "%s")' % (lua, name) for name, lua in extra]
    exe, r = tl.build_program("\n".join(lines) + "\n", d)
    if R.check(exe is not None, label + ": compiles", tl.short(r.stderr)):
        tl.check_printed(R, exe, d, want_of(ops, extra), label)


def main():
    d = tl.tempdir("bagbuf")
    try:
        rng = random.Random(11)
        tl.write(os.path.join(d, "big.txt"), make_text(rng).encode(), mode="wb")
        tl.write(os.path.join(d, "big.jsonl"), make_json(rng).encode(), mode="wb")
        text = dbag.read_text(os.path.join(d, "big.txt"))
        recs = dbag.read_text(os.path.join(d, "big.jsonl")).map(json.loads)

        def text_want(ops, extra):
            want = {name: py(text).compute() for name, _, py in ops}
            if extra:
                want["lines"] = text.compute()
            return want

        def json_want(ops, _):
            return {name: py(recs).compute() for name, _, py in ops}

        for bs in (None, 300000, 50000):
            what = "blocks of %s" % (bs or "default")
            check(d, "big.txt, " + what, 'db.read_text("big.txt"%s)', TEXT_OPS, text_want, bs)
            check(d, "big.jsonl, " + what, 'db.read_json_lines("big.jsonl"%s)', JSON_OPS,
                  json_want, bs)
        check(d, "big.txt, lines printed (mapped blocks)", 'db.read_text("big.txt"%s)',
              TEXT_OPS, text_want, None, extra=[("lines", "b")])
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
