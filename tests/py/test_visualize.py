#!/usr/bin/python3
"""Pictures of the graph (da.visualize, cdaskc --visualize; compiler/picture.c, dump.c).

Golden texts: every tests/visualize/NAME.lua draws .dot pictures named NAME.*.dot, which
must equal the files tests/visualize/NAME.*.dot byte for byte (compiled in a temporary
directory with the other files of tests/visualize/). Before fusion: one box per operation
with its chunks and task count; after (optimize_graph = true): one cluster per group.

    test_visualize.py            the test (CDASK_BUILD holds cdaskc)
    test_visualize.py --update   rewrite the golden .dot files with what cdaskc draws now:
                                 for humans, after checking the new pictures by hand

Then: .svg, .png and .pdf are drawn by Graphviz's dot (an SVG parses as XML, PNG and PDF
start with their magic bytes); paths are relative to the script (da.visualize) or to the
working directory (--visualize); without dot on PATH, bad extensions, bad rankdirs, a dot
that fails, and arrays the program does not compute are errors naming the line or the
option, and nothing is written."""

import glob
import os
import re
import shutil
import stat
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdask_testlib import SRC, Results, cdaskc, listing, rmtree, tempdir, write  # noqa: E402

GOLDEN = os.path.join(SRC, "tests", "visualize")

SEED = """local da = require("cdask.array")
local a = da.random.normal(0, 1, {%d, %d}, {chunks = %d})
local m = (a.T + a):mean(0)
da.to_npy(m, "m.npy")
%s
"""


def copy_golden_inputs(d):
    for f in glob.glob(os.path.join(GOLDEN, "*.lua")) + glob.glob(os.path.join(GOLDEN, "*.c")):
        shutil.copy(f, d)


def test_golden(r, update):
    d = tempdir("visualize_golden")
    try:
        copy_golden_inputs(d)
        for script in sorted(glob.glob(os.path.join(GOLDEN, "*.lua"))):
            name = os.path.basename(script)[:-4]
            p = cdaskc([name + ".lua", "--emit-c", name + ".out.c"], cwd=d)
            if not r.check(p.returncode == 0, name + ".lua compiles", p.stderr):
                continue
            drawn = sorted(glob.glob(os.path.join(d, name + ".*.dot")))
            r.check(len(drawn) == 2, name + ": draws its two pictures", str(drawn))
            for path in drawn:
                base = os.path.basename(path)
                got = open(path).read()
                want_path = os.path.join(GOLDEN, base)
                if update:
                    write(want_path, got)
                    print("updated", want_path)
                    continue
                want = open(want_path).read() if os.path.exists(want_path) else ""
                r.check(got == want, "%s equals tests/visualize/%s" % (base, base),
                        "\n" + got)
    finally:
        rmtree(d)


def test_golden_properties(r):
    """What the goldens show, checked on their text (so that --update cannot bless a wrong
    picture silently): before fusion one box per operation with its task count; after, one
    cluster per group, colored, with its tasks and line."""
    before = open(os.path.join(GOLDEN, "seed.before.dot")).read()
    boxes = re.findall(r'^    t\d+ \[label="([^"]*)"\];$', before, re.M)
    r.check([b.split("\\n")[0].split(" ")[0] for b in boxes] == ["random.normal", "view", "add",
                                                                   "mean"],
            "seed before fusion: one box per operation", str(boxes))
    r.check([b.split("\\n")[2] for b in boxes] == ["4 tasks"] * 3 + ["2 tasks"],
            "seed before fusion: each box says how many tasks (chunks) it stands for", str(boxes))
    after = open(os.path.join(GOLDEN, "seed.after.dot")).read()
    r.check(after.count("subgraph cluster_") == 1 and 'label="g0:mean\\n4 tasks, tiles of (3,3)'
            '\\nseed.lua:5"' in after and "rankdir=LR" in after and "color=" in after,
            "seed after fusion: one colored cluster with its tasks, tiles and line", after)
    store = open(os.path.join(GOLDEN, "store.after.dot")).read()
    clusters = re.findall(r'label="(g\d+:\w+)\\n', store)
    r.check(clusters == ["g0:add", "g1:mean", "g2:max"] and "g0_t7 -> g1_t8" in store and
            "g0_t7 -> g2_t9" in store and "rankdir=TB" in store,
            "store after fusion: the stored group and its two readers, edges between groups "
            "(the unrequested sum not drawn)", store)
    r.check("rankdir=BT" in open(os.path.join(GOLDEN, "store.before.dot")).read(),
            "rankdir is Graphviz's")
    delayed = open(os.path.join(GOLDEN, "delayed.before.dot")).read()
    r.check(len(re.findall(r"^    t\d+ \[", delayed, re.M)) == 7 and "inc with 1" in delayed,
            "delayed: one box per task, constants in their readers' labels", delayed)


