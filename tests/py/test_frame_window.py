#!/usr/bin/python3
"""pandas' window operations of a frame's rows (issue 15), against pandas (Debian's
python3-pandas) as the oracle on test_dataframe.py's generated CSV files (missing values,
quotes, unicode; one row, a few, thousands over many blocks):
- cumsum, cumprod, cummax, cummin of floats (missing values skipped and kept), ints and
  bools (pandas' dtypes: a bool cumsum is int64, a cummax bool), of a frame's columns;
- diff and shift by positive and negative periods (int64 becomes float64; fill_value
  keeps it), of strings too;
- rolling(w) sum, mean, var, std, min, max, count with min_periods, center and closed, of a
  Series and of a frame's columns;
- rolling median and quantile (every interpolation; q 0 and 1), of expanding() too;
- expanding() (an endless window, min_periods 1) and ewm{com | span | halflife | alpha,
  adjust, ignore_na, min_periods} with mean(), sum(), var{bias} and std{bias}, cov(other,
  {bias}) and corr(other) (each column missing where the other is), as pandas';
- pct_change (periods, fill_method, limit), ffill and bfill (limit; strings, datetimes);
- rank (every method, ascending, pct, na_option; of numbers, bools and strings);
- the row-wise ones of a groupby (cumsum, cumprod, cummax, cummin, cumcount, diff, shift,
  ffill, bfill, pct_change) and transform(aggregation): per group, in the frame's order,
  numeric_only as pandas 1.5; a column of the frame combined with them (df.v / ...);
  a missing key's row: NaN, or a run-time stop where the dtype has no NaN;
- after filters, sorts and groupbys (the rows' own index), and reductions of them;
- datetimes: cummax, cummin and shift (NaT);
- the text of each dd.print is exactly pandas' repr; 1, 2 and 3 threads and blocks of 1 kB
  print the same; errors at the script's line for what pandas refuses or cdask does not do.
"""

import io
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402

R = td.R

