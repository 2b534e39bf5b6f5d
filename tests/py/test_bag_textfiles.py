#!/usr/bin/python3
"""to_textfiles against Dask's bag (Debian's python3-dask): the same files, byte for byte,
for from_sequence's partitions (few and many: names zero-padded to the widest), filters
that empty a partition, last_endline, read_text's files (one partition each: CRLF, no final
newline, unicode, an empty file), str methods and flatten, name_function, a directory path
(*.part), and a computed bag (distinct: one partition); on 1 and 3 threads and on 2 MPI
ranks. Errors: two '*', elements that are not strings, a path outside the output
directory (compile time, at the script's line), and a file that cannot be written (exit 4,
none of the files written). A read with a blocksize: test_bag_textfiles_blocks."""

import os
import random
import shutil
import sys

import dask
import dask.bag as dbag

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_bag_basic as tb  # noqa: E402  (lua_seq)

R = tl.Results()
dask.config.set(scheduler="sync")

# (Lua, Python) pairs over b (strings from from_sequence), t (read_text of the files)
CASES = [
    ('b:to_textfiles("seq/*.txt")', lambda b, t: b.to_textfiles("seq/*.txt")),
    ('b:filter(function(s) return s:ne("a") end):to_textfiles("seqf/p-*.txt", '
     '{last_endline = true})',
     lambda b, t: b.filter(lambda s: s != "a").to_textfiles("seqf/p-*.txt", last_endline=True)),
    ('b.str:upper():to_textfiles("up")', lambda b, t: b.str.upper().to_textfiles("up")),
    ('t:to_textfiles("lines/*.txt")', lambda b, t: t.to_textfiles("lines/*.txt")),
    ('t.str:strip():to_textfiles("strip/*", {name_function = function(i) '
     'return string.format("n%03d", i * 7) end})',
     lambda b, t: t.str.strip().to_textfiles("strip/*", name_function=lambda i: "n%03d" % (i * 7))),
    ('t.str:split():flatten():to_textfiles("words/*.w", {last_endline = true})',
     lambda b, t: t.str.split().flatten().to_textfiles("words/*.w", last_endline=True)),
    ('t.str:strip():distinct():to_textfiles("distinct/*.txt")',
     lambda b, t: t.str.strip().distinct().to_textfiles("distinct/*.txt")),
]


def files_of(d):
    out = {}
    for root, _, names in os.walk(d):
        for n in names:
            p = os.path.join(root, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, d)] = f.read()
    return out


def inputs(d):
    rng = random.Random(5)
    words = ["a", "b", "é", "日本", "x y", "", "it's", "  pad  ", "Σσ"]
    strs = [rng.choice(words) for _ in range(300)]
    texts = ["one\ntwo\r\nthree\rfour", "", "\n\nlast line é\n", "solo"]
    paths = []
    for k, text in enumerate(texts):
        paths.append(os.path.join(d, "in%d.txt" % k))
        with open(paths[-1], "wb") as f:
            f.write(text.encode())
    return strs, paths


def main():
    d = tl.tempdir("bagtext")
    try:
        strs, paths = inputs(d)
        for parts in (3, 12):
            label = "%d partitions" % parts
            script = 'local db = require("cdask.bag")\nlocal b = db.from_sequence(%s, ' \
                     '{npartitions = %d})\nlocal t = db.read_text(%s)\n%s\n' % (
                         tb.lua_seq(strs), parts, "{" + ", ".join('"%s"' % p for p in paths) + "}",
                         "\n".join(lua for lua, _ in CASES))
            exe, r = tl.build_program(script, d)
            if not R.check(exe is not None, label + ": compiles", tl.short(r.stderr)):
                continue
            want_dir = os.path.join(d, "want%d" % parts)
            os.makedirs(want_dir)
            cwd = os.getcwd()
            os.chdir(want_dir)
            try:
                b = dbag.from_sequence(strs, npartitions=parts)
                t = dbag.read_text(paths)
                for _, py in CASES:
                    py(b, t)
            finally:
                os.chdir(cwd)
            want = files_of(want_dir)
            for threads in ("1", "3"):
                out = os.path.join(d, "out%d_%s" % (parts, threads))
                os.makedirs(out)
                p = tl.run([exe, "--threads", threads, "--out", out], cwd=d)
                got = files_of(out)
                diff = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
                R.check(p.returncode == 0 and not diff,
                        "%s, %s threads: Dask's files, byte for byte (%d)" % (label, threads,
                                                                             len(want)),
                        "exit %s %s; differ: %s" % (p.returncode, tl.short(p.stderr), diff[:5]))
            if parts == 12 and shutil.which("mpirun"):
                c = tl.cdaskc(["prog.lua", "--mpi", "-o", "mprog"], cwd=d)
                out = os.path.join(d, "outmpi")
                os.makedirs(out)
                p = tl.run(["mpirun", "--allow-run-as-root", "--oversubscribe", "-n", "2",
                            os.path.join(d, "mprog"), "--out", out], cwd=d)
                R.check(c.returncode == 0 and p.returncode == 0 and files_of(out) == want,
                        "2 MPI ranks: Dask's files", tl.short(c.stderr + p.stderr))
        # a file that cannot be written: exit 4, no file of the run left
        exe, r = tl.build_program('local db = require("cdask.bag")\n'
                                  'local b = db.from_sequence({"a", "b", "c"}, {npartitions = 3})\n'
                                  'b:to_textfiles("x/*.txt")\n', d, "blocked")
        out = os.path.join(d, "blocked_out")
        os.makedirs(os.path.join(out, "x", "1.txt"))  # a directory where a file goes
        p = tl.run([exe, "--out", out], cwd=d) if exe else None
        left = sorted(os.listdir(os.path.join(out, "x")))
        R.check(p is not None and p.returncode == 4 and left == ["1.txt"] and
                "1.txt" in p.stderr, "a path that is a directory: exit 4, nothing written",
                "%s %r" % (p and p.returncode, p and p.stderr) + " left %r" % left)
        prelude = 'local db = require("cdask.bag")\nlocal b = db.from_sequence({"a", "b"})\n' \
                  'local n = db.from_sequence({1, 2})\n'
        tl.check_script_errors(R, d, prelude, [
            ("two stars", 'b:to_textfiles("a*/*.txt")',
             "to_textfiles: Output path spec must contain exactly one '*'."),
            ("numbers", 'n:to_textfiles("n/*.txt")',
             "to_textfiles writes strings; these elements are int64 (Dask's TypeError)"),
            ("outside", 'b:to_textfiles("../up/*.txt")',
             "to_textfiles: '../up/0.txt' has a '..' component: outputs stay inside the output "
             "directory (the program's --out chooses it)"),
            ("twice", 'b:to_textfiles("s/*.txt"); b:to_textfiles("s/*.txt")',
             "s/0.txt is already written by line 4"),
        ])
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