def test_formats(r):
    d = tempdir("visualize_formats")
    try:
        os.mkdir(os.path.join(d, "sub"))
        calls = "\n".join('da.visualize(m, "g.%s"%s)' % (ext, opt) for ext, opt in
                          (("svg", ""), ("png", ', {rankdir = "LR"}'),
                           ("pdf", ", {optimize_graph = true}")))
        write(os.path.join(d, "sub", "p.lua"), SEED % (6, 6, 3, calls))
        p = cdaskc(["sub/p.lua", "--emit-c", "p.c", "--visualize", "cli.svg", "--optimize-graph",
                    "--rankdir", "RL"], cwd=d)
        if not r.check(p.returncode == 0, "svg, png, pdf compile", p.stderr):
            return
        sub = os.path.join(d, "sub")
        try:
            root = ET.parse(os.path.join(sub, "g.svg")).getroot()
            ok = root.tag.endswith("svg") and "mean" in open(os.path.join(sub, "g.svg")).read()
        except (ET.ParseError, OSError):
            ok = False
        r.check(ok, "da.visualize .svg: XML with an svg root, next to the script")
        r.check(open(os.path.join(sub, "g.png"), "rb").read(8) == b"\x89PNG\r\n\x1a\n",
                "da.visualize .png: PNG magic")
        r.check(open(os.path.join(sub, "g.pdf"), "rb").read(5) == b"%PDF-", "da.visualize .pdf: PDF magic")
        cli = open(os.path.join(d, "cli.svg")).read() if os.path.exists(os.path.join(d, "cli.svg")) else ""
        r.check(cli.startswith("<?xml") and "g0:mean" in cli,
                "--visualize draws in the working directory, after fusion with --optimize-graph")
        r.check(not [f for f in listing(d) if ".tmp." in f], "no temporary file left", str(listing(d)))
        # the whole program, before fusion, as .dot: the same text da.visualize(m) gives
        p = cdaskc(["sub/p.lua", "--emit-c", "p.c", "--visualize", "whole.dot"], cwd=d)
        whole = open(os.path.join(d, "whole.dot")).read() if p.returncode == 0 else ""
        r.check("to_npy m.npy" in whole and whole.count("[label=") == 5,
                "--visualize FILE.dot: every operation of the program, outputs too", whole)
    finally:
        rmtree(d)


def test_large(r):
    """800 chunks (Dask's docs warn against drawing them): still 4 boxes."""
    d = tempdir("visualize_large")
    try:
        write(os.path.join(d, "p.lua"), SEED % (2000, 2000, 50, 'da.visualize(m, "g.dot")'))
        p = cdaskc(["p.lua", "--emit-c", "p.c"], cwd=d)
        text = open(os.path.join(d, "g.dot")).read() if p.returncode == 0 else ""
        r.check(text.count("[label=") == 4 and "1600 tasks" in text and "40 tasks" in text,
                "a graph of 1600 chunks: one box per operation, saying 1600 tasks", text)
    finally:
        rmtree(d)


def fake_dot(d, body):
    """A directory holding an executable `dot` (a shell script) and nothing else."""
    b = os.path.join(d, "fakebin")
    os.mkdir(b)
    write(os.path.join(b, "dot"), "#!/bin/sh\n" + body)
    os.chmod(os.path.join(b, "dot"), stat.S_IRWXU)
    return b