CASES = [
    ("cumsum_x", "df.x:cumsum()", lambda df: df.x.cumsum(), "text"),
    ("cumsum_id", "df.id:cumsum()", lambda df: df.id.cumsum(), "text"),
    ("cumsum_flag", "df.flag:cumsum()", lambda df: df.flag.cumsum(), "text"),
    ("cumprod_k", "df.k:cumprod()", lambda df: df.k.cumprod(), "text"),
    ("cumprod_x", "(df.x / 50):cumprod()", lambda df: (df.x / 50).cumprod(), "text"),
    ("cummax_x", "df.x:cummax()", lambda df: df.x.cummax(), "text"),
    ("cummin_id", "df.id:cummin()", lambda df: df.id.cummin(), "text"),
    ("cummax_flag", "df.flag:cummax()", lambda df: df.flag.cummax(), "text"),
    ("cumsum_frame", 'df[{"id", "x", "k"}]:cumsum()', lambda df: df[["id", "x", "k"]].cumsum(),
     "text"),
    ("diff_x", "df.x:diff()", lambda df: df.x.diff(), "text"),
    ("diff_id", "df.id:diff(-2)", lambda df: df.id.diff(-2), "text"),
    ("shift_x", "df.x:shift(2)", lambda df: df.x.shift(2), "text"),
    ("shift_id", "df.id:shift()", lambda df: df.id.shift(), "text"),
    ("shift_name", "df.name:shift(-1)", lambda df: df.name.shift(-1), "csv"),
    ("shift_fill", "df.id:shift(1, {fill_value = 0})", lambda df: df.id.shift(1, fill_value=0),
     "text"),
    ("shift_fillx", "df.x:shift(-3, {fill_value = 0.5})",
     lambda df: df.x.shift(-3, fill_value=0.5), "text"),
    ("shift_frame", 'df[{"x", "name", "k"}]:shift(1)',
     lambda df: df[["x", "name", "k"]].shift(1), "csv"),
    ("roll_sum", "df.x:rolling(3):sum()", lambda df: df.x.rolling(3).sum(), "text"),
    ("roll_mean", "df.x:rolling(4, {min_periods = 2}):mean()",
     lambda df: df.x.rolling(4, min_periods=2).mean(), "text"),
    ("roll_std", "df.x:rolling(5, {min_periods = 1}):std()",
     lambda df: df.x.rolling(5, min_periods=1).std(), "text"),
    ("roll_var", "df.id:rolling(3):var()", lambda df: df.id.rolling(3).var(), "text"),
    ("roll_max", "df.x:rolling(3, {center = true}):max()",
     lambda df: df.x.rolling(3, center=True).max(), "text"),
    ("roll_min", "df.x:rolling(4, {min_periods = 0, center = true}):min()",
     lambda df: df.x.rolling(4, min_periods=0, center=True).min(), "text"),
    ("roll_count", "df.x:rolling(3, {min_periods = 0}):count()",
     lambda df: df.x.rolling(3, min_periods=0).count(), "text"),
    ("roll_count2", "df.x:rolling(3, {min_periods = 2}):count()",
     lambda df: df.x.rolling(3, min_periods=2).count(), "text"),
    ("roll_sum0", "df.k:rolling(2, {min_periods = 0}):sum()",
     lambda df: df.k.rolling(2, min_periods=0).sum(), "text"),
    ("roll_flag", "df.flag:rolling(2):mean()", lambda df: df.flag.rolling(2).mean(), "text"),
    ("roll_frame", 'df[{"id", "x"}]:rolling(6, {min_periods = 3}):mean()',
     lambda df: df[["id", "x"]].rolling(6, min_periods=3).mean(), "text"),
    ("exp_mean", "df.x:expanding():mean()", lambda df: df.x.expanding().mean(), "text"),
    ("exp_std", "df.x:expanding({min_periods = 3}):std()",
     lambda df: df.x.expanding(min_periods=3).std(), "text"),
    ("exp_max", "df.id:expanding():max()", lambda df: df.id.expanding().max(), "text"),
    ("exp_count", "df.x:expanding():count()", lambda df: df.x.expanding(min_periods=1).count(),
     "text"),
    ("ewm_span", "df.x:ewm{span = 5}:mean()", lambda df: df.x.ewm(span=5).mean(), "text"),
    ("ewm_alpha", "df.x:ewm{alpha = 0.3, adjust = false, ignore_na = true}:mean()",
     lambda df: df.x.ewm(alpha=0.3, adjust=False, ignore_na=True).mean(), "text"),
    ("ewm_half", "df.id:ewm{halflife = 2, min_periods = 3}:mean()",
     lambda df: df.id.ewm(halflife=2, min_periods=3).mean(), "text"),
    ("ewm_frame", 'df[{"id", "x"}]:ewm{com = 0.5}:mean()',
     lambda df: df[["id", "x"]].ewm(com=0.5).mean(), "text"),
    ("roll_median", "df.x:rolling(4, {min_periods = 1}):median()",
     lambda df: df.x.rolling(4, min_periods=1).median(), "text"),
    ("roll_median_k", "df.k:rolling(5, {center = true}):median()",
     lambda df: df.k.rolling(5, center=True).median(), "text"),
    ("exp_median", "df.x:expanding():median()", lambda df: df.x.expanding().median(), "text"),
    ("roll_q", "df.x:rolling(5, {min_periods = 2}):quantile(0.3)",
     lambda df: df.x.rolling(5, min_periods=2).quantile(0.3), "text"),
    ("roll_q_mid", "df.id:rolling(4):quantile(0.25, {interpolation = \"midpoint\"})",
     lambda df: df.id.rolling(4).quantile(0.25, interpolation="midpoint"), "text"),
    ("roll_q_near", "df.k:rolling(6, {min_periods = 0}):quantile(0.5, "
     "{interpolation = \"nearest\"})",
     lambda df: df.k.rolling(6, min_periods=0).quantile(0.5, interpolation="nearest"), "text"),
    ("roll_q_low", "df.x:rolling(3):quantile(0.9, {interpolation = \"lower\"})",
     lambda df: df.x.rolling(3).quantile(0.9, interpolation="lower"), "text"),
    ("roll_q_high", "df.x:rolling(3):quantile(0.1, {interpolation = \"higher\"})",
     lambda df: df.x.rolling(3).quantile(0.1, interpolation="higher"), "text"),
    ("roll_q0", "df.x:rolling(3):quantile(0)", lambda df: df.x.rolling(3).quantile(0), "text"),
    ("exp_q1", "df.id:expanding():quantile(1)", lambda df: df.id.expanding().quantile(1),
     "text"),
    ("roll_median_frame", 'df[{"id", "x", "flag"}]:rolling(3):median()',
     lambda df: df[["id", "x", "flag"]].rolling(3).median(), "text"),
    ("ewm_var", "df.x:ewm{span = 4}:var()", lambda df: df.x.ewm(span=4).var(), "text"),
    ("ewm_cov", "df.x:ewm{span = 4}:cov(df.id)", lambda df: df.x.ewm(span=4).cov(df.id),
     "text"),
    ("ewm_cov_bias", "df.id:ewm{com = 1, adjust = false, ignore_na = true}:cov(df.x, "
                     "{bias = true})",
     lambda df: df.id.ewm(com=1, adjust=False, ignore_na=True).cov(df.x, bias=True), "text"),
    ("ewm_corr", "df.x:ewm{alpha = 0.4, min_periods = 2}:corr(df.k)",
     lambda df: df.x.ewm(alpha=0.4, min_periods=2).corr(df.k), "text"),
    ("ewm_cov_self", "df.x:ewm{span = 3}:cov(df.x)", lambda df: df.x.ewm(span=3).cov(df.x),
     "text"),
    ("roll_left", 'df.x:rolling(3, {closed = "left"}):sum()',
     lambda df: df.x.rolling(3, closed="left").sum(), "text"),
    ("roll_both", 'df.id:rolling(2, {closed = "both", min_periods = 1}):max()',
     lambda df: df.id.rolling(2, closed="both", min_periods=1).max(), "text"),
    ("roll_neither", 'df.k:rolling(4, {closed = "neither"}):mean()',
     lambda df: df.k.rolling(4, closed="neither").mean(), "text"),
    ("ewm_std", "df.x:ewm{alpha = 0.4, adjust = false, min_periods = 3}:std()",
     lambda df: df.x.ewm(alpha=0.4, adjust=False, min_periods=3).std(), "text"),
    ("ewm_var_bias", "df.id:ewm{com = 2, ignore_na = true}:var{bias = true}",
     lambda df: df.id.ewm(com=2, ignore_na=True).var(bias=True), "text"),
    ("ewm_std_k", "df.k:ewm{halflife = 3}:std{bias = true}",
     lambda df: df.k.ewm(halflife=3).std(bias=True), "text"),
    ("ewm_sum", "df.x:ewm{span = 3}:sum()", lambda df: df.x.ewm(span=3).sum(), "text"),
    ("ewm_sum_na", "df.x:ewm{com = 1, ignore_na = true}:sum()",
     lambda df: df.x.ewm(com=1, ignore_na=True).sum(), "text"),
    ("pct", "df.x:pct_change()", lambda df: df.x.pct_change(), "text"),
    ("pct_id", "df.id:pct_change(-2)", lambda df: df.id.pct_change(-2), "text"),
    ("pct_none", "df.x:pct_change(1, {fill_method = false})",
     lambda df: df.x.pct_change(fill_method=None), "text"),
    ("pct_bfill", 'df.x:pct_change(2, {fill_method = "bfill", limit = 1})',
     lambda df: df.x.pct_change(2, fill_method="bfill", limit=1), "text"),
    ("pct_frame", 'df[{"x", "k"}]:pct_change()', lambda df: df[["x", "k"]].pct_change(),
     "text"),
    ("ffill_x", "df.x:ffill()", lambda df: df.x.ffill(), "text"),
    ("ffill_lim", "df.x:ffill{limit = 1}", lambda df: df.x.ffill(limit=1), "text"),
    ("bfill_x", "df.x:bfill()", lambda df: df.x.bfill(), "text"),
    ("ffill_name", "df.name:ffill()", lambda df: df.name.ffill(), "csv"),
    ("bfill_frame", "df:bfill{limit = 2}", lambda df: df.bfill(limit=2), "csv"),
    ("ffill_frame", "df:ffill()", lambda df: df.ffill(), "csv"),
    ("fillna_ffill", 'df.x:fillna(nil, {method = "ffill", limit = 2})',
     lambda df: df.x.fillna(method="ffill", limit=2), "text"),
    ("fillna_bfill", 'df:fillna(nil, {method = "backfill"})',
     lambda df: df.fillna(method="backfill"), "csv"),
    ("gw_cumsum_id", 'df:groupby("k").id:cumsum()', lambda df: df.groupby("k").id.cumsum(),
     "text"),
    ("gw_cumsum", 'df:groupby("k"):cumsum()', lambda df: df.groupby("k").cumsum(), "text"),
    ("gw_cummax_x", 'df:groupby("name").x:cummax()', lambda df: df.groupby("name").x.cummax(),
     "text"),
    ("gw_cummin", 'df:groupby({"k", "flag"})[{"id", "x"}]:cummin()',
     lambda df: df.groupby(["k", "flag"])[["id", "x"]].cummin(), "text"),
    ("gw_cumprod", 'df:groupby("k").x:cumprod()', lambda df: df.groupby("k").x.cumprod(),
     "text"),
    ("gw_cumcount", 'df:groupby({"k", "flag"}):cumcount()',
     lambda df: df.groupby(["k", "flag"]).cumcount(), "text"),
    ("gw_diff", 'df:groupby("k").id:diff(2)', lambda df: df.groupby("k").id.diff(2), "text"),
    ("gw_shift", 'df:groupby("k")[{"x", "name"}]:shift(-1)',
     lambda df: df.groupby("k")[["x", "name"]].shift(-1), "csv"),
    ("gw_shift_fill", 'df:groupby("k").id:shift(1, {fill_value = 0})',
     lambda df: df.groupby("k").id.shift(1, fill_value=0), "text"),
    ("gw_ffill", 'df:groupby("k"):ffill()', lambda df: df.groupby("k").ffill(), "csv"),
    ("gw_bfill", 'df:groupby("flag").x:bfill{limit = 1}',
     lambda df: df.groupby("flag").x.bfill(limit=1), "text"),
    ("gw_pct", 'df:groupby("k").x:pct_change()', lambda df: df.groupby("k").x.pct_change(),
     "text"),
    ("gw_dropna", 'df:groupby("name", {dropna = false}).id:cumsum()',
     lambda df: df.groupby("name", dropna=False).id.cumsum(), "text"),
    ("gw_filtered", 'df:loc(df.x:gt(0)):groupby("k").x:cumsum()',
     lambda df: df.loc[df.x > 0].groupby("k").x.cumsum(), "text"),
    ("gw_sorted", 'df:sort_values("id"):groupby("k").id:cumsum()',
     lambda df: df.sort_values("id", kind="stable").groupby("k").id.cumsum(), "text"),
    ("gw_cumsum_sum", 'df:groupby("k").id:cumsum():sum()',
     lambda df: df.groupby("k").id.cumsum().sum(), "num"),
    ("gw_tr_sum", 'df:groupby("k").id:transform("sum")',
     lambda df: df.groupby("k").id.transform("sum"), "text"),
    ("gw_tr_mean", 'df:groupby("k"):transform("mean")',
     lambda df: df.groupby("k").transform("mean"), "text"),
    ("gw_tr_min", 'df:groupby("name", {dropna = false}):transform("min")',
     lambda df: df.groupby("name", dropna=False).transform("min"), "text"),
    ("gw_tr_first", 'df:groupby("k"):transform("first")',
     lambda df: df.groupby("k").transform("first"), "csv"),
    ("gw_tr_size", 'df:groupby({"k", "flag"}):transform("size")',
     lambda df: df.groupby(["k", "flag"]).transform("size"), "text"),
    ("gw_tr_std", 'df:groupby("k").x:transform("std")',
     lambda df: df.groupby("k").x.transform("std"), "text"),
    ("gw_tr_count", 'df:groupby("k"):transform("count")',
     lambda df: df.groupby("k").transform("count"), "text"),
    ("gw_tr_median", 'df:groupby("flag").x:transform("median")',
     lambda df: df.groupby("flag").x.transform("median"), "text"),
    ("gw_tr_nunique", 'df:groupby("k").name:transform("nunique")',
     lambda df: df.groupby("k").name.transform("nunique"), "text"),
    ("gw_share", 'df.id / df:groupby("k").id:transform("sum")',
     lambda df: df.id / df.groupby("k").id.transform("sum"), "text"),
    ("gw_demean", 'df.x - df:groupby("k").x:transform("mean")',
     lambda df: df.x - df.groupby("k").x.transform("mean"), "text"),
    ("lazy_cumsum", "df.x:cumsum() - df.x", lambda df: df.x.cumsum() - df.x, "text"),
    ("gw_assign", 'df:assign{{"share", df.id / df:groupby("k").id:transform("sum")}, {"k", 0}, '
     '{"rk", df:groupby("k").x:rank()}, {"y", df.x * 2}}',
     lambda df: df.assign(share=df.id / df.groupby("k").id.transform("sum"), k=0,
                          rk=df.groupby("k").x.rank(), y=df.x * 2), "csv"),
    ("rank_x", "df.x:rank()", lambda df: df.x.rank(), "text"),
    ("rank_k", 'df.k:rank{method = "min", ascending = false}',
     lambda df: df.k.rank(method="min", ascending=False), "text"),
    ("rank_first", 'df.k:rank{method = "first"}', lambda df: df.k.rank(method="first"), "text"),
    ("rank_dense", 'df.x:rank{method = "dense", pct = true}',
     lambda df: df.x.rank(method="dense", pct=True), "text"),
    ("rank_max", 'df.id:rank{method = "max", pct = true}',
     lambda df: df.id.rank(method="max", pct=True), "text"),
    ("rank_name", "df.name:rank()", lambda df: df.name.rank(), "text"),
    ("rank_top", 'df.x:rank{na_option = "top"}', lambda df: df.x.rank(na_option="top"), "text"),
    ("rank_bottom", 'df.x:rank{method = "first", ascending = false, na_option = "bottom", '
     'pct = true}',
     lambda df: df.x.rank(method="first", ascending=False, na_option="bottom", pct=True),
     "text"),
    ("rank_name_top", 'df.name:rank{method = "dense", na_option = "top", pct = true}',
     lambda df: df.name.rank(method="dense", na_option="top", pct=True), "text"),
    ("gw_rank_na", 'df:groupby("k").x:rank{method = "min", na_option = "bottom"}',
     lambda df: df.groupby("k").x.rank(method="min", na_option="bottom"), "text"),
    ("rank_frame", "df:rank()", lambda df: df.rank(), "text"),
    ("gw_rank", 'df:groupby("k"):rank{method = "first", ascending = false}',
     lambda df: df.groupby("k").rank(method="first", ascending=False), "text"),
    ("gw_rank_x", 'df:groupby("flag").x:rank{pct = true}',
     lambda df: df.groupby("flag").x.rank(pct=True), "text"),
    ("filtered", "df:loc(df.k:ge(3)).x:cumsum()", lambda df: df.loc[df.k >= 3].x.cumsum(),
     "text"),
    ("sorted_diff", 'df:sort_values("id").id:diff()',
     lambda df: df.sort_values("id", kind="stable").id.diff(), "text"),
    ("gb_cumsum", 'df:groupby("k").id:sum():cumsum()',
     lambda df: df.groupby("k").id.sum().cumsum(), "text"),
    ("cumsum_max", "df.id:cumsum():max()", lambda df: df.id.cumsum().max(), "num"),
    ("roll_sum_sum", "df.x:rolling(3):mean():sum()", lambda df: df.x.rolling(3).mean().sum(),
     "num"),
]


