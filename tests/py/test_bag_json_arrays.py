#!/usr/bin/python3
"""JSON lines whose fields hold arrays (the GitHub archive's tags and labels lists), against
Dask's bag (Debian's python3-dask) reading them as read_text(...).map(json.loads), where a
field is a Python list: pluck of a list field (a bag of lists, printed as Python's lists),
flatten and then frequencies, distinct, count, topk, sum and map; #x.tags (Python's len) in
map, filter and a foldby key; x.nums:sum() (Python's sum of each list); count; lists of str,
int, float (ints and nulls among them: float64, NaN for a null) and bool items, at the top
level and in a nested object. The files: three read as a glob, keys in random orders,
unicode and escapes in the items, empty lists, lists null or absent in some records (cdask
reads them as a missing value: None printed, no items flattened, NaN for the length, where
Dask's x["tags"] raises KeyError or its flatten TypeError, so the oracle reads those records
with dict.get). Every result equals Dask's for blocks of 300 bytes and the default, on 1, 2
and 3 threads. Errors at the script's line: arrays of arrays, of items of
different kinds, arrays mixed with other values, frequencies, distinct and sum of a bag of
lists, x.tags:sum() of strings, x.tags:mean() and arithmetic of a list, a list as a foldby
key, to_dataframe of records with lists, pluck's default of a list. At run time (exit 3,
file:line, nothing printed): a later record whose list holds an item of another type or a
null int, and a non-array where arrays were sampled."""

import json
import os
import random
import sys
from operator import add

import dask
import dask.bag as dbag

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_bag_json as tbj  # noqa: E402
import test_bag_json_nested as tbn  # noqa: E402

R = tbj.R  # tbj.run_error records its checks there
dask.config.set(scheduler="sync")

TAGS = ["bug", "é\"q", "tab\there", "new\nline", "😀", "back\\slash", "ünï", "a/b", "it's"]


def record(rng, i):
    rec = {"id": i,
           "tags": rng.sample(TAGS, rng.randint(0, 4)),
           "nums": [rng.randint(-1000, 1000) for _ in range(rng.randint(0, 5))],
           "scores": [rng.choice([rng.uniform(-9, 9), rng.randint(0, 5), None])
                      for _ in range(rng.randint(0, 3))],
           "flags": [rng.random() < 0.5 for _ in range(rng.randint(0, 3))],
           "payload": {"labels": rng.sample(TAGS, rng.randint(0, 2)), "size": i % 5,
                       "commits": [{"sha": "%x" % rng.getrandbits(40), "message": rng.choice(TAGS),
                                    "n": rng.randint(0, 9)} for _ in range(rng.randint(0, 3))]}}
    r = rng.random()
    if r < 0.08:
        rec["tags"] = None
    elif r < 0.15:
        del rec["tags"]
    elif r < 0.2:
        rec["payload"] = None
    return tbn.shuffled(rng, rec)


def make(d, rng):
    tbn.write_jsonl(d, rng, record, 600)


def tags(x):
    return x.get("tags") or []


def labels(x):
    return (x.get("payload") or {}).get("labels")


def commits(x):
    return (x.get("payload") or {}).get("commits")


def length(v):
    return -1 if v is None else len(v)


