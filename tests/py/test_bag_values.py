#!/usr/bin/python3
"""cdask.bag on plain values and records, against Dask's bag (Debian's python3-dask) on 1 and
3 threads and several npartitions: topk(k, key) with a traced key (ties come out in the
bag's order: Dask's heapq.nlargest per partition and then overall is a stable sort by the
key, descending, whatever the partitioning; the test also checks that Dask's own result
is that sort's head, the property cdask relies on), foldby of values (sums of f(x), counts,
math.max and math.min per traced key, in order of the keys' first appearance), and db.print
of JSON records, byte for byte as Python prints the dicts json.loads makes (fields in each
line's order, missing fields, nulls, nested objects and arrays, escapes, Python's float
and int reprs, a key twice in one object: its first place, its last value), filtered, read
in blocks; Bag.product of from_sequence's bags in Dask's
order (it follows the partitions); the same under --mpi on 1 and 3 ranks; and the errors at
the script's line for what stays refused."""

import json
import os
import shutil
import sys

import dask.bag as dbag

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_bag_basic as tb  # noqa: E402  (its check_case, lua_seq and data)

R = tb.R


def add(a, b):
    return a + b


def fold_sum(t, x):
    return t + x


FOLD = "function(t, x) return t + x end"
COMBINE = "function(a, c) return a + c end"

