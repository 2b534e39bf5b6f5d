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
        if n in ADVANCED:
            out.append('dd.to_csv(%s, "%s.csv")' % (ADVANCED[n]["cdask"], n))
            continue
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
    """The answer's checksum: per aggregated column, the sum of its values (missing ones,
    a one-row group's std, left out)."""
    return [float(sum(v for v in col if v is not None and v == v)) for col in columns]


# The db-benchmark's advanced groupby questions q6..q10 (groupby-pandas.py, duckdb's SQL),
# each in every engine's words: name -> keys, the columns read, and per engine the answer
# as an expression (cdask: Lua over the frame x; duckdb: SQL over {t}; polars: JavaScript
# over the DataFrame or LazyFrame x; pandas and dask: Python over x). An answer's checksum
# sums each of its columns that is no key.
ADVANCED = {
    "q6": {
        "keys": ["id4", "id5"], "read": ["id4", "id5", "v3"],
        "cdask": 'x:groupby({"id4", "id5"}, {as_index = false, sort = false, dropna = false})'
                 ':agg{{"v3", "median"}, {"v3", "std"}}',
        "duckdb": "SELECT id4, id5, median(v3) AS median_v3, stddev(v3) AS sd_v3 FROM {t} "
                  "GROUP BY id4, id5",
        "polars": "x.groupBy(['id4', 'id5']).agg(pl.col('v3').median().alias('median_v3'), "
                  "pl.col('v3').std().alias('sd_v3'))",
        "pandas": "x.groupby(['id4', 'id5'], as_index=False, sort=False, observed=True, "
                  "dropna=False).agg(median_v3=('v3', 'median'), sd_v3=('v3', 'std'))",
        "dask": "x.groupby(['id4', 'id5'], dropna=False, observed=True).agg("
                "{'v3': ['median', 'std']}, shuffle='tasks').compute()",
    },
    "q7": {
        "keys": ["id3"], "read": ["id3", "v1", "v2"],
        "cdask": '(function(r) return r:assign{range_v1_v2 = r.v1 - r.v2}[{"id3", '
                 '"range_v1_v2"}] end)(x:groupby("id3", {as_index = false, sort = false, '
                 'dropna = false}):agg{{"v1", "max"}, {"v2", "min"}})',
        "duckdb": "SELECT id3, max(v1) - min(v2) AS range_v1_v2 FROM {t} GROUP BY id3",
        "polars": "x.groupBy('id3').agg(pl.col('v1').max().minus(pl.col('v2').min())"
                  ".alias('range_v1_v2'))",
        "pandas": "x.groupby('id3', as_index=False, sort=False, observed=True, dropna=False)"
                  ".agg({'v1': 'max', 'v2': 'min'}).assign(range_v1_v2=lambda d: d['v1'] - "
                  "d['v2'])[['id3', 'range_v1_v2']]",
        "dask": "x.groupby('id3', dropna=False, observed=True).agg({'v1': 'max', 'v2': 'min'})"
                ".assign(range_v1_v2=lambda d: d['v1'] - d['v2'])[['range_v1_v2']].compute()",
    },
    "q8": {
        "keys": ["id6"], "read": ["id6", "v3"],
        "cdask": 'x:loc(x.v3:notna())[{"id6", "v3"}]:sort_values("v3", {ascending = false})'
                 ':groupby("id6", {dropna = false}):head(2)',
        "duckdb": "SELECT id6, v3 FROM (SELECT id6, v3, row_number() OVER (PARTITION BY id6 "
                  "ORDER BY v3 DESC) AS rk FROM {t} WHERE v3 IS NOT NULL) WHERE rk <= 2",
        "polars": "x.select('id6', 'v3').dropNulls('v3').sort('v3', true).groupBy('id6').head(2)",
        "pandas": "x[~x['v3'].isna()][['id6', 'v3']].sort_values('v3', ascending=False)"
                  ".groupby('id6', dropna=False, observed=True).head(2)",
        "dask": "x[~x['v3'].isna()][['id6', 'v3']].groupby('id6', dropna=False, observed=True)"
                ".apply(lambda d: d.sort_values('v3', ascending=False).head(2), "
                "meta={'id6': 'int64', 'v3': 'float64'}).compute()",
    },
    "q9": {
        "keys": ["id2", "id4"], "read": ["id2", "id4", "v1", "v2"],
        "cdask": '(function(r) return r ^ 2 end)(x:groupby({"id2", "id4"}, {dropna = false})'
                 '.v1:corr(x.v2))',
        "duckdb": "SELECT id2, id4, pow(corr(v1, v2), 2) AS r2 FROM {t} GROUP BY id2, id4",
        "polars": "x.groupBy(['id2', 'id4']).agg(pl.pearsonCorr('v1', 'v2').pow(2).alias('r2'))",
        "pandas": "x[['id2', 'id4', 'v1', 'v2']].groupby(['id2', 'id4'], observed=True, "
                  "dropna=False).apply(lambda d: pd.Series({'r2': d.corr()['v1']['v2'] ** 2}))",
        "dask": "x[['id2', 'id4', 'v1', 'v2']].groupby(['id2', 'id4'], dropna=False, "
                "observed=True).apply(lambda d: pd.Series({'r2': d.corr()['v1']['v2'] ** 2}), "
                "meta={'r2': 'float64'}).compute()",
    },
    "q10": {
        "keys": ["id1", "id2", "id3", "id4", "id5", "id6"],
        "read": ["id1", "id2", "id3", "id4", "id5", "id6", "v1", "v3"],
        "cdask": 'x:groupby({"id1", "id2", "id3", "id4", "id5", "id6"}, {as_index = false, '
                 'sort = false, dropna = false}):agg{{"v3", "sum"}, {"v1", "size"}}',
        "duckdb": "SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM "
                  "{t} GROUP BY id1, id2, id3, id4, id5, id6",
        "polars": "x.groupBy(['id1', 'id2', 'id3', 'id4', 'id5', 'id6']).agg("
                  "pl.col('v3').sum().alias('v3'), pl.col('v1').count().alias('count'))",
        "pandas": "x.groupby(['id1', 'id2', 'id3', 'id4', 'id5', 'id6'], as_index=False, "
                  "sort=False, observed=True, dropna=False).agg(v3=('v3', 'sum'), "
                  "count=('v1', 'size'))",
        "dask": "x.groupby(['id1', 'id2', 'id3', 'id4', 'id5', 'id6'], dropna=False, "
                "observed=True).agg({'v3': 'sum', 'v1': 'size'}, split_out=8, "
                "shuffle='tasks').compute()",
    },
}


