#!/usr/bin/python3
"""db.read_json_lines and read_text(...):map(db.json) with linedelimiter and errors, against
Dask's read_text(path, linedelimiter=..., errors=...).map(json.loads) (Debian's
python3-dask) on generated files: CRLF line ends (universal newlines and "\\r\\n"), lone
"\\r" ends, records that span lines separated by a blank line ("\\n\\n", whole files and in
blocks), invalid UTF-8 bytes inside strings and keys decoded with errors = "replace"
(U+FFFD for each maximal invalid subpart) and "ignore" (dropped) before the JSON is parsed,
plucked and filtered fields, counts, and db.print of the records as Python prints the dicts,
byte for byte, on 1 and 3 threads. Errors at the script's line (exit 1, no program): a
delimiter that is not JSON whitespace (json.loads of each element would raise), "" and
"\\r\\n" with a blocksize, an unknown errors; at run time (exit 3, nothing printed): an
invalid byte under errors = "strict" past the sampled lines."""

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

BAD = [b"\xff", b"\xe2\x82", b"\xc3", b"\xed\xa0\x80", b"\xf0\x9f\x98", b"\x80\x80", b"\xc0\xaf"]


def records(rng, n):
    return [{"id": i, "name": rng.choice(["ann", "bo", "cé", "日本", "d e"]),
             "v": round(rng.uniform(-100, 100), rng.randint(0, 4)), "ok": rng.random() < 0.5}
            for i in range(n)]


def check(d, label, path, lua_opts, dask_kw, exprs, threads=("3",)):
    """Each (name, Lua of the bag b, Python of the Dask bag b) printed by cdask as Dask's"""
    lines = ['local db = require("cdask.bag")',
             'local b = db.read_json_lines("%s"%s)' % (path, ", " + lua_opts if lua_opts else ""),
             'local t = db.read_text("%s"%s):map(db.json)' % (path, ", " + lua_opts
                                                               if lua_opts else "")]
    want = ""
    b = dbag.read_text(os.path.join(d, path), **dask_kw).map(json.loads)
    for name, lua, py in exprs:
        lines.append('db.print(%s, "%s")' % (lua, name))
        want += "%s = %r\n" % (name, py(b).compute())
        lines.append('db.print(%s, "%s_text")' % (lua.replace("b", "t", 1) if lua.startswith("b")
                                                   else lua, name))
        want += "%s_text = %r\n" % (name, py(b).compute())
    exe, r = tl.build_program("\n".join(lines) + "\n", d)
    if R.check(exe is not None, label + ": compiles", tl.short(r.stderr)):
        for t in threads:
            p = tl.run([exe, "--threads", t, "--out", d], cwd=d)
            diff = [(g[:300], w[:300]) for g, w in zip(p.stdout.split("\n"), want.split("\n"))
                    if g != w]
            R.check(p.returncode == 0 and p.stdout == want,
                    "%s, %s threads: Python's print of Dask's results" % (label, t),
                    "exit %s %s, first difference %r" % (p.returncode, tl.short(p.stderr),
                                                         diff[:1]))


EXPRS = [
    ("records", "b", lambda b: b),
    ("names", 'b:pluck("name")', lambda b: b.pluck("name")),
    ("idsum", 'b:pluck("id"):sum()', lambda b: b.pluck("id").sum()),
    ("count", "b:count()", lambda b: b.count()),
    ("okfreq", 'b:filter(function(r) return r.ok end):pluck("name"):frequencies()',
     lambda b: b.filter(lambda r: r["ok"]).pluck("name").frequencies()),
]


