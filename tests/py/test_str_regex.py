#!/usr/bin/python3
"""Regular expressions of the str accessor (issue 15), against pandas (Debian's
python3-pandas, that is Python's re) as the oracle on a generated CSV of strings (ASCII and
Unicode words, digits, spaces, empty strings, missing values; a few rows, thousands over many
blocks):
- str:contains(pat) is a regular expression by default, as pandas' (regex = true); with
  {case = false}, and {regex = false} (a substring, also with case = false);
- str:match (anchored at the start) and str:fullmatch (the whole string); str:count (the
  matches re.findall finds: int64, or float64 where a value is missing);
- str:replace(pat, repl, {regex = true, n, case}): Python's re.sub, with groups by number
  and by name (\\1, \\g<1>, \\g<name>), escapes, empty matches (Python 3.7's rule), unmatched
  groups as "", n replacements at most;
- Unicode classes (\\w, \\d, case folding) as Python's str patterns; where PCRE2 reads a
  pattern otherwise (\\Z, {,n}, [[:alpha:]], \\u escapes, \\s of \\x1c-\\x1f), Python's
  meaning; pandas 1.5's literal one-character pattern even with regex = true;
- str:extract(pat, {expand}): each group of the first match, as columns named by the groups'
  names or numbers, or a Series (expand = false, one group);
- + of strings (and Lua's ..) and str:cat(others, {sep, na_rep}): missing where either is;
- zfill, get, find, rfind, pad, ljust, rjust, center and strip(chars): Python's str methods
  in code points, as pandas runs them;
- a missing string is False for contains, match and fullmatch (pandas' na = False) and
  stays missing for replace;
- filters by them, 1, 2 and 3 threads and blocks of 1 kB print the same;
- a bad pattern or template is an error at the script's line with Python's reason.
The text of each dd.print is exactly pandas' repr."""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402

R = td.R
tl = td.tl

WORDS = ["apple", "Banana", "cherry pie", "Äpfel", "straße", "STRASSE", "naïve café", "x1y22",
         "2021-03-04", "a.b", "aaa", "", "  spaced ", "ΣΊΣΥΦΟΣ", "σίσυφος", "tab\tin", "ab12cd",
         "mississippi", "日本語テキスト", "a+b=c", "sep\x1cunit", "[:]", "a\n"]


def make_csv(rng, n):
    rows = []
    for i in range(n):
        w = rng.choice(WORDS) if rng.random() > 0.1 else None
        if w is not None and rng.random() < 0.3:
            w = w + str(rng.randint(0, 99))
        s = "" if w is None else '"%s"' % w if w == "" or "\n" in w else w
        rows.append("%d,%s" % (i, s))
    return "id,s\n" + "\n".join(rows) + "\n"


def c(pat, **kw):
    return lambda df: df.s.str.contains(pat, na=False, **kw)