def script(opts, rows, cases):
    lines = ['local dd = require("cdask.dataframe")',
             'local df = dd.read_csv("data.csv"%s)' % opts]
    for label, expr, _, kind in cases:
        if kind == "csv":
            lines.append('dd.to_csv(%s, "%s.csv")' % (expr, label))
        else:
            lines.append('dd.print(%s, "%s")' % (expr, label))
    lines.append('dd.to_csv(df.x:rolling(2, {min_periods = 1}):sum(), "out.csv")')
    return "\n".join(lines) + "\n"


def check_file(name, text, opts=""):
    printed = [c for c in CASES if c[3] != "csv"]
    out = td.check_file(name, text, opts, printed, script_csv(CASES), None,
                        lambda df: df.x.rolling(2, min_periods=1).sum().to_csv())
    return out


def script_csv(cases):
    """The script of every case (the csv ones written), checked as check_file's files"""
    return lambda opts, rows, _printed: script(opts, rows, cases)


def check_csv_cases(name, text):
    """The cases pandas prints with None (object columns that a shift made missing): their
    to_csv against pandas' to_csv"""
    d = td.tl.tempdir("win_csv_" + name)
    try:
        td.tl.write(os.path.join(d, "data.csv"), text)
        df = td.pd.read_csv(os.path.join(d, "data.csv"), na_values=["None"])
        exe, r = td.tl.build_program(script("", len(df), CASES), d)
        if not R.check(exe is not None, name + ": csv cases compile", td.tl.short(r.stderr)):
            return
        p = td.tl.run([exe, "--out", d], cwd=d)
        if not R.check(p.returncode == 0, name + ": csv cases run", td.tl.short(p.stderr)):
            return
        for label, _, fn, kind in CASES:
            if kind != "csv":
                continue
            with open(os.path.join(d, label + ".csv")) as f:
                got = f.read()
            R.check(got == fn(df).to_csv(), "%s: %s's to_csv is pandas'" % (name, label),
                    td.tl.short(got))
    finally:
        td.tl.rmtree(d)