def read_columns(name):
    """The columns question name reads"""
    if name in ADVANCED:
        return ADVANCED[name]["read"]
    keys, aggs = QUESTIONS[name]
    return keys + [c for c, _ in aggs]


def answer_checksum(frame_columns, keys):
    """(rows, checksum) of an answer given as {column name: values} in order (a name may
    repeat: pass a list of pairs)"""
    cols = [v for c, v in frame_columns if c not in keys]
    return (len(cols[0]) if cols else 0), checksum(cols)


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


# The seed's operations (seed 000's dataframe lines, examples/seed000_dataframe.lua) on a
# squad-like CSV (gen_squad.c): name -> what it is, the columns it reads, and per engine
# the answer as a list of numbers (cdask: Lua expressions of scalars, printed, or "csv:" a
# Series written with to_csv; pandas and dask: Python over x, dask's values computed
# together; duckdb: SQL over {t} giving one row; polars: JavaScript over the DataFrame or
# LazyFrame x giving a one-row frame). A filter's frame (df.loc[...]) is summarised by its
# rows and a column's sum, as the db-benchmark's chk does; head and the column displays
# are left out (nothing to compute beyond reading the first rows).
SEED = {
    "s1": {"what": "df.mean() (numeric columns)", "read": ["Numero", "Age"],
           "cdask": ["csv:df:mean()"],
           "pandas": "list(x.mean(numeric_only=True))",
           "dask": "[x.mean(numeric_only=True)]",
           "duckdb": "SELECT avg(Numero), avg(Age) FROM {t}",
           "polars": "x.select(pl.col('Numero').mean(), pl.col('Age').mean())"},
    "s2": {"what": "df.Age.mean()", "read": ["Age"],
           "cdask": ["df.Age:mean()"],
           "pandas": "[x.Age.mean()]", "dask": "[x.Age.mean()]",
           "duckdb": "SELECT avg(Age) FROM {t}",
           "polars": "x.select(pl.col('Age').mean())"},
    "s3": {"what": "df.loc[df['Numero'] == 1]", "read": ["Numero", "Age"],
           "cdask": ["df:loc(df.Numero:eq(1)).Age:count()", "df:loc(df.Numero:eq(1)).Age:sum()"],
           "pandas": "(lambda f: [len(f), f.Age.sum()])(x.loc[x['Numero'] == 1])",
           "dask": "(lambda f: [f.Age.count(), f.Age.sum()])(x.loc[x['Numero'] == 1])",
           "duckdb": "SELECT count(*), sum(Age) FROM {t} WHERE Numero = 1",
           "polars": "x.filter(pl.col('Numero').eq(1)).select(pl.col('Age').count().alias('n'), "
                     "pl.col('Age').sum().alias('s'))"},
    "s4": {"what": "df.Age.max()", "read": ["Age"],
           "cdask": ["df.Age:max()"],
           "pandas": "[x.Age.max()]", "dask": "[x.Age.max()]",
           "duckdb": "SELECT max(Age) FROM {t}",
           "polars": "x.select(pl.col('Age').max())"},
    "s5": {"what": "df.Age.value_counts() (its rows, total, largest count)", "read": ["Age"],
           "cdask": ["df.Age:value_counts():count()", "df.Age:value_counts():sum()",
                     "df.Age:value_counts():max()"],
           "pandas": "(lambda v: [len(v), v.sum(), v.max()])(x.Age.value_counts())",
           "dask": "(lambda v: [v.count(), v.sum(), v.max()])(x.Age.value_counts())",
           "duckdb": "SELECT count(*), sum(n), max(n) FROM (SELECT Age, count(*) AS n FROM {t} "
                     "WHERE Age IS NOT NULL GROUP BY Age)",
           "polars": "x.groupBy('Age').agg(pl.col('Age').count().alias('n')).select("
                     "pl.col('n').count().alias('rows'), pl.col('n').sum().alias('sum'), "
                     "pl.col('n').max().alias('max'))"},
    "s6": {"what": "df.loc[df['ClubOrigine'] == 'Stade_de_Rennes']",
           "read": ["ClubOrigine", "Numero"],
           "cdask": ['df:loc(df.ClubOrigine:eq("Stade_de_Rennes")).Numero:count()',
                     'df:loc(df.ClubOrigine:eq("Stade_de_Rennes")).Numero:sum()'],
           "pandas": "(lambda f: [len(f), f.Numero.sum()])"
                     "(x.loc[x['ClubOrigine'] == 'Stade_de_Rennes'])",
           "dask": "(lambda f: [f.Numero.count(), f.Numero.sum()])"
                   "(x.loc[x['ClubOrigine'] == 'Stade_de_Rennes'])",
           "duckdb": "SELECT count(*), sum(Numero) FROM {t} WHERE ClubOrigine = 'Stade_de_Rennes'",
           "polars": "x.filter(pl.col('ClubOrigine').eq(pl.lit('Stade_de_Rennes'))).select("
                     "pl.col('Numero').count().alias('n'), pl.col('Numero').sum().alias('s'))"},
    "s7": {"what": "df.loc[df['Pays_(origine)'] != 'France']",
           "read": ["Pays_(origine)", "Age"],
           "cdask": ['df:loc(df["Pays_(origine)"]:ne("France")).Age:count()',
                     'df:loc(df["Pays_(origine)"]:ne("France")).Age:sum()'],
           "pandas": "(lambda f: [len(f), f.Age.sum()])(x.loc[x['Pays_(origine)'] != 'France'])",
           "dask": "(lambda f: [f.Age.count(), f.Age.sum()])"
                   "(x.loc[x['Pays_(origine)'] != 'France'])",
           "duckdb": "SELECT count(*), sum(Age) FROM {t} WHERE \"Pays_(origine)\" <> 'France'",
           "polars": "x.filter(pl.col('Pays_(origine)').neq(pl.lit('France'))).select("
                     "pl.col('Age').count().alias('n'), pl.col('Age').sum().alias('s'))"},
    # a filter by a Scalar of the same column: cdask reads the file twice (table_phases.c)
    "s8": {"what": "df.loc[df.Age > df.Age.mean()] (a second pass)", "read": ["Age", "Numero"],
           "cdask": ["df:loc(df.Age:gt(df.Age:mean())).Numero:count()",
                     "df:loc(df.Age:gt(df.Age:mean())).Numero:sum()"],
           "pandas": "(lambda f: [len(f), f.Numero.sum()])(x.loc[x.Age > x.Age.mean()])",
           "dask": "(lambda f: [f.Numero.count(), f.Numero.sum()])(x.loc[x.Age > x.Age.mean()])",
           "duckdb": "SELECT count(*), sum(Numero) FROM {t} WHERE Age > (SELECT avg(Age) FROM {t})",
           "polars": "x.filter(pl.col('Age').gt(pl.col('Age').mean())).select("
                     "pl.col('Numero').count().alias('n'), pl.col('Numero').sum().alias('s'))"},
    "s9": {"what": "df.loc[df.Age > df.Age.median()] (the median's rows, then a second pass)",
           "read": ["Age", "Numero"],
           "cdask": ["df:loc(df.Age:gt(df.Age:median())).Numero:count()",
                     "df:loc(df.Age:gt(df.Age:median())).Numero:sum()"],
           "pandas": "(lambda f: [len(f), f.Numero.sum()])(x.loc[x.Age > x.Age.median()])",
           # Dask has no exact median of several partitions: its approximate one (the ages are
           # small integers, so the count agrees where the approximation lands on the median)
           "dask": "(lambda f: [f.Numero.count(), f.Numero.sum()])"
                   "(x.loc[x.Age > x.Age.median_approximate()])",
           "duckdb": "SELECT count(*), sum(Numero) FROM {t} WHERE Age > "
                     "(SELECT median(Age) FROM {t})",
           "polars": "x.filter(pl.col('Age').gt(pl.col('Age').median())).select("
                     "pl.col('Numero').count().alias('n'), pl.col('Numero').sum().alias('s'))"},
}


def seed_lua(names, csv):
    """A cdask script of the seed's operations names: each scalar printed as NAME_K, each
    "csv:" Series written to NAME_K.csv."""
    out = ['local dd = require("cdask.dataframe")', 'local df = dd.read_csv("%s")' % csv]
    for n in names:
        for k, e in enumerate(SEED[n]["cdask"]):
            if e.startswith("csv:"):
                out.append('dd.to_csv(%s, "%s_%d.csv")' % (e[4:], n, k))
            else:
                out.append('dd.print(%s, "%s_%d")' % (e, n, k))
    return "\n".join(out) + "\n"
