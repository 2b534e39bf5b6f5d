#!/usr/bin/python3
"""db.print of the tuples, lists and dicts a map's function returns and of str.split's
lists, byte for byte as Python prints Dask's result, on 1 and 3 threads: a Lua sequence
{a, b} is Python's tuple (a, b) ({x} is (x,)), db.list{a, b} the list [a, b], {k = v} the
dict of one key and db.dict{{"k", v}, {"j", w}} the dict with its keys in that order (a Lua
table has none); nested, with constants, keys that need escapes, of values, strings and
JSON records, filtered, counted, a tuple bag starmapped, constants of a function that
ignores its element, empty lists and dicts (db.list{}, db.dict{}); b.str:split() and
split(sep) of strings with unicode, empty pieces and whitespace. Errors at the script's
line: a Lua table of several keys or none, a Lua boolean in it, flatten of empty lists."""

import json
import os
import sys

import dask.bag as dbag

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_bag_basic as tb  # noqa: E402  (its lua_seq and data)

R = tb.R

# (label, Lua over bag b, Python over Dask bag b)
INT_OPS = [
    ("tuple", "b:map(function(x) return {x, x * 2} end)", lambda b: b.map(lambda x: (x, x * 2))),
    ("one_tuple", "b:map(function(x) return {x // 4} end)", lambda b: b.map(lambda x: (x // 4,))),
    ("list", "b:map(function(x) return db.list{x, x / 4, 1, \"c\"} end)",
     lambda b: b.map(lambda x: [x, x / 4, 1, "c"])),
    ("dict1", "b:map(function(x) return {sq = x * x} end)", lambda b: b.map(lambda x: {"sq": x * x})),
    ("dict", 'b:map(function(x) return db.dict{{"v", x}, {"half", x / 2}, {"k", "c"}, {7, x % 3}} '
     "end)", lambda b: b.map(lambda x: {"v": x, "half": x / 2, "k": "c", 7: x % 3})),
    ("nested", 'b:map(function(x) return db.dict{{"pair", {x, x + 1}}, {"l", db.list{x % 3, '
     '{x}}}, {"it\'s é\\n", x:gt(0)}} end)',
     lambda b: b.map(lambda x: {"pair": (x, x + 1), "l": [x % 3, (x,)], "it's é\n": x > 0})),
    ("filtered", "b:filter(function(x) return x:lt(-30) end):map(function(x) return "
     "db.list{x} end)", lambda b: b.filter(lambda x: x < -30).map(lambda x: [x])),
    ("count", "b:map(function(x) return db.list{x, x} end):count()",
     lambda b: b.map(lambda x: [x, x]).count()),
    ("starmap", "b:map(function(x) return {x, x * 3} end):starmap(function(a, c) return a - c "
     "end):sum()", lambda b: b.map(lambda x: (x, x * 3)).starmap(lambda a, c: a - c).sum()),
    # functions that ignore their element: a constant for each element
    ("consts", "b:map(function(x) return {1, \"a\"} end)", lambda b: b.map(lambda x: (1, "a"))),
    ("const", "b:filter(function(x) return x:gt(0) end):map(function(x) return 7 end)",
     lambda b: b.filter(lambda x: x > 0).map(lambda x: 7)),
    ("const_sum", "b:map(function(x) return 0.25 end):sum()",
     lambda b: b.map(lambda x: 0.25).sum()),
    ("const_zip", 'db.zip(b, b):map(function(t) return "z" end):frequencies()',
     lambda b: dbag.zip(b, b).map(lambda t: "z").frequencies()),
    # empty lists and dicts, alone, nested, beside a value, filtered and counted
    ("empty_list", "b:map(function(x) return db.list{} end)", lambda b: b.map(lambda x: [])),
    ("empty_dict", "b:map(function(x) return db.dict{} end)", lambda b: b.map(lambda x: {})),
    ("empty_nested", "b:map(function(x) return db.list{db.list{}, db.dict{}, {x}} end)",
     lambda b: b.map(lambda x: [[], {}, (x,)])),
    ("empty_filtered", "b:filter(function(x) return x:gt(0) end):map(function(x) return "
     "db.list{} end)", lambda b: b.filter(lambda x: x > 0).map(lambda x: [])),
    ("empty_count", "b:map(function(x) return db.list{} end):count()",
     lambda b: b.map(lambda x: []).count()),
]
STR_OPS = [
    ("split", "b.str:split()", lambda b: b.str.split()),
    ("split_sep", 'b.str:split("a")', lambda b: b.str.split("a")),
    ("split_filtered", 'b:filter(function(s) return s:ne("a") end).str:split(" ")',
     lambda b: b.filter(lambda s: s != "a").str.split(" ")),
    ("str_list", "b:map(function(s) return db.list{s, s.str:upper()} end)",
     lambda b: b.map(lambda s: [s, s.upper()])),
    ("str_dict", 'b:map(function(s) return {len = s.str:len()} end)',
     lambda b: b.map(lambda s: {"len": len(s)})),
]


def text_of(ops, bag):
    return "".join("%s = %s\n" % (name, py(bag).compute()) for name, _, py in ops)


def check(d, label, prelude, ops, bag):
    exe, r = tl.build_program(prelude + "\n" + "".join(
        'db.print(%s, "%s")\n' % (lua, name) for name, lua, _ in ops), d)
    if R.check(exe is not None, label + ": compiles", tl.short(r.stderr)):
        tl.check_stdout(R, exe, d, text_of(ops, bag), label)


def check_records(d):
    path = os.path.join(d, "r.jsonl")
    tl.write(path, "".join(json.dumps({"id": i, "size": (i * 7) % 23, "name": "n%d" % (i % 4)})
                           + "\n" for i in range(60)))
    ops = [
        ("rec_dict", 'r:map(function(x) return db.dict{{"id", x.id}, {"big", x.size:gt(10)}, '
         '{"name", x.name}} end)',
         lambda r: r.map(lambda x: {"id": x["id"], "big": x["size"] > 10, "name": x["name"]})),
        ("rec_tuple", "r:filter(function(x) return x.size:lt(5) end):map(function(x) return "
         "{x.name, x.size} end)",
         lambda r: r.filter(lambda x: x["size"] < 5).map(lambda x: (x["name"], x["size"]))),
        ("rec_const", "r:map(function(x) return 1 end):sum()", lambda r: r.map(lambda x: 1).sum()),
    ]
    bag = dbag.read_text(path, blocksize=200).map(json.loads)
    check(d, "records", 'local db = require("cdask.bag")\n'
          'local r = db.read_json_lines("r.jsonl", {blocksize = 200})', ops, bag)


def main():
    ints, _, strs = tb.data()
    strs = strs + ["a  b\tc ", "", "aaa", " a é a ", "\u3000x\u3000"]
    d = tl.tempdir("bagshapes")
    try:
        pre = 'local db = require("cdask.bag")\nlocal b = db.from_sequence(%s%s)'
        for parts in (1, 5):
            check(d, "ints, npartitions %d" % parts,
                  pre % (tb.lua_seq(ints), ", {npartitions = %d}" % parts), INT_OPS,
                  dbag.from_sequence(ints, npartitions=parts))
        check(d, "strings", pre % (tb.lua_seq(strs), ""), STR_OPS, dbag.from_sequence(strs))
        check_records(d)
        prelude = ('local db = require("cdask.bag")\nlocal da = require("cdask.array")\n'
                   "local b = db.from_sequence({1, 2, 3})\n")
        tl.check_script_errors(R, d, prelude, [
            ("several keys", "b:map(function(x) return {a = x, c = x} end)",
             "map: a Lua table's fields have no order; give a dict as db.dict{{\"a\", ...}, ...} "
             "(its keys in order), a tuple as {a, b} or a list as db.list{a, b}"),
            ("a Lua boolean", "b:map(function(x) return {x, x == 1} end)",
             "map: the function returned a table holding boolean (Lua compares a traced element "
             "without asking cdask: write x:eq(0), x:lt(3), ...)"),
            ("a bad pair", 'b:map(function(x) return db.dict{{"a"}} end)',
             "db.dict: item 1 is not a {key, value} pair"),
            ("an empty table", "b:map(function(x) return {} end)",
             "map: an empty Lua table {} is Python's () or {}: write db.list{} for the empty "
             "list [], db.dict{} for the empty dict {}"),
            ("flatten of empty lists", "b:map(function(x) return db.list{} end):flatten()",
             "flatten of empty lists (db.list{}) is not supported yet: Dask's result is the "
             "empty bag, whose elements have no type"),
            ("sum of lists", "b:map(function(x) return db.list{x} end):sum()",
             "sum of a bag of the lists, tuples or dicts a map made is not supported yet"),
        ])
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