DATES = """ts,v
2021-01-03 10:00:00,1
2021-01-01,2
,3
2021-02-01 00:00:01,4
2020-12-31 23:59:59,5
2021-03-01,6
"""
DATE_CASES = [
    ("ts_cummax", "df.ts:cummax()", lambda df: df.ts.cummax(), "text"),
    ("ts_cummin", "df.ts:cummin()", lambda df: df.ts.cummin(), "text"),
    ("ts_shift", "df.ts:shift(2)", lambda df: df.ts.shift(2), "text"),
    ("ts_ffill", "df.ts:ffill()", lambda df: df.ts.ffill(), "text"),
    ("ts_rank", 'df.ts:rank{method = "dense"}', lambda df: df.ts.rank(method="dense"), "text"),
    ("ts_rank_top", 'df.ts:rank{na_option = "top", ascending = false}',
     lambda df: df.ts.rank(na_option="top", ascending=False), "text"),
    ("ts_bfill", "df:bfill()", lambda df: df.bfill(), "text"),
    ("frame_cummax", "df:cummax()", lambda df: df.cummax(), "text"),
]


def check_dates():
    def date_script(opts, rows, cases):
        lines = ['local dd = require("cdask.dataframe")',
                 'local df = dd.read_csv("data.csv", {parse_dates = {"ts"}})']
        lines += ['dd.print(%s, "%s")' % (e, lbl) for lbl, e, _, _ in cases]
        lines.append('dd.to_csv(df:shift(-1), "out.csv")')
        return "\n".join(lines) + "\n"
    td.check_file("dates", DATES, "", DATE_CASES, date_script, None,
                  lambda df: df.shift(-1).to_csv(date_format="%Y-%m-%d %H:%M:%S"),
                  read_kw={"parse_dates": ["ts"]})


