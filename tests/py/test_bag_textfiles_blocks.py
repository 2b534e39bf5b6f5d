#!/usr/bin/python3
"""to_textfiles of a bag read with a blocksize: one file per read_bytes block, as Dask's
read_text(paths, blocksize=N).map(...).to_textfiles(dir) writes them (Debian's
python3-dask): the blocks' offsets as read_bytes spreads them ("shrink blocksize to give
the same number of parts"), each block starting after the first delimiter at or past its
offset, so a long line leaves empty blocks (empty files), an empty file has none, and
the files are numbered over all the input files. Files with LF, CRLF and lone CR ends, a
last line without an end, invalid UTF-8 under errors = "replace", a custom delimiter;
maps, filters, last_endline and name_function; block sizes from 7 bytes to more than a
file; every file compared byte for byte, on 1 and 3 threads. Errors at the script's line:
a delimiter that overlaps itself."""

import os
import random
import sys

import dask
import dask.bag as dbag

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
dask.config.set(scheduler="sync")


def make_files(d):
    rng = random.Random(316)
    words = ["alpha", "b", "cc dd", "", "日本語 text", "é", "x" * 40, "tab\there"]
    files = {}
    files["lf.txt"] = "".join(rng.choice(words) + str(i) + "\n" for i in range(150)).encode()
    files["crlf.txt"] = ("".join(rng.choice(words) + "\r\n" for _ in range(60)) + "end").encode()
    files["cr.txt"] = "".join(rng.choice(words) + ("\r" if rng.random() < 0.3 else "\n")
                              for _ in range(80)).encode()
    files["long.txt"] = ("short\n" + "y" * 1500 + "\nafter\n" + "z" * 700).encode()
    files["empty.txt"] = b""
    files["pipe.txt"] = "|".join(rng.choice(words) for _ in range(120)).encode()
    bad = bytearray("".join(rng.choice(words) + "\n" for _ in range(100)).encode())
    for _ in range(12):
        bad[rng.randrange(len(bad))] = rng.choice([0xff, 0xc3, 0xe2, 0x80])
    files["bad.txt"] = bytes(bad)
    for name, data in files.items():
        tl.write(os.path.join(d, name), data, "wb")


# (name, Lua of the bag b, Dask of b, to_textfiles' Lua options, Dask's keywords)
CASES = [
    ("upper", "b:map(function(s) return s.str:upper() end)", lambda b: b.map(str.upper), "", {}),
    ("stripped", "b.str:strip()", lambda b: b.str.strip(), ", {last_endline = true}",
     {"last_endline": True}),
    ("filtered", 'b:filter(function(s) return s:ne("\\n") end)',
     lambda b: b.filter(lambda s: s != "\n"), "", {}),
    ("named", "b", lambda b: b, ", {name_function = function(i) return 'part-' .. i end}",
     {"name_function": lambda i: "part-%d" % i}),
]

INPUTS = [
    ("text", '{"lf.txt", "crlf.txt", "cr.txt", "empty.txt", "long.txt"}',
     ["lf.txt", "crlf.txt", "cr.txt", "empty.txt", "long.txt"], "", {}),
    ("replace", '"bad.txt"', ["bad.txt"], ', errors = "replace"', {"errors": "replace"}),
    ("pipe", '"pipe.txt"', ["pipe.txt"], ', linedelimiter = "|"', {"linedelimiter": "|"}),
    ("exact newline", '"crlf.txt"', ["crlf.txt"], ', linedelimiter = "\\n"',
     {"linedelimiter": "\n"}),
]


def listing(path):
    out = {}
    for root, _, files in os.walk(path):
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                out[os.path.relpath(os.path.join(root, f), path)] = fh.read()
    return out


def main():
    d = tl.tempdir("bagtfb")
    try:
        make_files(d)
        for bs in (7, 64, 300, 1000, 4096, 10 ** 6):
            lines = ['local db = require("cdask.bag")']
            want_dirs = []
            for iname, lua_paths, paths, lua_opts, kw in INPUTS:
                lines.append("local b = db.read_text(%s, {blocksize = %d%s})" % (lua_paths, bs,
                                                                                  lua_opts))
                b = dbag.read_text([os.path.join(d, p) for p in paths], blocksize=bs, **kw)
                for cname, lua, py, lua_out, out_kw in CASES:
                    if iname != "text" and cname != "upper":
                        continue
                    out = "%s_%s" % (iname.replace(" ", "_"), cname)
                    star = "%s/*.txt" % out
                    lines.append('%s:to_textfiles("cd/%s"%s)' % (lua, star, lua_out))
                    py(b).to_textfiles(os.path.join(d, "dask", star), **out_kw)
                    want_dirs.append(out)
            want = listing(os.path.join(d, "dask"))
            exe, r = tl.build_program("\n".join(lines) + "\n", d)
            if not R.check(exe is not None, "blocksize %d: compiles" % bs, tl.short(r.stderr)):
                continue
            for t in ("1", "3"):
                tl.rmtree(os.path.join(d, "cd"))
                p = tl.run([exe, "--threads", t, "--out", d], cwd=d)
                got = listing(os.path.join(d, "cd"))
                bad = [f for f in sorted(set(got) | set(want)) if got.get(f) != want.get(f)]
                R.check(p.returncode == 0 and not bad,
                        "blocksize %d, %s threads: Dask's %d files byte for byte" % (
                            bs, t, len(want)),
                        "exit %s %s; differing: %s, e.g. got %r want %r" % (
                            p.returncode, tl.short(p.stderr), bad[:5],
                            got.get(bad[0]) if bad else None, want.get(bad[0]) if bad else None))
            tl.rmtree(os.path.join(d, "dask"))
        prelude = 'local db = require("cdask.bag")\nlocal da = require("cdask.array")\n'
        tl.check_script_errors(R, d, prelude, [
            ("delimiter overlapping itself",
             'db.read_text("pipe.txt", {blocksize = 100, linedelimiter = "||"}):to_textfiles('
             '"o/*.txt")',
             "to_textfiles of a bag read with a blocksize and a linedelimiter that overlaps "
             "itself (\"||\", \"\\n\\n\") is not supported: Dask's partitions then split its "
             "elements where the blocks are cut"),
        ])
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
