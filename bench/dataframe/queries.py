"""The db-benchmark's groupby questions q1..q5 (pandas/groupby-pandas.py, duckdb's SQL) in
each engine's words, over the table G1 read from its CSV. Each answer is summarised by a
checksum: the sum of every aggregated column (the db-benchmark's "chk"), which must agree
across engines."""

# name: (keys, [(column, aggregation)])
QUESTIONS = {
    "q1": (["id1"], [("v1", "sum")]),
    "q2": (["id1", "id2"], [("v1", "sum")]),
    "q3": (["id3"], [("v1", "sum"), ("v3", "mean")]),
    "q4": (["id4"], [("v1", "mean"), ("v2", "mean"), ("v3", "mean")]),
    "q5": (["id6"], [("v1", "sum"), ("v2", "sum"), ("v3", "sum")]),
}


def lua(names, csv):
    """A cdask script answering the questions names, each written to NAME.csv."""
    out = ['local dd = require("cdask.dataframe")',
           'local x = dd.read_csv("%s")' % csv]
    for n in names:
        keys, aggs = QUESTIONS[n]
        pairs = ", ".join('{"%s", "%s"}' % (c, a) for c, a in aggs)
        key = '"%s"' % keys[0] if len(keys) == 1 else "{%s}" % ", ".join('"%s"' % k for k in keys)
        out.append('dd.to_csv(x:groupby(%s, {as_index = false, sort = false}):agg{%s}, "%s.csv")'
                   % (key, pairs, n))
    return "\n".join(out) + "\n"


def sql(name, table):
    keys, aggs = QUESTIONS[name]
    sel = ", ".join("%s(%s) AS %s" % ("avg" if a == "mean" else a, c, c) for c, a in aggs)
    return "SELECT %s, %s FROM %s GROUP BY %s" % (", ".join(keys), sel, table, ", ".join(keys))


def checksum(columns):
    """The answer's checksum: per aggregated column, the sum of its values."""
    return [float(sum(col)) for col in columns]