PRELUDE = 'local dd = require("cdask.dataframe")\nlocal df = dd.read_csv("data.csv")\n'
ERRORS = [
    ("cumsum_str", "df.name:cumsum()",
     "cumsum of column 'name' (object) is not supported (of numbers only)"),
    ("diff_bool", "df.flag:diff()",
     "diff of column 'flag' (bool) is not supported (pandas' result would be object: "
     "astype(\"int64\") first)"),
    ("shift_frame_bool", "df:shift(1)",
     "shift of column 'flag' (bool) is not supported (pandas' result would be object: "
     "astype(\"int64\") first)"),
    ("roll_zero", "df.x:rolling(0):sum()",
     "rolling: window must be an integer 1 or greater, or a time window such as \"2H\""),
    ("roll_time", 'df.x:rolling("2H"):sum()',
     "rolling: ValueError: window must be an integer 0 or greater (a time window needs a "
     "DatetimeIndex: df:set_index(\"ts\") first, or give {on = \"ts\"})"),
    ("roll_minp", "df.x:rolling(3, {min_periods = 4}):sum()",
     "rolling: min_periods 4 must be <= window 3"),
    ("roll_skew", "df.x:rolling(3):skew()",
     "Rolling has no method 'skew' (sum, mean, var, std, min, max, count, median, quantile)"),
    ("roll_q_range", "df.x:rolling(3):quantile(1.5)",
     "quantile: ValueError: quantile value 1.500000 not in [0, 1]"),
    ("roll_q_interp", 'df.x:rolling(3):quantile(0.5, {interpolation = "cubic"})',
     "quantile: ValueError: Interpolation 'cubic' is not supported (linear, lower, higher, "
     "nearest or midpoint)"),
    ("ewm_sum_adjust", "df.x:ewm{span = 3, adjust = false}:sum()",
     "ewm: NotImplementedError: sum is not implemented with adjust=False"),
    ("pct_bool", "df.flag:pct_change()",
     "pct_change of column 'flag' (bool) is not supported (pandas' result would be object: "
     "astype(\"int64\") first)"),
    ("pct_method", 'df.x:pct_change(1, {fill_method = "linear"})',
     "pct_change: fill_method must be \"pad\", \"ffill\", \"bfill\", \"backfill\" or false "
     "(no filling)"),
    ("ffill_limit", "df.x:ffill{limit = 0}", "ffill: ValueError: Limit must be greater than 0"),
    ("fillna_none", "df.x:fillna()",
     "fillna: ValueError: Must specify a fill 'value' or 'method'."),
    ("fillna_method", 'df:fillna(nil, {method = "linear"})',
     "fillna: ValueError: Invalid fill method. Expecting pad (ffill) or backfill (bfill). Got "
     "linear"),
    ("gb_diff_bool", 'df:groupby("k").flag:diff()',
     "diff of column 'flag' (bool) is not supported (pandas' result would be object: "
     "astype(\"int64\") first)"),
    ("gb_cumcount_desc", 'df:groupby("k"):cumcount(false)',
     "cumcount: ascending is not supported yet"),
    ("gb_cumsum_str", 'df:groupby("k").name:cumsum()',
     "cumsum of column 'name' (object) is not supported (of numbers only)"),
    ("assign_rows", "df:assign{v = df:loc(df.k:gt(2)).x:cumsum()}",
     "assign: the value of 'v' has other rows than the frame (a Series of its rows: a window "
     "operation, a groupby's transform, their arithmetic)"),
    ("rank_method", 'df.x:rank{method = "mean"}',
     "rank: method must be \"average\", \"min\", \"max\", \"first\" or \"dense\""),
    ("rank_na", 'df.x:rank{na_option = "first"}',
     "rank: na_option must be one of 'keep', 'top', or 'bottom'"),
    ("assign_head", 'df:assign{{"t", df:groupby("k").x:transform("sum")}, {"h", df:head(2).x}}',
     "assign: the Series 'h' has other rows than the frame (head)"),
    ("gb_tr_unknown", 'df:groupby("k").x:transform("cumsum")',
     "groupby: unknown aggregation 'cumsum' (sum, mean, min, max, count, size, std, var, "
     "first, last, median, nunique, quantile)"),
    ("gb_tr_function", 'df:groupby("k").x:transform(function(v) return v end)',
     "transform: give an aggregation's name, as g.v:transform(\"sum\") (a function is not "
     "supported yet)"),
    ("gb_tr_str", 'df:groupby("k").name:transform("mean")',
     "transform: mean of the string column 'name' is not supported"),
    ("other_rows", 'df.x - df:loc(df.k:gt(2)).x:cumsum()',
     "a computed Series and a column of a frame have different rows: combining them needs an "
     "index join, not supported yet"),
    ("ewm_none", "df.x:ewm{}:mean()",
     "ewm: ValueError: comass, span, halflife, and alpha are mutually exclusive (give exactly "
     "one)"),
    ("ewm_two", "df.x:ewm{span = 3, alpha = 0.5}:mean()",
     "ewm: ValueError: comass, span, halflife, and alpha are mutually exclusive (give exactly "
     "one)"),
    ("ewm_alpha", "df.x:ewm{alpha = 1.5}:mean()",
     "ewm: ValueError: alpha must satisfy: 0 < alpha <= 1"),
    ("ewm_corr_none", "df.x:ewm{span = 3}:corr()",
     "ewm: corr needs the other Series (pairwise of a frame is not supported)"),
    ("ewm_cov_other", 'df.x:ewm{span = 3}:cov(df:loc(df.k:gt(2)).x)',
     "ewm: cov of a column with another column of the same frame's rows only (pandas aligns "
     "them by the index)"),
    ("ewm_skew", "df.x:ewm{span = 3}:skew()",
     "ExponentialMovingWindow has no method 'skew' (mean, sum, var, std, cov, corr)"),
    ("shift_periods", "df.x:shift(1.5)", "shift: periods must be an integer"),
    ("shift_fill_str", 'df.name:shift(1, {fill_value = 0})',
     "shift: fill_value is supported for columns of numbers only ('name' is object)"),
]


