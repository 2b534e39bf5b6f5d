#!/usr/bin/python3
"""flatten of JSON arrays of objects (the dask-tutorial's transactions, the GitHub archive's
payload.commits), against Dask's bag (Debian's python3-dask) reading the files as
read_text(...).map(json.loads): pluck("transactions"):flatten() and
map(function(r) return r.transactions end):flatten() are bags of records (the objects'
fields sniffed like a record's: pandas' ladder, nested objects), printed as Python's dicts;
pluck of an item field then sum, mean, count, min, max, frequencies, distinct and topk; map
and filter of traced functions reading x.amount and x["transaction-id"]; foldby keyed by an
item field; count; nested objects in the items (author.name) and a list in a nested object
under a filter of the records (payload.commits). The files: three read as a glob, keys in
random orders, unicode and escapes, empty lists, lists null or absent, items lacking a field
or holding null, CRLF, and a last line without its newline. cdask reads a missing list as no
items and a missing field of an item as a missing value (NaN for a float64, None printed), so
the oracle reads those with dict.get and NaN. Every result equals Dask's (floats exactly, the
amounts being quarters) for blocks of 300 bytes and the default, on 1, 2 and 3 threads.
Errors at the script's line: to_dataframe of the items, a map of them to a constant, an
item field that holds arrays, a bool field some items lack, a field of different kinds,
flatten of the items again. At run time (exit 3, file:line, nothing printed): a later
record whose array holds a non-object, an item field of another type, an int64 field absent
or null."""

import json
import math
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

NAMES = ["Alice", "Bob", "é\"q", "tab\there", "😀", "back\\slash", "ünï", "it's"]
CURRENCIES = ["EUR", "USD", "¥en"]


def transaction(rng, tid):
    t = {"transaction-id": tid, "amount": rng.choice([rng.randint(1, 200),
                                                      rng.randint(-400, 800) / 4]),
         "cur": rng.choice(CURRENCIES), "ok": rng.random() < 0.5}
    r = rng.random()
    if r < 0.15:
        t["memo"] = None
    elif r < 0.7:
        t["memo"] = rng.choice(NAMES)
    r = rng.random()
    if r < 0.6:
        t["author"] = {"name": rng.choice(NAMES)}
    elif r < 0.75:
        t["author"] = None
    return tbn.shuffled(rng, t)


def record(rng, i):
    rec = {"id": i, "name": rng.choice(NAMES),
           "transactions": [transaction(rng, i * 10 + k) for k in range(rng.randint(0, 4))],
           "payload": {"commits": [{"sha": "%x" % rng.getrandbits(40),
                                    "author": {"name": rng.choice(NAMES)}}
                                   for _ in range(rng.randint(0, 3))]}}
    r = rng.random()
    if r < 0.06:
        rec["transactions"] = None
    elif r < 0.12:
        del rec["transactions"]
    elif r < 0.16:
        rec["payload"] = None
    return tbn.shuffled(rng, rec)


def make(d, rng):
    tbn.write_jsonl(d, rng, record, 500, open_end=True)


def txs(x):
    return x.get("transactions") or []


def commits(x):
    return (x.get("payload") or {}).get("commits") or []


def get(key):
    """An item's field as cdask reads it: a missing one is None"""
    return lambda t: t.get(key)


def amount(t):
    return float(t["amount"])  # float64: the sample had ints and floats


def author(t):
    return (t.get("author") or {}).get("name")


def notnone(b):
    return b.filter(lambda v: v is not None)