CASES = [
    ("start", 'df.s.str:contains("^[A-M]")', c("^[A-M]"), "text"),
    ("alt", 'df.s.str:contains("ß|é|語")', c("ß|é|語"), "text"),
    ("digits", 'df.s.str:contains("\\\\d{2}$")', c(r"\d{2}$"), "text"),
    ("word", 'df.s.str:contains("^\\\\w+$")', c(r"^\w+$"), "text"),
    ("dot", 'df.s.str:contains("a.b")', c("a.b"), "text"),
    ("literal", 'df.s.str:contains("a.b", {regex = false})', c("a.b", regex=False), "text"),
    ("caseless", 'df.s.str:contains("strasse|σίσ", {case = false})',
     c("strasse|σίσ", case=False), "text"),
    ("caseless_lit", 'df.s.str:contains("APPLE", {case = false, regex = false})',
     c("APPLE", case=False, regex=False), "text"),
    ("match", 'df.s.str:match("[a-c]+")', lambda df: df.s.str.match("[a-c]+", na=False), "text"),
    ("fullmatch", 'df.s.str:fullmatch("[a-z]+\\\\d*")',
     lambda df: df.s.str.fullmatch(r"[a-z]+\d*", na=False), "text"),
    ("match_case", 'df.s.str:match("straSSe", {case = false})',
     lambda df: df.s.str.match("straSSe", case=False, na=False), "text"),
    ("filter", 'df:loc(df.s.str:contains("^(a|b)", {case = false})).id:sum()',
     lambda df: df.loc[df.s.str.contains("^(a|b)", case=False, na=False)].id.sum(), "text"),
    ("sub", 'df.s.str:replace("[aeiou]", "_", {regex = true})',
     lambda df: df.s.str.replace("[aeiou]", "_", regex=True), "text"),
    ("groups", 'df.s.str:replace("(\\\\w)(\\\\d+)", "\\\\2<\\\\g<1>>", {regex = true})',
     lambda df: df.s.str.replace(r"(\w)(\d+)", r"\2<\g<1>>", regex=True), "text"),
    ("named", 'df.s.str:replace("(?P<first>[a-z])(?P<rest>[a-z]*)", "\\\\g<rest>-\\\\g<first>", '
              '{regex = true, n = 1})',
     lambda df: df.s.str.replace("(?P<first>[a-z])(?P<rest>[a-z]*)", r"\g<rest>-\g<first>",
                                 regex=True, n=1), "text"),
    ("empty", 'df.s.str:replace("x*", "-", {regex = true})',
     lambda df: df.s.str.replace("x*", "-", regex=True), "text"),
    ("unmatched", 'df.s.str:replace("(a)|(s)", "[\\\\1\\\\2]", {regex = true, n = 2})',
     lambda df: df.s.str.replace("(a)|(s)", r"[\1\2]", regex=True, n=2), "text"),
    ("escapes", 'df.s.str:replace("\\\\s+", "\\\\t|\\\\\\\\", {regex = true})',
     lambda df: df.s.str.replace(r"\s+", "\\t|\\\\", regex=True), "text"),
    ("count", 'df.s.str:count("[aeiouä]")', lambda df: df.s.str.count("[aeiouä]"), "text"),
    ("count_empty", 'df.s.str:count("s*")', lambda df: df.s.str.count("s*"), "text"),
    ("count_int", 'df.s:fillna("").str:count("(?i)ss|ß")',
     lambda df: df.s.fillna("").str.count("(?i)ss|ß"), "text"),
    # where Python's re and PCRE2 differ, Python's meaning
    ("end_Z", 'df.s.str:contains("a\\\\Z")', c(r"a\Z"), "text"),
    ("upto", 'df.s.str:contains("^a{,2}[a-z]")', c("^a{,2}[a-z]"), "text"),
    ("posix", 'df.s.str:contains("[[:alpha:]]")', c("[[:alpha:]]"), "text"),
    ("uescape", 'df.s.str:contains("\\\\u00df|\\\\U000065e5")', c(r"\u00df|\U000065e5"), "text"),
    ("seps", 'df.s.str:replace("\\\\s", "_", {regex = true})',
     lambda df: df.s.str.replace(r"\s", "_", regex=True), "text"),
    ("nonspace", 'df.s.str:count("\\\\S")', lambda df: df.s.str.count(r"\S"), "text"),
    ("upper_lit", 'df.s.str:contains("ss", {case = false, regex = false})',
     c("ss", case=False, regex=False), "text"),
    # pandas 1.5: a pattern of one character is literal, even with regex = true
    ("one_char", 'df.s.str:replace(".", "-", {regex = true})',
     lambda df: df.s.str.replace(".", "-", regex=True), "text"),
    ("one_char_n0", 'df.s.str:replace("a", "\\\\n", {regex = true, n = 0})',
     lambda df: df.s.str.replace("a", "\\n", regex=True, n=0), "text"),
    ("one_char_case", 'df.s.str:replace("ä", "<\\\\g<0>>", {regex = true, case = false})',
     lambda df: df.s.str.replace("ä", r"<\g<0>>", regex=True, case=False), "text"),
    ("case_sub", 'df.s.str:replace("S+", "s", {regex = true, case = false})',
     lambda df: df.s.str.replace("S+", "s", regex=True, case=False), "text"),
    # str.extract: the first match's groups, missing where nothing matches or a group took
    # no part; columns named by the groups' names, else their numbers
    ("extract", 'df.s.str:extract("([a-zß]+)(\\\\d*)")',
     lambda df: df.s.str.extract(r"([a-zß]+)(\d*)"), "text"),
    ("extract_named", 'df.s.str:extract("(?P<head>\\\\w)\\\\w*(?P<tail>\\\\d)?$")',
     lambda df: df.s.str.extract(r"(?P<head>\w)\w*(?P<tail>\d)?$"), "text"),
    ("extract_series", 'df.s.str:extract("(?i)(s+|ß)", {expand = false})',
     lambda df: df.s.str.extract("(?i)(s+|ß)", expand=False), "text"),
    ("extract_named_series", 'df.s.str:extract("^(?P<first>.)", {expand = false})',
     lambda df: df.s.str.extract("^(?P<first>.)", expand=False), "text"),
    ("extract_frame1", 'df.s.str:extract("(\\\\d)")', lambda df: df.s.str.extract(r"(\d)"), "text"),
    # + of strings (and Lua's ..), str.cat
    ("concat", 'df.s .. "_" .. df.s', lambda df: df.s + "_" + df.s, "text"),
    ("plus_first", '"<" + df.s', lambda df: "<" + df.s, "text"),
    ("cat_sep", 'df.s.str:cat(df.s.str:upper(), {sep = "/", na_rep = "-"})',
     lambda df: df.s.str.cat(df.s.str.upper(), sep="/", na_rep="-"), "text"),
    ("cat_plain", 'df.s.str:cat(df.s.str:slice(0, 2))',
     lambda df: df.s.str.cat(df.s.str.slice(0, 2)), "text"),
    ("concat_filter", 'df:loc((df.s .. "x"):eq("aaax")).id:sum()',
     lambda df: df.loc[(df.s + "x") == "aaax"].id.sum(), "num"),
    # positions and padding (Python's str methods, in code points)
    ("zfill", 'df.s.str:zfill(6)', lambda df: df.s.str.zfill(6), "text"),
    ("get", 'df.s.str:get(2)', lambda df: df.s.str.get(2), "text"),
    ("get_end", 'df.s.str:get(-1)', lambda df: df.s.str.get(-1), "text"),
    ("find", 'df.s.str:find("a")', lambda df: df.s.str.find("a"), "text"),
    ("rfind", 'df.s.str:rfind("ß")', lambda df: df.s.str.rfind("ß"), "text"),
    ("find_int", 'df.s:fillna("").str:find("e")', lambda df: df.s.fillna("").str.find("e"),
     "text"),
    ("pad", 'df.s.str:pad(12, {side = "both", fillchar = "·"})',
     lambda df: df.s.str.pad(12, side="both", fillchar="·"), "text"),
    ("center", 'df.s.str:center(11, "*")', lambda df: df.s.str.center(11, "*"), "text"),
    ("ljust", 'df.s.str:ljust(10)', lambda df: df.s.str.ljust(10), "text"),
    ("rjust", 'df.s.str:rjust(10, "0")', lambda df: df.s.str.rjust(10, "0"), "text"),
    ("strip_chars", 'df.s.str:strip("a1 ")', lambda df: df.s.str.strip("a1 "), "text"),
    ("lstrip_chars", 'df.s.str:lstrip("ΣΊs")', lambda df: df.s.str.lstrip("ΣΊs"), "text"),
    ("rstrip_digits", 'df.s.str:rstrip("0123456789")',
     lambda df: df.s.str.rstrip("0123456789"), "text"),
    ("extract_counts", 'df.s.str:extract("(?P<v>[aeiou])", {expand = false}):value_counts()',
     lambda df: td.counts(df.s.str.extract("(?P<v>[aeiou])", expand=False)), "text"),
]