def check_missing_key():
    """A row whose key is missing is left out of every group: pandas makes an int64 result
    float64 for its NaN, cdask stops (a float result holds the NaN)"""
    text = "k,v,x\na,1,0.5\n,2,1.5\na,3,2.5\n"
    df = td.pd.read_csv(io.StringIO(text))
    td.check_run_fails("gb missing key", {"data.csv": text},
                       PRELUDE + 'dd.to_csv(df:groupby("k").v:cumsum(), "out.csv")\n',
                       "has a missing key, which pandas leaves out of every group")
    d = td.tl.tempdir("gb_missing_float")
    try:
        td.tl.write(os.path.join(d, "data.csv"), text)
        exe, r = td.tl.build_program(
            PRELUDE + 'dd.to_csv(df:groupby("k").x:cumsum(), "out.csv")\n', d)
        p = td.tl.run([exe, "--out", d], cwd=d) if exe else r
        got = open(os.path.join(d, "out.csv")).read() if p.returncode == 0 else p.stderr
        R.check(got == df.groupby("k").x.cumsum().to_csv(),
                "a missing key's row of a float result is NaN, as pandas", td.tl.short(got))
    finally:
        td.tl.rmtree(d)


EDGE = """k,v,x,t
1,1,1e16,2020-01-02
,2,1,2020-01-05
1,9007199254740993,1,2020-01-01
2,4,0.5,
"""
EDGE_CASES = [  # (output, Lua, pandas): rounding and missing-key rules of pandas' groupby
    ("kahan", 'df:groupby("k").x:cumsum()', lambda df: df.groupby("k").x.cumsum()),
    ("diff", 'df:groupby("k").v:diff()', lambda df: df.groupby("k").v.diff()),
    ("fill", 'df:groupby("k").v:shift(1, {fill_value = 0})',
     lambda df: df.groupby("k").v.shift(1, fill_value=0)),
    ("dates", 'df:groupby("k", {dropna = false}):cummax()',
     lambda df: df.groupby("k", dropna=False).cummax()),
    ("count", 'df:groupby("k", {dropna = false}):sum():groupby("k", {dropna = false}):cumcount()',
     lambda df: df.groupby("k", dropna=False).sum().groupby("k", dropna=False).cumcount()),
]