# (label, Lua over record bag r, Python over Dask bag r of dicts)
OPS = [
    ("tx", 'r:pluck("transactions"):flatten()', lambda r: r.map(txs).flatten()),
    ("tx_map", "r:map(function(x) return x.transactions end):flatten()",
     lambda r: r.map(txs).flatten()),
    ("tx_count", 'r:pluck("transactions"):flatten():count()',
     lambda r: r.map(txs).flatten().count()),
    ("amount", 'r:pluck("transactions"):flatten():pluck("amount")',
     lambda r: r.map(txs).flatten().map(amount)),
    ("amount_sum", 'r:pluck("transactions"):flatten():pluck("amount"):sum()',
     lambda r: r.map(txs).flatten().map(amount).sum()),
    ("amount_mean", 'r:map(function(x) return x.transactions end):flatten():pluck("amount")'
     ":mean()", lambda r: r.map(txs).flatten().map(amount).mean()),
    ("amount_count", 'r:pluck("transactions"):flatten():pluck("amount"):count()',
     lambda r: r.map(txs).flatten().map(amount).count()),
    ("amount_min", 'r:pluck("transactions"):flatten():pluck("amount"):min()',
     lambda r: r.map(txs).flatten().map(amount).min()),
    ("amount_max", 'r:pluck("transactions"):flatten():pluck("amount"):max()',
     lambda r: r.map(txs).flatten().map(amount).max()),
    ("amount_top", 'r:pluck("transactions"):flatten():pluck("amount"):topk(5)',
     lambda r: r.map(txs).flatten().map(amount).topk(5)),
    ("ids_distinct", 'r:pluck("transactions"):flatten():pluck("transaction-id"):distinct()',
     lambda r: r.map(txs).flatten().pluck("transaction-id").distinct()),
    ("ids_sum", 'r:pluck("transactions"):flatten():map(function(x) return x["transaction-id"] '
     "end):sum()", lambda r: r.map(txs).flatten().pluck("transaction-id").sum()),
    ("cur_freq", 'r:pluck("transactions"):flatten():pluck("cur"):frequencies()',
     lambda r: r.map(txs).flatten().pluck("cur").frequencies()),
    ("ok_freq", 'r:pluck("transactions"):flatten():pluck("ok"):frequencies()',
     lambda r: r.map(txs).flatten().pluck("ok").frequencies()),
    ("memo_freq", 'r:pluck("transactions"):flatten():pluck("memo"):frequencies()',
     lambda r: notnone(r.map(txs).flatten().map(get("memo"))).frequencies()),
    ("memo_count", 'r:pluck("transactions"):flatten():pluck("memo"):count()',
     lambda r: notnone(r.map(txs).flatten().map(get("memo"))).count()),
    ("memo", 'r:pluck("transactions"):flatten():pluck("memo")',
     lambda r: r.map(txs).flatten().map(get("memo"))),
    ("double", 'r:pluck("transactions"):flatten():map(function(x) return x.amount * 2 end)',
     lambda r: r.map(txs).flatten().map(lambda t: amount(t) * 2)),
    ("big", 'r:pluck("transactions"):flatten():filter(function(x) return x.amount:gt(50) end)',
     lambda r: r.map(txs).flatten().filter(lambda t: t["amount"] > 50)),
    ("big_ids", 'r:pluck("transactions"):flatten():filter(function(x) return x.amount:gt(50) '
     'end):pluck("transaction-id")',
     lambda r: r.map(txs).flatten().filter(lambda t: t["amount"] > 50).pluck("transaction-id")),
    ("big_count", 'r:pluck("transactions"):flatten():filter(function(x) return x.ok end)'
     ":count()", lambda r: r.map(txs).flatten().filter(lambda t: t["ok"]).count()),
    ("fold_cur", 'r:pluck("transactions"):flatten():foldby("cur", function(a, x) return a + '
     "x.amount end, 0, function(a, b) return a + b end, 0)",
     lambda r: r.map(txs).flatten().foldby(lambda t: t["cur"], lambda a, t: a + amount(t), 0.0,
                                           add, 0.0)),
    ("fold_count", 'r:pluck("transactions"):flatten():foldby(function(x) return x.ok end, '
     "function(a, x) return a + 1 end, 0, function(a, b) return a + b end, 0)",
     lambda r: r.map(txs).flatten().foldby(lambda t: t["ok"], lambda a, t: a + 1, 0, add, 0)),
    ("authors", 'r:pluck("transactions"):flatten():pluck("author")',
     lambda r: r.map(txs).flatten().map(get("author"))),
    ("author_names", 'r:pluck("transactions"):flatten():pluck("author"):pluck("name")',
     lambda r: r.map(txs).flatten().map(author)),
    ("author_freq", 'r:pluck("transactions"):flatten():map(function(x) return x.author.name '
     "end):frequencies()", lambda r: notnone(r.map(txs).flatten().map(author)).frequencies()),
    ("commit_authors", 'r:filter(function(x) return x.id:lt(1300) end):pluck("payload")'
     ':pluck("commits"):flatten():pluck("author"):pluck("name"):frequencies()',
     lambda r: r.filter(lambda x: x["id"] < 1300).map(commits).flatten()
     .map(lambda c: c["author"]["name"]).frequencies()),
    ("commit_shas", 'r:pluck("payload"):pluck("commits"):flatten():pluck("sha")',
     lambda r: r.map(commits).flatten().pluck("sha")),
]