def test_errors(r):
    cases = [  # name, visualize call, extra args, env PATH, expected exit, pattern
        ("no dot on PATH", 'da.visualize(m, "g.svg")', [], "/nonexistent", 1,
         r"^p.lua:5: error: da.visualize: cannot draw g.svg: Graphviz's dot is not on PATH "
         r"\(install Graphviz, or write a .dot file and render it elsewhere: dot -Tsvg FILE.dot -o g.svg\)"),
        ("bad extension", 'da.visualize(m, "g.jpg")', [], None, 1,
         r"^p.lua:5: error: da.visualize: 'g.jpg' must end in .svg, .png, .pdf or .dot"),
        ("no extension", 'da.visualize(m, "svg")', [], None, 1, r"^p.lua:5: error: da.visualize: 'svg' must end in"),
        ("bad rankdir", 'da.visualize(m, "g.dot", {rankdir = "XY"})', [], None, 1,
         r"^p.lua:5: error: da.visualize: rankdir must be \"TB\", \"LR\", \"BT\" or \"RL\", got 'XY'"),
        ("rankdir not a string", 'da.visualize(m, "g.dot", {rankdir = 3})', [], None, 1,
         r"^p.lua:5: error: da.visualize: rankdir must be .* got number"),
        ("optimize_graph not a boolean", 'da.visualize(m, "g.dot", {optimize_graph = 1})', [], None, 1,
         r"^p.lua:5: error: da.visualize: optimize_graph must be true or false"),
        ("not an array", 'da.visualize(3, "g.dot")', [], None, 1, r"^p.lua:5: error: .*expected an array"),
        ("a list with a number", 'da.visualize({m, 3}, "g.dot")', [], None, 1,
         r"^p.lua:5: error: da.visualize: element 2 of the list is a number"),
        ("a directory", 'da.visualize(m, "adir.dot")', [], None, 1, r"^p.lua:5: error: da.visualize: cannot write adir.dot"),
        # a sandboxed script writes only below its own directory (as to_npy below --out)
        ("an absolute path", 'da.visualize(m, "/tmp/cdask_g.dot")', [], None, 1,
         r"^p.lua:5: error: da.visualize: '/tmp/cdask_g.dot' is an absolute path"),
        ("a .. component", 'da.visualize(m, "../g.dot")', [], None, 1,
         r"^p.lua:5: error: da.visualize: '../g.dot' has a '..' component"),
        ("drawn twice", 'da.visualize(m, "g.dot")\nda.visualize(a, "g.dot")', [], None, 1,
         r"^p.lua:6: error: da.visualize: g.dot is drawn already \(at p.lua:5\)"),
        ("not computed after fusion", 'da.visualize(a:sum(), "g.dot", {optimize_graph = true})', [], None, 1,
         r"^p.lua:5: error: nothing to draw after fusion: the program computes none of it"),
        ("dot fails", 'da.visualize(m, "g.svg")', [], "FAKE:cat >/dev/null; echo half; exit 3", 1,
         r"^p.lua:5: error: cannot draw g.svg: .*dot -Tsvg failed \(exit code 3\)"),
        ("--visualize bad extension", "", ["--visualize", "g.gif"], None, 2,
         r"^cdaskc: --visualize: 'g.gif' must end in .svg, .png, .pdf or .dot"),
        ("--rankdir bad", "", ["--visualize", "g.dot", "--rankdir", "lr"], None, 2,
         r"^cdaskc: --rankdir must be TB, LR, BT or RL, got 'lr'"),
        ("--rankdir without --visualize", "", ["--rankdir", "LR"], None, 2,
         r"^cdaskc: --rankdir needs --visualize FILE"),
        ("--optimize-graph without --visualize", "", ["--optimize-graph"], None, 2,
         r"^cdaskc: --optimize-graph needs --visualize FILE"),
        ("--visualize without dot", "", ["--visualize", "g.pdf"], "/nonexistent", 1,
         r"^cdaskc: --visualize: cannot draw g.pdf: Graphviz's dot is not on PATH .*write a .dot file"),
    ]
    for name, call, extra, path, code, pattern in cases:
        d = tempdir("visualize_bad")
        try:
            write(os.path.join(d, "p.lua"), SEED % (6, 6, 3, call))
            os.mkdir(os.path.join(d, "adir.dot"))
            env = dict(os.environ)
            if path and path.startswith("FAKE:"):
                env["PATH"] = fake_dot(d, path[5:]) + ":" + env.get("PATH", "")
            elif path:
                env["PATH"] = path
            before = listing(d)
            p = cdaskc(["p.lua", "-o", "p"] + extra, cwd=d, env=env)
            r.check(p.returncode == code and re.search(pattern, p.stderr, re.M) is not None,
                    "error: " + name, "exit %s: %s" % (p.returncode, p.stderr))
            r.check(listing(d) == before, "error: %s: nothing written" % name,
                    str(sorted(set(listing(d)) - set(before))))
        finally:
            rmtree(d)
    d = tempdir("visualize_nodot")
    try:  # .dot needs no Graphviz
        write(os.path.join(d, "p.lua"), SEED % (6, 6, 3, 'da.visualize(m, "g.dot")'))
        p = cdaskc(["p.lua", "--emit-c", "p.c"], cwd=d, env=dict(os.environ, PATH="/nonexistent"))
        r.check(p.returncode == 0 and os.path.exists(os.path.join(d, "g.dot")),
                "a .dot picture needs no dot on PATH", p.stderr)
    finally:
        rmtree(d)


def main():
    update = "--update" in sys.argv[1:]
    r = Results()
    test_golden(r, update)
    if update:
        return r.finish()
    test_golden_properties(r)
    test_formats(r)
    test_large(r)
    test_errors(r)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