def check_edges():
    """A groupby's float cumsum is Kahan-compensated and its int diff float64, as pandas';
    a shift's fill_value fills a missing key's row; cummax keeps datetimes; cumcount of a
    computed frame grouped by its index"""
    d = td.tl.tempdir("win_edges")
    try:
        td.tl.write(os.path.join(d, "data.csv"), EDGE)
        df = td.pd.read_csv(os.path.join(d, "data.csv"), parse_dates=["t"])
        script = ('local dd = require("cdask.dataframe")\n'
                  'local df = dd.read_csv("data.csv", {parse_dates = {"t"}})\n' +
                  "".join('dd.to_csv(%s, "%s.csv")\n' % (e, o) for o, e, _ in EDGE_CASES))
        exe, r = td.tl.build_program(script, d)
        if not R.check(exe is not None, "edges: compile", td.tl.short(r.stderr)):
            return
        p = td.tl.run([exe, "--out", d], cwd=d)
        if not R.check(p.returncode == 0, "edges: run", td.tl.short(p.stderr)):
            return
        for out, _, fn in EDGE_CASES:
            with open(os.path.join(d, out + ".csv")) as f:
                got = f.read()
            R.check(got == fn(df).to_csv(), "edges: %s as pandas" % out, td.tl.short(got))
    finally:
        td.tl.rmtree(d)


def main():
    check_edges()
    check_missing_key()
    rng = random.Random(2718)
    td.check_errors_on("win_err", td.make_csv(random.Random(5), 40), PRELUDE, ERRORS)
    check_dates()
    check_csv_cases("csv", td.make_csv(random.Random(8), 300))
    td.check_sizes(check_file, lambda n: td.make_csv(rng, n),
                   [("one_row", 1), ("few", 9), ("many", 3000)])
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