def same(got, want):
    """Exact values: a float by its repr (NaN: NaN), containers item by item"""
    if isinstance(want, float):
        return isinstance(got, float) and (repr(got) == repr(want) or
                                           (math.isnan(got) and math.isnan(want)))
    if isinstance(want, (list, tuple)):
        return (isinstance(got, (list, tuple)) and len(got) == len(want)
                and all(same(g, w) for g, w in zip(got, want)))
    return got == want


def check(d, label, bag_lua):
    prelude = 'local db = require("cdask.bag")\nlocal r = %s' % bag_lua

    def bag():
        return dbag.read_text(os.path.join(d, "ev*.jsonl")).map(json.loads)
    tl.check_bag_ops(R, d, label, prelude, OPS, bag, same, threads=("1", "2", "3"))


def runtime_errors(d):
    good = "".join(json.dumps(record(random.Random(i), i)) + "\n" for i in range(1500))
    flat = 'db.print(r:pluck("transactions"):flatten():pluck("transaction-id"):sum(), "s")\n'
    for name, bad, want in [
            ("late_scalar_item", '{"id": 1, "transactions": [{"transaction-id": 1}, 2]}',
             "late_scalar_item.jsonl:1501: field 'transactions': cannot read '2' as an item of "
             "a list of dict"),
            ("late_str_id", '{"id": 1, "transactions": [{"transaction-id": "x"}]}',
             "late_str_id.jsonl:1501: field 'transactions[].transaction-id': cannot read "
             "'\"x\"' as int64"),
            ("late_null_id", '{"id": 1, "transactions": [{"transaction-id": null}]}',
             "late_null_id.jsonl:1501: field 'transactions[].transaction-id' is absent or null "
             "where the first records had a value: it was compiled as int64"),
            ("late_absent_id", '{"id": 1, "transactions": [{"amount": 1}]}',
             "late_absent_id.jsonl:1501: field 'transactions[].transaction-id' is absent or "
             "null where the first records had a value: it was compiled as int64")]:
        tbj.run_error(d, name + ".jsonl", (good + bad + "\n" + good).encode(),
                      'local r = db.read_json_lines("%s.jsonl")\n' % name + flat, want)


def script_errors(d):
    tl.write(os.path.join(d, "odd.jsonl"), "".join(json.dumps(rec) + "\n" for rec in [
        {"tx": [{"a": 1, "tags": [1], "b": True, "k": 1}, {"a": 2, "k": "x"}]},
        {"tx": [], "objmix": [{"a": 1}, 2]}]))
    prelude = ('local db = require("cdask.bag")\nlocal da = require("cdask.array")\n'
               'local r = db.read_json_lines("odd.jsonl")\nlocal t = r:pluck("tx"):flatten()\n')
    later = "which is not supported yet (Dask's records would hold them)"
    tl.check_script_errors(R, d, prelude, [
        ("to_dataframe", "t:to_dataframe()",
         "to_dataframe of flattened records (a list's objects) is not supported yet: pluck, "
         "map, filter or foldby them"),
        ("a constant", "t:map(function(x) return 1 end)",
         "map of flattened records (a list's objects) to a constant is not supported yet: map "
         "each to one of its fields (function(x) return x.amount end)"),
        ("a list in the items", 't:pluck("tags")',
         "field 'tx[].tags' holds arrays (lists in a list's objects), " + later),
        ("a bool some items lack", "t:map(function(x) return x.b end)",
         "field 'tx[].b' is a bool that some of the first objects lack or hold as null, "
         + later),
        ("different kinds", 't:pluck("k")',
         "field 'tx[].k' holds values of different kinds (numbers, strings, booleans), "
         + later),
        ("flatten again", "t:flatten()",
         "flatten of a bag of values is not supported yet (flatten str.split's lists, or flat "
         "tuples and lists of values)"),
        ("frequencies of the items", "t:frequencies()",
         "frequencies of a bag of records (JSON objects): Dask raises TypeError: unhashable "
         "type: 'dict'; pluck a field first"),
        ("objects and other items", 'r:pluck("objmix"):flatten()',
         "field 'objmix' holds arrays of objects and other values, " + later),
    ])


def main():
    d = tl.tempdir("bagjsonobjects")
    try:
        make(d, random.Random(16))
        check(d, "read_json_lines", 'db.read_json_lines("ev*.jsonl")')
        check(d, "blocks of 300 bytes", 'db.read_json_lines("ev*.jsonl", {blocksize = 300})')
        check(d, "blocks of 97 bytes", 'db.read_json_lines("ev*.jsonl", {blocksize = 97})')
        check(d, "map(db.json)", 'db.read_text("ev*.jsonl", {blocksize = 300}):map(db.json)')
        runtime_errors(d)
        script_errors(d)
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