# (label, Lua over record bag r, Python over Dask bag r of dicts)
OPS = [
    ("tags", 'r:pluck("tags")', lambda r: r.map(lambda x: x.get("tags"))),
    ("tags_map", "r:map(function(x) return x.tags end)", lambda r: r.map(lambda x: x.get("tags"))),
    ("tags_flat", 'r:pluck("tags"):flatten()', lambda r: r.map(tags).flatten()),
    ("tags_freq", 'r:pluck("tags"):flatten():frequencies()',
     lambda r: r.map(tags).flatten().frequencies()),
    ("tags_distinct", 'r:pluck("tags"):flatten():distinct()',
     lambda r: r.map(tags).flatten().distinct()),
    ("tags_count", 'r:pluck("tags"):flatten():count()', lambda r: r.map(tags).flatten().count()),
    ("tags_top", 'r:pluck("tags"):flatten():frequencies():topk(4, function(p) return p[2] end)',
     lambda r: r.map(tags).flatten().frequencies().topk(4, key=lambda p: p[1])),
    ("tags_upper", 'r:pluck("tags"):flatten():map(function(t) return t.str:upper() end)',
     lambda r: r.map(tags).flatten().map(str.upper)),
    ("tag_lens", "r:map(function(x) return (#x.tags):fillna(-1) end)",
     lambda r: r.map(lambda x: length(x.get("tags")))),
    ("lists_count", 'r:pluck("tags"):count()', lambda r: r.count()),
    ("nums", 'r:pluck("nums")', lambda r: r.pluck("nums")),
    ("nums_sum", 'r:pluck("nums"):flatten():sum()', lambda r: r.pluck("nums").flatten().sum()),
    ("nums_max", 'r:pluck("nums"):flatten():max()', lambda r: r.pluck("nums").flatten().max()),
    ("nums_len", 'r:pluck("nums"):map(function(t) return #t end)',
     lambda r: r.pluck("nums").map(len)),
    ("nums_long", 'r:pluck("nums"):filter(function(t) return (#t):gt(2) end)',
     lambda r: r.pluck("nums").filter(lambda t: len(t) > 2)),
    ("ids_long", 'r:filter(function(x) return (#x.nums):ge(4) end):pluck("id")',
     lambda r: r.filter(lambda x: len(x["nums"]) >= 4).pluck("id")),
    ("foldby_len", "r:foldby(function(x) return #x.nums end, function(t, x) return t + x.id "
     "end, 0, function(a, b) return a + b end, 0)",
     lambda r: r.foldby(lambda x: len(x["nums"]), lambda t, x: t + x["id"], 0, add, 0)),
    # a list's length as a fold's and a foldby's term (their traces replay #x.nums)
    ("fold_len", "r:fold(function(t, x) return t + #x.nums end, function(a, b) return a + b "
     "end, 0)", lambda r: r.fold(lambda t, x: t + len(x["nums"]), add, 0)),
    ("foldby_len_term", "r:foldby(function(x) return x.id % 3 end, function(t, x) return t + "
     "#x.nums end, 0, function(a, b) return a + b end, 0)",
     lambda r: r.foldby(lambda x: x["id"] % 3, lambda t, x: t + len(x["nums"]), 0, add, 0)),
    ("nums_sum_each", "r:map(function(x) return x.nums:sum() end)",
     lambda r: r.map(lambda x: sum(x["nums"]))),
    ("nums_mean_each", "r:filter(function(x) return (#x.nums):gt(0) end):map(function(x) "
     "return x.nums:sum() / #x.nums end)",
     lambda r: r.filter(lambda x: x["nums"]).map(lambda x: sum(x["nums"]) / len(x["nums"]))),
    ("scores_sum_each", 'r:pluck("scores"):map(function(t) return t:sum() end)',
     lambda r: r.pluck("scores").map(lambda t: sum(s for s in t if s is not None))),
    ("scores", 'r:pluck("scores")', lambda r: r.pluck("scores")),
    ("scores_flat", 'r:pluck("scores"):flatten():map(function(s) return s:fillna(-99) end)',
     lambda r: r.pluck("scores").flatten().map(lambda s: -99 if s is None else s)),
    ("scores_sum", 'r:pluck("scores"):flatten():filter(function(s) return s:notna() end):sum()',
     lambda r: r.pluck("scores").flatten().filter(lambda s: s is not None).sum()),
    ("flags_freq", 'r:pluck("flags"):flatten():frequencies()',
     lambda r: r.pluck("flags").flatten().frequencies()),
    ("labels", 'r:pluck("payload"):pluck("labels")', lambda r: r.map(labels)),
    ("labels_map", "r:map(function(x) return x.payload.labels end)", lambda r: r.map(labels)),
    ("labels_freq", 'r:pluck("payload"):pluck("labels"):flatten():frequencies()',
     lambda r: r.map(lambda x: labels(x) or []).flatten().frequencies()),
    ("label_lens", "r:map(function(x) return (#x.payload.labels):fillna(-1) end)",
     lambda r: r.map(lambda x: length(labels(x)))),
    ("commits", 'r:pluck("payload"):pluck("commits")', lambda r: r.map(commits)),
    ("commit_lens", "r:map(function(x) return (#x.payload.commits):fillna(-1) end)",
     lambda r: r.map(lambda x: length(commits(x)))),
    ("commits_total", "r:map(function(x) return (#x.payload.commits):fillna(0) end):sum()",
     lambda r: r.map(lambda x: len(commits(x) or [])).sum()),
    ("records", 'r:filter(function(x) return x.id:lt(8) end)',
     lambda r: r.filter(lambda x: x["id"] < 8)),
]


def check(d, label, bag_lua):
    prelude = 'local db = require("cdask.bag")\nlocal r = %s' % bag_lua

    def bag():
        return dbag.read_text(os.path.join(d, "ev*.jsonl")).map(json.loads)
    tl.check_bag_ops(R, d, label, prelude, OPS, bag, tbn.same, threads=("1", "2", "3"))