def script(opts, rows, cases):
    return td.printing_script('"data.csv", {dtype = {s = "str"}%s}' % opts, cases,
                              'dd.to_csv(df:loc(df.s.str:contains("[0-9]$")), "out.csv")')


def check_file(name, text, opts=""):
    return td.check_file(name, text, opts, CASES, script, None,
                         lambda df: df.loc[df.s.str.contains("[0-9]$", na=False)].to_csv(),
                         read_kw={"dtype": {"s": str}})


PRELUDE = ('local dd = require("cdask.dataframe")\n'
           'local df = dd.read_csv("data.csv", {dtype = {s = "str"}})\n')
ERRORS = [
    ("paren", 'df.s.str:contains("a(b")',
     "str.contains: re.error: the regular expression 'a(b' is invalid: missing closing "
     "parenthesis at offset 3"),
    ("group", 'df.s.str:replace("(a)", "\\\\2", {regex = true})',
     "str.replace: re.error: the replacement '\\2': invalid group reference 2"),
    ("name", 'df.s.str:replace("(a)", "\\\\g<x>", {regex = true})',
     "str.replace: re.error: the replacement '\\g<x>': unknown group name 'x'"),
    ("escape", 'df.s.str:replace("ab", "\\\\q", {regex = true})',
     "str.replace: re.error: the replacement '\\q': bad escape \\q"),
    ("case_literal", 'df.s.str:replace("a", "b", {case = false})',
     "str.replace: ValueError: case cannot be set if regex=False (pandas 2)"),
    ("match_literal", 'df.s.str:match("a", {regex = false})',
     "str.match: regex = false is not supported"),
    ("concat_number", 'df.s .. 1',
     ".. joins Series of strings and strings (pandas' +), not number"),
    ("cat_number", 'df.s.str:cat(df.id)', "str.cat: others must be a Series of strings, got int64"),
    ("zfill_float", 'df.s.str:zfill(1.5)',
     "str.zfill: TypeError: width must be of integer type, not float"),
    ("fill_two", 'df.s.str:center(5, "ab")',
     "str.center: TypeError: fillchar must be a character, not a string of several"),
    ("side", 'df.s.str:pad(5, {side = "up"})', "str.pad: ValueError: Invalid side"),
    ("strip_number", 'df.s.str:strip(1)', "str.strip: chars must be a string, got number"),
    ("extract_groups", 'df.s.str:extract("a+")',
     "str.extract: ValueError: pattern contains no capture groups"),
    ("extract_bad", 'df.s.str:extract("(a")',
     "str.extract: re.error: the regular expression '(a' is invalid: missing closing "
     "parenthesis at offset 2"),
]


def main():
    td.check_errors_on("rx_err", make_csv(random.Random(5), 20), PRELUDE, ERRORS)
    rng = random.Random(1913)
    td.check_sizes(check_file, lambda n: make_csv(rng, n), [("few", 12), ("many", 3000)],
                   ", blocksize = 1024")
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
