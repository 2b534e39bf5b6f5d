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


# The db-benchmark's join questions (pandas/join-pandas.py's q1..q5, here j1..j5): name ->
# (the right side, how, the key). Each answer is summarised by its rows and the sums of v1
# and v2 (join-pandas.py's chk); x's v1 is never missing, so its count is the rows.
JOINS = {
    "j1": ("small", "inner", "id1"),
    "j2": ("medium", "inner", "id2"),
    "j3": ("medium", "left", "id2"),
    "j4": ("medium", "inner", "id5"),
    "j5": ("big", "inner", "id3"),
}


def join_lua(names, files):
    """A cdask script answering the join questions names: each prints NAME_rows, NAME_v1
    and NAME_v2. files: "x", "small", "medium", "big" -> the CSV files."""
    out = ['local dd = require("cdask.dataframe")',
           'local x = dd.read_csv("%s")' % files["x"]]
    for side in sorted({JOINS[n][0] for n in names}):
        out.append('local %s = dd.read_csv("%s")' % (side, files[side]))
    for n in names:
        side, how, key = JOINS[n]
        out.append('local %s = x:merge(%s, {on = "%s", how = "%s"})' % (n, side, key, how))
        out.append('dd.print(%s.v1:count(), "%s_rows")' % (n, n))
        out.append('dd.print(%s.v1:sum(), "%s_v1")' % (n, n))
        out.append('dd.print(%s.v2:sum(), "%s_v2")' % (n, n))
    return "\n".join(out) + "\n"


def join_sql(name, tables):
    """DuckDB's SQL of a join question; tables: "x" and the sides -> a table expression."""
    side, how, key = JOINS[name]
    return ("SELECT count(*), sum(v1), sum(v2) FROM %s AS x %s JOIN %s AS r USING (%s)"
            % (tables["x"], "LEFT" if how == "left" else "INNER", tables[side], key))