INT_OPS = [
    ("topk_mod", "b:topk(5, function(x) return x % 7 end)", lambda b: b.topk(5, key=lambda x: x % 7)),
    ("topk_neg", "b:topk(4, function(x) return -x end)", lambda b: b.topk(4, key=lambda x: -x)),
    ("topk_div", "b:topk(40, function(x) return x // 10 end)",
     lambda b: b.topk(40, key=lambda x: x // 10)),
    ("topk_all", "b:topk(1000, function(x) return x % 3 end)",
     lambda b: b.topk(1000, key=lambda x: x % 3)),
    ("topk_float_key", "b:topk(6, function(x) return x / 4 - x % 5 end)",
     lambda b: b.topk(6, key=lambda x: x / 4 - x % 5)),
    ("topk_zero", "b:topk(0, function(x) return x end)", lambda b: b.topk(0, key=lambda x: x)),
    ("topk_filtered", "b:filter(function(x) return x:gt(0) end):topk(3, function(x) "
     "return x % 4 end)", lambda b: b.filter(lambda x: x > 0).topk(3, key=lambda x: x % 4)),
    ("foldby_sum", "b:foldby(function(x) return x %% 3 end, %s, 0, %s, 0)" % (FOLD, COMBINE),
     lambda b: b.foldby(lambda x: x % 3, fold_sum, 0, add, 0)),
    ("foldby_term", "b:foldby(function(x) return x // 10 end, function(t, x) return t + x * x end, "
     "0, %s, 0)" % COMBINE,
     lambda b: b.foldby(lambda x: x // 10, lambda t, x: t + x * x, 0, add, 0)),
    ("foldby_count", "b:foldby(function(x) return x %% 4 end, function(t, x) return t + 1 end, "
     "0, %s)" % COMBINE, lambda b: b.foldby(lambda x: x % 4, lambda t, x: t + 1, 0, add)),
    ("foldby_max", "b:foldby(function(x) return x % 5 end, math.max)",
     lambda b: b.foldby(lambda x: x % 5, max)),
    ("foldby_min", "b:foldby(function(x) return x % 6 end, math.min, nil, math.min)",
     lambda b: b.foldby(lambda x: x % 6, min, combine=min)),
    ("foldby_float", "b:foldby(function(x) return (x %% 2):eq(0) end, function(t, x) "
     "return t + x / 8 end, 0, %s, 0)" % COMBINE,
     lambda b: b.foldby(lambda x: x % 2 == 0, lambda t, x: t + x / 8, 0, add, 0)),
    # math.max and math.min from initial (and combine_initial): Python's max(initial, x, ...)
    ("fold_max_init", "b:fold(math.max, nil, 30)", lambda b: b.fold(max, initial=30)),
    ("fold_max_init_wins", "b:fold(math.max, math.max, 60)",
     lambda b: b.fold(max, max, initial=60)),
    ("fold_min_init", "b:fold(math.min, nil, -20)", lambda b: b.fold(min, initial=-20)),
    ("fold_max_init_sparse", "b:filter(function(x) return x:gt(45) end):fold(math.max, nil, 47)",
     lambda b: b.filter(lambda x: x > 45).fold(max, initial=47)),
    ("foldby_max_init", "b:foldby(function(x) return x % 5 end, math.max, 40)",
     lambda b: b.foldby(lambda x: x % 5, max, 40)),
    ("foldby_min_inits", "b:foldby(function(x) return x % 6 end, math.min, -45, math.min, -48)",
     lambda b: b.foldby(lambda x: x % 6, min, -45, min, -48)),
    ("foldby_max_combine_initial", "b:foldby(function(x) return x % 4 end, math.max, nil, "
     "math.max, 48)", lambda b: b.foldby(lambda x: x % 4, max, combine=max, combine_initial=48)),
    ("foldby_max_init_sparse", "b:filter(function(x) return x:lt(-40) end):foldby(function(x) "
     "return x % 3 end, math.max, -45)",
     lambda b: b.filter(lambda x: x < -40).foldby(lambda x: x % 3, max, -45)),
]
FLOAT_OPS = [
    ("ftopk", "b:topk(7, function(x) return -x end)", lambda b: b.topk(7, key=lambda x: -x)),
    ("ftopk_mod", "b:topk(9, function(x) return x // 100 end)",
     lambda b: b.topk(9, key=lambda x: x // 100)),
    ("ffoldby", "b:foldby(function(x) return x // 250 end, %s, 0, %s, 0)" % (FOLD, COMBINE),
     lambda b: b.foldby(lambda x: x // 250, fold_sum, 0, add, 0)),
    ("ffoldby_max", "b:foldby(function(x) return x // 300 end, math.max)",
     lambda b: b.foldby(lambda x: x // 300, max)),
    ("ffold_max_init", "b:fold(math.max, nil, 500.5)", lambda b: b.fold(max, initial=500.5)),
    ("ffoldby_min_init", "b:foldby(function(x) return x // 300 end, math.min, -700.25)",
     lambda b: b.foldby(lambda x: x // 300, min, -700.25)),
]
STR_OPS = [
    ("stopk_len", "b:topk(6, function(s) return s.str:len() end)", lambda b: b.topk(6, key=len)),
    ("sfoldby_count", "b:foldby(function(s) return s.str:len() end, function(t, x) "
     "return t + 1 end, 0, %s, 0)" % COMBINE,
     lambda b: b.foldby(len, lambda t, x: t + 1, 0, add, 0)),
    ("sfoldby_max", "b:foldby(function(s) return s.str:len() end, math.max)",
     lambda b: b.foldby(len, max)),
    ("sfoldby_min", "b:foldby(function(s) return s:eq(\"a\") end, math.min)",
     lambda b: b.foldby(lambda s: s == "a", min)),
    ("sfold_max_init", 'b:fold(math.max, nil, "m")', lambda b: b.fold(max, initial="m")),
    ("sfoldby_min_init", 'b:foldby(function(s) return s.str:len() end, math.min, "b")',
     lambda b: b.foldby(len, min, "b")),
]
BOOL_OPS = [
    ("bfoldby", "b:foldby(function(x) return x end, %s, 0, %s, 0)" % (FOLD, COMBINE),
     lambda b: b.foldby(lambda x: x, fold_sum, 0, add, 0)),
    ("bfoldby_min", "b:foldby(function(x) return x end, math.min)",
     lambda b: b.foldby(lambda x: x, min)),
    ("bfoldby_max_init", "b:foldby(function(x) return x end, math.max, true)",
     lambda b: b.foldby(lambda x: x, max, True)),
]


def same_repr(got, want):
    return repr(got) == repr(want)


def check_fold_initial_edges(d):
    """fold(math.max / math.min, initial) where no element is: Dask's initial for one partition
    (Dask raises TypeError for several, where cdask gives initial too); an element equal to
    initial keeps initial, as Python's max keeps its first argument (-0.0 against 0.0)"""
    zeros = [0.0, -1.5, -0.0, -2.0]
    ops = [
        ("empty_max", "e:filter(function(x) return x:gt(100) end):fold(math.max, nil, 7)",
         lambda b, z: b.filter(lambda x: x > 100).fold(max, initial=7)),
        ("empty_min", "e:filter(function(x) return x:gt(100) end):fold(math.min, math.min, -3)",
         lambda b, z: b.filter(lambda x: x > 100).fold(min, min, initial=-3)),
        ("zeros", "z", lambda b, z: z),  # (from_sequence's -0.0 keeps its sign)
        ("tie_neg_zero", "z:fold(math.max, nil, -0.0)", lambda b, z: z.fold(max, initial=-0.0)),
        ("tie_zero", "z:map(function(x) return -x end):fold(math.min, nil, 0.0)",
         lambda b, z: z.map(lambda x: -x).fold(min, initial=0.0)),
        ("tie_foldby", "z:foldby(function(x) return x:lt(-1) end, math.max, -0.0)",
         lambda b, z: z.foldby(lambda x: x < -1, max, -0.0)),
    ]
    for parts in (1, 3):
        pre = ('local db = require("cdask.bag")\nlocal e = db.from_sequence({1, 2, 3}, '
               '{npartitions = %d})\nlocal z = db.from_sequence(%s, {npartitions = %d})' % (
                   parts, tb.lua_seq(zeros), parts))
        make = (lambda parts=parts: (dbag.from_sequence([1, 2, 3], npartitions=parts),
                                     dbag.from_sequence(zeros, npartitions=parts)))
        want_ops = ops if parts == 1 else ops[2:]
        exe, r = tl.build_program(pre + "\n" + "".join(
            'db.print(%s, "%s")\n' % (lua, name) for name, lua, _ in ops), d)
        label = "fold from initial, %d partitions" % parts
        if R.check(exe is not None, label + ": compiles", tl.short(r.stderr)):
            want = {name: py(*make()).compute() for name, _, py in want_ops}
            if parts > 1:  # Dask's reduce over no partition's result; cdask: initial
                want.update(empty_max=7, empty_min=-3)
            tl.check_printed(R, exe, d, want, label, same=same_repr)
    try:
        dbag.from_sequence([1, 2, 3], npartitions=3).filter(lambda x: x > 100).fold(
            max, initial=7).compute()
        raised = False
    except TypeError:
        raised = True
    R.check(raised, "Dask's fold from initial of empty partitions only raises TypeError")


def check_tie_property(ints):
    """Dask's topk with a key is the stable sort by the key, descending, cut at k (ties in
    the bag's order), for any npartitions: what cdask computes"""
    ok = True
    for parts in (1, 2, 3, 7, 13):
        for k in (1, 5, 40, 400):
            got = dbag.from_sequence(ints, npartitions=parts).topk(k, key=lambda x: x % 7).compute()
            ok &= list(got) == sorted(ints, key=lambda x: x % 7, reverse=True)[:k]
    R.check(ok, "Dask's topk with a key: the stable sort's head for any npartitions")


RECORDS = [
    '{"a": 1, "b": "x", "c": 2.5, "d": null, "e": true}',
    '{"b": "it\'s", "a": -0, "c": 3.0, "big": -1e400, "e": false, "n": {"k": [1, 2.0, "\\u00e9\\ud800'
    '\\ud83d\\ude00"], "z": {}, "y": []}}',
    '  {"a": 3, "c": 1E5, "e": true, "s": "tab\\there \\"q\\" \u00e9 \\u2028 \\u0000 \\/"}  ',
    '{"e": false, "a": 123456789012345678901234567890, "c": 0.1, "b": "say \\"hi\\" it\'s"}',
    '{"a": 5, "c": -1.5e-7, "e": true, "b": "\\u00a0\\u007f\\u0085 \u65e5\u672c", '
    '"t": [true, null, {"q": -2}]}',
    '{"a": 6, "c": 123456789.125, "e": false, "b": "\\\\back\\\\"}',
    '{"a": 7, "c": 1e16, "e": true, "d": "text"}',
    '{}',
]


def records_want(path):
    """Dask's output of check_records' program over the records at path"""
    b = dbag.read_text(path).map(json.loads)
    blocks = dbag.read_text(path, blocksize=300).map(json.loads)
    return "all = %s\nsome = %s\nblocks = %s\n" % (
        b.compute(), b.filter(lambda r: r.get("c", 0) > 1).compute(),
        blocks.remove(lambda r: r.get("a", 0) > 4).compute())


def check_records(d):
    """db.print of JSON records: Python's print of the dicts (the exact text), all of them,
    filtered, and read in blocks, on 1 and 3 threads"""
    path = os.path.join(d, "recs.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for i in range(40):
            f.write(RECORDS[i % len(RECORDS)] + "\n")
    src = ('local db = require("cdask.bag")\nlocal b = db.read_json_lines("%s")\n'
           'db.print(b, "all")\n'
           'db.print(b:filter(function(r) return r.c:gt(1) end), "some")\n'
           'db.print(db.read_json_lines("%s", {blocksize = 300}):remove(function(r) '
           'return r.a:gt(4) end), "blocks")\n' % (path, path))
    exe, r = tl.build_program(src, d)
    if not R.check(exe is not None, "records: compiles", tl.short(r.stderr)):
        return
    tl.check_stdout(R, exe, d, records_want(path), "records")
    # a key twice in one object: Python's dict keeps its first place and its last value
    with open(path, "a") as f:
        f.write('{"a": 1, "b": "x", "a": 2, "c": 0.5, "e": true}\n'
                '{"c": 3, "n": {"k": 1, "j": [1, {"k": 2, "k": 3}], "k": "z"}, "c": 4, "c": 5}\n'
                '{"a": 6, "b": "y", "b": "w"}\n')
    tl.check_stdout(R, exe, d, records_want(path), "records with a key twice")


def check_product(d):
    """Bag.product of from_sequence's bags: Dask's pairs in Dask's order (partition i of the
    first with partition j of the second, i then j), printed, counted, filtered, mapped and
    starmapped, for several partitionings, on 1 and 3 threads"""
    ints = [7, -3, 12, 0, 5, 9, -8, 4, 4, 11, 2]
    strs = ["a", "it's", "b", "", "\u00e9"]
    floats = [0.5, -2.25, 1e-3]
    for ko, kw_a, kw_b in (("", {}, {}), ("{npartitions = 3}", {"npartitions": 3}, {}),
                           ("{partition_size = 4}", {"partition_size": 4}, {"npartitions": 2})):
        lua_b = "{npartitions = 2}" if kw_b else ""
        pre = ('local db = require("cdask.bag")\nlocal b = db.from_sequence(%s%s)\n'
               'local s = db.from_sequence(%s%s)\nlocal f = db.from_sequence(%s)' % (
                   tb.lua_seq(ints), ", " + ko if ko else "", tb.lua_seq(strs),
                   ", " + lua_b if lua_b else "", tb.lua_seq(floats)))

        def make(kw_a=kw_a, kw_b=kw_b):
            return (dbag.from_sequence(ints, **kw_a), dbag.from_sequence(strs, **kw_b),
                    dbag.from_sequence(floats))
        ops = [
            ("prod", "b:product(s)", lambda m: m[0].product(m[1])),
            ("prod_rev", "s:product(b)", lambda m: m[1].product(m[0])),
            ("prod_self", "b:product(b)", lambda m: m[0].product(m[0])),
            ("prod_floats", "f:product(b)", lambda m: m[2].product(m[0])),
            ("prod_count", "b:product(s):count()", lambda m: m[0].product(m[1]).count()),
            ("prod_filter", "b:product(b):filter(function(t) return t[1]:lt(t[2]) end)",
             lambda m: m[0].product(m[0]).filter(lambda t: t[0] < t[1])),
            ("prod_map", "b:product(f):map(function(t) return t[1] * t[2] end)",
             lambda m: m[0].product(m[2]).map(lambda t: t[0] * t[1])),
            ("prod_starmap_sum", "b:product(b):starmap(function(x, y) return x - y end):sum()",
             lambda m: m[0].product(m[0]).starmap(lambda x, y: x - y).sum()),
        ]
        lines = [pre] + ['db.print(%s, "%s")' % (lua, name) for name, lua, _ in ops]
        exe, r = tl.build_program("\n".join(lines) + "\n", d)
        label = "product, %s" % (ko or "default partitions")
        if R.check(exe is not None, label + ": compiles", tl.short(r.stderr)):
            tl.check_printed(R, exe, d, {n: py(make()).compute() for n, _, py in ops}, label,
                             same=tb.close)


def check_mpi(d):
    """Under --mpi (1 and 3 ranks): records printed, topk with a key, foldby of values and
    product, Dask's text on every rank count"""
    if not shutil.which("mpirun"):
        R.check(False, "mpirun is installed (libopenmpi-dev, openmpi-bin)")
        return
    path = os.path.join(d, "m.jsonl")
    tl.write(path, "".join('{"a": %d, "b": "x%d", "c": %r}\n' % (i, i, i / 3) for i in range(500)))
    src = ('local db = require("cdask.bag")\n'
           'local r = db.read_json_lines("m.jsonl", {blocksize = 2000})\n'
           'db.print(r:filter(function(x) return (x.a % 7):eq(0) end), "recs")\n'
           'local b = r:pluck("a")\n'
           'db.print(b:topk(9, function(x) return x % 11 end), "topk")\n'
           'db.print(b:foldby(function(x) return x % 3 end, math.max), "foldby")\n'
           'db.print(db.from_sequence({1, 2, 3}, {npartitions = 2}):product('
           'db.from_sequence({"x", "y"})), "product")\n')
    tl.write(os.path.join(d, "mpi.lua"), src)
    c = tl.cdaskc(["mpi.lua", "--mpi", "-o", "mpiprog"], cwd=d)
    if not R.check(c.returncode == 0, "--mpi: compiles", tl.short(c.stderr)):
        return
    r = dbag.read_text(path, blocksize=2000).map(json.loads)
    b = r.pluck("a")
    want = "recs = %s\ntopk = %s\nfoldby = %s\nproduct = %s\n" % (
        r.filter(lambda x: x["a"] % 7 == 0).compute(), b.topk(9, key=lambda x: x % 11).compute(),
        b.foldby(lambda x: x % 3, max).compute(),
        dbag.from_sequence([1, 2, 3], npartitions=2).product(dbag.from_sequence(["x", "y"]))
        .compute())
    for n in ("1", "3"):
        p = tl.run(["mpirun", "--allow-run-as-root", "--oversubscribe", "-n", n,
                    os.path.join(d, "mpiprog"), "--out", d], cwd=d)
        R.check(p.returncode == 0 and p.stdout == want, "--mpi, %s ranks: Dask's text" % n,
                "got %r\nwant %r" % (p.stdout[:800] + tl.short(p.stderr), want[:800]))


def main():
    ints, floats, strs = tb.data()
    d = tl.tempdir("bagvalues")
    try:
        pre = 'local db = require("cdask.bag")\nlocal b = db.from_sequence(%s%s)'
        for parts in (None, 1, 3, 7):
            opt = ", {npartitions = %d}" % parts if parts else ""
            kw = {"npartitions": parts} if parts else {}
            tb.check_case(d, "ints, npartitions %s" % parts, pre % (tb.lua_seq(ints), opt),
                          INT_OPS, lambda: dbag.from_sequence(ints, **kw))
        tb.check_case(d, "floats", pre % (tb.lua_seq(floats), ", {npartitions = 4}"), FLOAT_OPS,
                      lambda: dbag.from_sequence(floats, npartitions=4))
        tb.check_case(d, "strings", pre % (tb.lua_seq(strs), ""), STR_OPS,
                      lambda: dbag.from_sequence(strs))
        bools = [True, False, True, True, False]
        tb.check_case(d, "bools", pre % (tb.lua_seq(bools), ", {npartitions = 2}"), BOOL_OPS,
                      lambda: dbag.from_sequence(bools, npartitions=2))
        tb.check_case(d, "range", 'local db = require("cdask.bag")\nlocal b = db.range(1000, '
                      '{npartitions = 6})', INT_OPS[:3] + INT_OPS[7:11],
                      lambda: dbag.range(1000, npartitions=6))
        check_tie_property(ints)
        check_fold_initial_edges(d)
        check_records(d)
        check_product(d)
        check_mpi(d)
        prelude = 'local db = require("cdask.bag")\nlocal da = require("cdask.array")\n' \
                  'local b = db.from_sequence({1, 2, 3})\n'
        tl.check_script_errors(R, d, prelude, [
            ("topk key of a Lua comparison", "b:topk(2, function(x) return x == 1 end)",
             "topk's key: the function returned a Lua boolean; Lua compares a traced element "
             "with a number without asking cdask (x % 2 == 0 is always false): write "
             "(x % 2):eq(0), x:lt(3), x:ne(y), ..."),
            ("topk key not a function", 'b:topk(2, "x")', "topk's key: expected a function, "
             "got string"),
            ("foldby of values by a name", 'b:foldby("x", %s, 0, %s, 0)' % (FOLD, COMBINE),
             "foldby of a bag of values: the key must be a function of the element, got "
             "string (Dask would index each element with it)"),
            ("foldby of values, other binop", "b:foldby(function(x) return x end, "
             "function(t, x) return t * x end, 1)",
             "foldby: the binary function must be total + f(x), total + 1, math.max or "
             "math.min (others are not supported yet)"),
            ("foldby of values, initial", "b:foldby(function(x) return x end, %s, 5, %s, 0)"
             % (FOLD, COMBINE),
             "foldby: initial other than 0 is not supported yet (Dask adds it once per "
             "partition)"),
            ("fold from a float initial", "b:fold(math.max, nil, 0.5)",
             "fold: initial 0.5 is a float (0.0, not 0) and the elements int64: Python's max "
             "and min would give either type; write an integer (0, not 0.0)"),
            ("fold from a string initial", 'b:fold(math.min, nil, "x")',
             "fold: initial x is a string and the elements int64: Python's max and min would "
             "give either type; write an integer (0, not 0.0)"),
            ("foldby from a float", "b:foldby(function(x) return x end, math.max, nil, math.max, "
             "2.5)", "foldby: combine_initial 2.5 is a float (0.0, not 0) and the elements int64: "
             "Python's max and min would give either type; write an integer (0, not 0.0)"),
            ("product of a filtered bag", "b:filter(function(x) return x:gt(1) end):product(b)",
             "product of a bag other than db.from_sequence's values (and maps of them) is "
             "not supported yet: Dask's order follows both bags' partitions"),
            ("product of a large bag", "b:product(db.range(200))",
             "product of a bag other than db.from_sequence's values (and maps of them) is "
             "not supported yet: Dask's order follows both bags' partitions"),
            ("product of 101 elements", "b:product(db.from_sequence({%s}))" % (
                ", ".join(["1"] * 101)),
             "product of a bag of more than 100 elements: give from_sequence a partition_size "
             "(Dask's count of its partitions changed after 2022.12)"),
            ("product too large", "(function() local t = {} for i = 1, 4000 do t[i] = i end "
             "local x = db.from_sequence(t, {partition_size = 100}) return x:product(x) end)()",
             "product: 16000000 pairs would be written into the program (at most 10000000)"),
            ("topk with a key of distinct", "b:distinct():topk(2, function(x) return -x end)",
             "topk with a key of a computed bag (distinct) is not supported yet"),
            ("foldby of topk", "b:topk(2):foldby(function(x) return x end, math.max)",
             "foldby of a computed bag (topk) is not supported yet"),
            ("foldby of pairs", "b:frequencies():foldby(function(p) return p end, math.max)",
             "foldby of a bag of (item, count) pairs (frequencies) is not supported yet"),
        ])
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