def runtime_errors(d):
    good = "".join(json.dumps(record(random.Random(i), i)) + "\n" for i in range(1500))
    flat = 'db.print(r:pluck("nums"):flatten():sum(), "s")\n'
    for name, bad, want in [
            ("late_item", '{"nums": [1, 2.5], "tags": ["a"]}',
             "late_item.jsonl:1501: field 'nums': cannot read '2.5' as an item of a list of "
             "int64"),
            ("late_null_item", '{"nums": [3, null]}',
             "late_null_item.jsonl:1501: field 'nums': cannot read 'null' as an item of a "
             "list of int64"),
            ("late_scalar", '{"nums": 7}',
             "late_scalar.jsonl:1501: field 'nums': cannot read '7' as a list of int64"),
            ("late_object", '{"nums": {"a": 1}}',
             "late_object.jsonl:1501: field 'nums': cannot read '{\"a\": 1' as a list of int64")]:
        tbj.run_error(d, name + ".jsonl", (good + bad + "\n" + good).encode(),
                      'local r = db.read_json_lines("%s.jsonl")\n' % name + flat, want)
    tbj.run_error(d, "late_commit.jsonl",
                  (good + '{"nums": [], "payload": {"commits": [{"sha": "1"}, 2]}}\n').encode(),
                  'local r = db.read_json_lines("late_commit.jsonl")\n'
                  'db.print(r:pluck("payload"):pluck("commits"):count(), "n")\n',
                  "late_commit.jsonl:1501: field 'payload.commits': cannot read '2' as an item "
                  "of a list of dict")
    tbj.run_error(d, "late_label.jsonl",
                  (good + '{"nums": [], "payload": {"labels": ["a", 1]}}\n').encode(),
                  'local r = db.read_json_lines("late_label.jsonl")\n'
                  'db.print(r:map(function(x) return #x.payload.labels end), "n")\n',
                  "late_label.jsonl:1501: field 'payload.labels': cannot read '1' as an item of "
                  "a list of str")


def script_errors(d):
    tl.write(os.path.join(d, "odd.jsonl"), "".join(json.dumps(rec) + "\n" for rec in [
        {"commits": [{"sha": "a1", "message": "m"}], "grid": [[1, 2]], "mixed": [1, "a"],
         "objmix": [{"a": 1}, 2],
         "sometimes": [1], "bools": [True, None], "t": ["x"]},
        {"commits": [], "grid": [], "mixed": [], "sometimes": "no", "bools": [], "t": []}]))
    tl.write(os.path.join(d, "lists.jsonl"), '{"n": 1, "t": ["a"]}\n')
    prelude = ('local db = require("cdask.bag")\nlocal da = require("cdask.array")\n'
               'local r = db.read_json_lines("odd.jsonl")\n')
    later = "which is not supported yet (Dask's records would hold them)"
    lists = ("field 't' holds lists (JSON arrays): of a list, cdask supports its length "
             "(#x.t, Python's len), flatten (b:pluck(\"t\"):flatten()), db.print and count; "
             "other uses are not supported yet")
    tl.check_script_errors(R, d, prelude, [
        ("objects and other items", "r:map(function(x) return #x.objmix end)",
         "field 'objmix' holds arrays of objects and other values, " + later),
        ("nested arrays", 'r:pluck("grid")',
         "field 'grid' holds arrays of arrays (Python's lists of lists), " + later),
        ("mixed items", 'r:pluck("mixed")',
         "field 'mixed' holds arrays whose items are of different kinds (numbers, strings, "
         "booleans), " + later),
        ("arrays and other values", 'r:pluck("sometimes")',
         "field 'sometimes' holds arrays and other values, " + later),
        ("bools and nulls", 'r:pluck("bools")',
         "field 'bools' holds arrays of booleans and nulls (a bool item cannot be missing), "
         + later),
        ("frequencies of lists", 'r:pluck("t"):frequencies()',
         "frequencies of a bag of lists (a JSON field that holds arrays): Dask raises "
         "TypeError: unhashable type: 'list'; flatten it first"),
        ("distinct of lists", 'r:pluck("t"):distinct()',
         "distinct of a bag of lists (a JSON field that holds arrays): Dask raises "
         "TypeError: unhashable type: 'list'; flatten it first"),
        ("sum of lists", 'r:pluck("t"):sum()',
         "sum of a bag of lists (a JSON field that holds arrays) is not supported yet: "
         "flatten it first, or map each list to its length (function(x) return #x end)"),
        ("sum of each list of str", "r:map(function(x) return x.t:sum() end)", "sum: " + lists),
        ("max of each list", "r:map(function(x) return x.sometimes:max() end)",
         "field 'sometimes' holds arrays and other values, " + later),
        ("mean of each list", "r:map(function(x) return x.t:mean() end)", "mean: " + lists),
        ("arithmetic of a list", "r:map(function(x) return x.t + 1 end)", lists),
        ("a list as a key", 'r:foldby("t", function(a, x) return a + 1 end, 0, '
         "function(a, b) return a + b end, 0)", "foldby: " + lists),
        ("pluck's default", 'r:pluck("t", 0)',
         "pluck: a default for field 't', which holds lists, is not supported yet"),
        ("to_dataframe", 'db.read_json_lines("lists.jsonl"):to_dataframe()',
         "to_dataframe of records with a field that is a nested object or an array ('t') is "
         "not supported: pandas keeps each as a dict or list in a column of objects; pluck "
         "the object (b:pluck(\"actor\"):to_dataframe()) or map its fields first"),
    ])


def main():
    d = tl.tempdir("bagjsonarrays")
    try:
        make(d, random.Random(11))
        check(d, "read_json_lines", 'db.read_json_lines("ev*.jsonl")')
        check(d, "blocks of 300 bytes", 'db.read_json_lines("ev*.jsonl", {blocksize = 300})')
        check(d, "map(db.json)", 'db.read_text("ev*.jsonl", {blocksize = 300}):map(db.json)')
        runtime_errors(d)
        script_errors(d)
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