def main():
    rng = random.Random(2016)
    d = tl.tempdir("bagjd")
    try:
        recs = records(rng, 400)
        lines = [json.dumps(r, ensure_ascii=False).encode() for r in recs]
        # CRLF: universal newlines, "\r\n" and "" (kept ends)
        tl.write(os.path.join(d, "crlf.jsonl"), b"".join(x + b"\r\n" for x in lines), "wb")
        for opts, kw in [("", {}), ('{linedelimiter = "\\r\\n"}', {"linedelimiter": "\r\n"}),
                         ('{linedelimiter = ""}', {"linedelimiter": ""}),
                         ('{linedelimiter = "\\n", blocksize = 3000}',
                          {"linedelimiter": "\n", "blocksize": 3000})]:
            check(d, "CRLF " + opts, "crlf.jsonl", opts, kw, EXPRS)
        # lone "\r" ends
        tl.write(os.path.join(d, "cr.jsonl"), b"\r".join(lines), "wb")
        for opts, kw in [("", {}), ('{linedelimiter = "\\r"}', {"linedelimiter": "\r"})]:
            check(d, "CR " + opts, "cr.jsonl", opts, kw, EXPRS[:3])
        # records over several lines, separated by a blank line
        multi = b"\n\n".join(json.dumps(r, indent=2, ensure_ascii=False).encode() for r in recs)
        tl.write(os.path.join(d, "multi.json"), multi, "wb")
        for opts, kw in [('{linedelimiter = "\\n\\n"}', {"linedelimiter": "\n\n"}),
                         ('{linedelimiter = "\\n\\n", blocksize = 2000}',
                          {"linedelimiter": "\n\n", "blocksize": 2000}),
                         ('{linedelimiter = "\\n\\n", blocksize = 777}',
                          {"linedelimiter": "\n\n", "blocksize": 777})]:
            check(d, "blank-line separated " + opts, "multi.json", opts, kw, EXPRS)
        # invalid UTF-8 inside strings (values and a key), decoded before parsing
        out = []
        for x in lines:
            if rng.random() < 0.3:
                x = x.replace(b'"name": "', b'"name": "' + rng.choice(BAD) + b"a" + rng.choice(BAD))
            if rng.random() < 0.05:
                x = x.replace(b'"ok"', b'"o' + rng.choice(BAD) + b'k"', 1)
            out.append(x)
        bad = b"\n".join(out) + b"\n"
        first_bad = next(i for i, x in enumerate(out) if x != lines[i]) + 1
        tl.write(os.path.join(d, "bad.jsonl"), bad, "wb")
        tl.write(os.path.join(d, "bad_crlf.jsonl"), bad.replace(b"\n", b"\r\n"), "wb")
        for errs in ("replace", "ignore"):
            ex = EXPRS[:4]
            for path, opts, kw in [
                    ("bad.jsonl", '{errors = "%s"}' % errs, {"errors": errs}),
                    ("bad.jsonl", '{errors = "%s", blocksize = 5000}' % errs,
                     {"errors": errs, "blocksize": 5000}),
                    ("bad_crlf.jsonl", '{errors = "%s", linedelimiter = "\\r\\n"}' % errs,
                     {"errors": errs, "linedelimiter": "\r\n"})]:
                check(d, "%s %s" % (path, opts), path, opts, kw, ex)
        # run time: an invalid byte past the sample under errors = "strict"
        late = b"\n".join(lines * 3) + b"\n" + lines[0].replace(b'"name": "', b'"name": "\xff') \
            + b"\n"
        tl.write(os.path.join(d, "late.jsonl"), late, "wb")
        exe, r = tl.build_program('local db = require("cdask.bag")\ndb.print(db.read_json_lines('
                                  '"late.jsonl", {errors = "strict"}):count(), "n")\n', d)
        if R.check(exe is not None, "late invalid byte: compiles", tl.short(r.stderr)):
            p = tl.run([exe, "--out", d], cwd=d)
            R.check(p.returncode == 3 and p.stdout == "" and
                    "late.jsonl:%d: invalid UTF-8" % (3 * len(lines) + 1) in p.stderr,
                    "late invalid byte: exit 3, the file and line, nothing printed",
                    "exit %s %r %r" % (p.returncode, p.stdout, p.stderr))
        # errors at the script's line
        prelude = 'local db = require("cdask.bag")\nlocal da = require("cdask.array")\n'
        tl.check_script_errors(R, d, prelude, [
            ("delimiter not whitespace", 'db.read_json_lines("crlf.jsonl", {linedelimiter = "|"})',
             "read_json_lines: linedelimiter \"|\": each element but a file's last keeps it, "
             "and json.loads of '{...}|' raises (Extra data); only a delimiter of JSON "
             "whitespace (\" \", \"\\t\", \"\\r\", \"\\n\") can be read"),
            ("map(db.json) of a delimiter", 'db.read_text("crlf.jsonl", {linedelimiter = ";\\n"})'
             ':map(db.json)',
             "read_json_lines: linedelimiter \";\\n\": each element but a file's last keeps it, "
             "and json.loads of '{...};\\n' raises (Extra data); only a delimiter of JSON "
             "whitespace (\" \", \"\\t\", \"\\r\", \"\\n\") can be read"),
            ("empty delimiter with blocksize",
             'db.read_json_lines("crlf.jsonl", {linedelimiter = "", blocksize = 100})',
             "read_json_lines: linedelimiter \"\" with blocksize: Dask cuts the blocks at byte "
             "offsets, not at line ends (leave blocksize out)"),
            ("CRLF with blocksize",
             'db.read_json_lines("crlf.jsonl", {linedelimiter = "\\r\\n", blocksize = 100})',
             "read_json_lines: linedelimiter \"\\r\\n\" with blocksize: Dask's blocks turn each "
             "\"\\n\" into it (io.StringIO's newline), not supported (leave blocksize out)"),
            ("unknown errors", 'db.read_json_lines("crlf.jsonl", {errors = "surrogateescape"})',
             "read_json_lines: errors = \"surrogateescape\" is not supported yet (\"strict\", "
             "\"replace\", \"ignore\" or \"backslashreplace\")"),
            ("strict in the sample", 'db.read_json_lines("bad.jsonl")',
             "read_json_lines: invalid UTF-8 on line %d of bad.jsonl" % first_bad),
        ])
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
