#!/usr/bin/python3
"""runtime/csv.c, the CSV reader's blocks and rows, against Python's csv module as the
oracle (its default dialect reads quotes as pandas' C parser does):
- for 60 generated files (quoted fields holding separators, newlines, "\\r\\n" and doubled
  quotes; quotes inside unquoted fields, as in 5'7"; text after a closing quote; empty
  fields, a quoted empty field, blank lines, UTF-8; "\\n" or "\\r\\n" row ends, with and
  without a final newline; ',' or ';' or tab as separator), split into pieces of 1, 2, 3,
  7, 64 and 4096 bytes and the whole file: the rows (blank lines skipped, as pandas does)
  equal csv.reader's, whatever the piece size;
- each block starts at a row's start, the blocks cover the file in order, and the line
  number the runtime gives each block and row is 1 + the newlines before it;
- a file of 3 MB, read by the first pass a 1 MB chunk at a time (in memory, and with pread
  as a source is), with quoted newlines across the chunks' edges: the same rows;
- a quoted field that never closes is an error naming the line of its opening quote;
- cdrt_utf8_invalid finds the first invalid UTF-8 byte where Python's decoder does.
The driver is built with the runtime (tests/CMakeLists.txt, CDASK_BUILD/tests)."""

import csv
import io
import os
import platform
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
PIECES = [1, 2, 3, 7, 64, 4096, 1 << 30]


DRIVER = tl.driver("csv_driver")


def run_driver(path, piece, sep, how="memory"):
    """(blocks, rows, error): blocks as (begin, end, line), rows as (offset, line, fields)."""
    r = subprocess.run([DRIVER, path, str(piece), sep, how], capture_output=True, timeout=120)
    out, blocks, rows = r.stdout, [], []
    if r.returncode != 0:
        return None, None, out.decode("utf-8", "replace").strip()
    at = 0
    while at < len(out):
        nl = out.index(b"\n", at)
        head = out[at:nl].decode().split()
        at = nl + 1
        if head[0] == "block":
            blocks.append(tuple(int(x) for x in head[1:]))
        elif head[0] == "blank":
            continue
        else:
            fields = []
            for _ in range(int(head[3])):
                nl = out.index(b"\n", at)
                length = int(out[at:nl].split()[0])
                fields.append(out[nl + 1:nl + 1 + length].decode("utf-8"))
                at = nl + 1 + length
            rows.append((int(head[1]), int(head[2]), fields))
    return blocks, rows, None


def field(rng, sep):
    kind = rng.randrange(10)
    words = ["abc", "Rennes", "Stade", "Zoë", "日本", "x", "42", "-1.5e3", "", " sp "]
    w = rng.choice(words)
    if kind == 0:
        return ""
    if kind == 1:  # quoted with the separator, newlines and doubled quotes inside
        inner = rng.choice([w + sep + w, w + "\n" + w, w + "\r\n" + w, 'say ""hi""', "", w])
        return '"' + inner + '"'
    if kind == 2:  # a quote inside an unquoted field: an ordinary character
        return rng.choice(['5\'7"', 'ab"c', 'x""y', 'a"'])
    if kind == 3:  # text after the closing quote is kept
        return '"' + w + '"' + rng.choice(["tail", "x", 'x"'])
    return w


def make_file(rng, sep):
    """A CSV text whose rows Python's csv reads back (no lone '\\r' outside quotes)."""
    eol = rng.choice(["\n", "\r\n"])
    ncol = rng.randint(1, 6)
    lines = []
    for _ in range(rng.randint(0, 40)):
        if rng.random() < 0.08:
            lines.append("")  # a blank line
            continue
        row = [field(rng, sep) for _ in range(ncol)]
        if ncol == 1 and row[0] == "":
            row[0] = '""'  # a lone empty field would be a blank line
        lines.append(sep.join(row))
    text = eol.join(lines)
    if lines and rng.random() < 0.7:
        text += eol
    return text


def oracle(text, sep):
    csv.field_size_limit(1 << 24)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    return [r for r in rows if r]  # blank lines skipped


def check_files():
    rng = random.Random(1201)
    d = tl.tempdir("csv")
    try:
        bad = []
        for i in range(60):
            sep = [",", ";", "\t"][i % 3]
            text = make_file(rng, sep)
            data = text.encode("utf-8")
            path = os.path.join(d, "f%d.csv" % i)
            with open(path, "wb") as f:
                f.write(data)
            want = oracle(text, sep)
            for piece in PIECES:
                blocks, rows, error = run_driver(path, piece, sep)
                if error:
                    bad.append((i, piece, error))
                    continue
                got = [r[2] for r in rows]
                covered = [b[0] for b in blocks] == [0] + [b[1] for b in blocks[:-1]] and (
                    blocks[-1][1] == len(data))
                starts = all(b[0] == 0 or data[b[0] - 1:b[0]] == b"\n" for b in blocks)
                lines = all(line == 1 + data[:off].count(b"\n") for off, line in
                            [(b[0], b[2]) for b in blocks] + [(r[0], r[1]) for r in rows])
                if got != want or not covered or not starts or not lines:
                    bad.append((i, piece, "rows equal %s, cover %s, starts %s, lines %s" % (
                        got == want, covered, starts, lines), text[:200]))
        R.check(not bad, "60 files x %d piece sizes: rows are csv.reader's, blocks start at "
                "rows and cover the file, line numbers right" % len(PIECES),
                "%d bad, e.g. %s" % (len(bad), bad[:3]))
    finally:
        tl.rmtree(d)


def check_chunks():
    """Pieces larger than the first pass's 1 MB chunk: chunks with and without quotes, quoted
    fields open across a chunk's edge."""
    rng = random.Random(77)
    d = tl.tempdir("csv_big")
    try:
        parts, size = [], 0
        while size < 3 << 20:
            t = make_file(rng, ",")
            if rng.random() < 0.5:  # a stretch without quotes
                t = "\n".join("%d,%d.5,x%d" % (i, i, i) for i in range(rng.randint(1, 40000)))
            t = t if t.endswith("\n") or not t else t + "\n"
            parts.append(t)
            size += len(t)
        text = "".join(parts)
        # and a quoted field from 1.1 MB that closes just before the second piece's second
        # chunk (at 1.2 MB + 1 MiB), whose first newline ends the row
        pre, close = "1,2,3\n" * 183333, 1_200_000 + (1 << 20) - 4
        body = ("y" * 99 + "\n") * ((close - len(pre) - 3) // 100)
        body += "y" * (close - len(pre) - 3 - len(body))
        edge = pre + '4,"' + body + '",zzz\n' + "1,2,3\n" * 100000
        for name, text, pieces in (("mixed", text, (1 << 30, 1_500_000, 700_001, 300_007)),
                                   ("edge", edge, (1_200_000,))):
            check_chunked(d, name, text, pieces)
    finally:
        tl.rmtree(d)


def check_chunked(d, name, text, pieces):
    """text split into pieces, in memory and with pread: csv.reader's rows, right lines."""
    path = os.path.join(d, name + ".csv")
    data = text.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    want = oracle(text, ",")
    for how in ("memory", "fd"):
        for piece in pieces:
            blocks, rows, error = run_driver(path, piece, ",", how)
            got = None if error else [r[2] for r in rows]
            lines = not error and all(b[2] == 1 + data[:b[0]].count(b"\n") for b in blocks)
            R.check(got == want and lines, "%s, %.1f MB, pieces of %d, read %s: rows are "
                    "csv.reader's, blocks' lines right" % (
                        name, len(data) / 1e6, piece,
                        "with pread" if how == "fd" else "in memory"),
                    str(error or (got == want, lines)))


def check_unclosed():
    d = tl.tempdir("csv_open")
    try:
        text = 'a,b\n1,2\n3,"four\n5,6\n7,8\n'
        path = os.path.join(d, "open.csv")
        with open(path, "w") as f:
            f.write(text)
        for piece in PIECES:
            for how in ("memory", "fd"):
                blocks, rows, error = run_driver(path, piece, ",", how)
                R.check(error == "error line 3: a quoted field is never closed (its opening "
                        "quote is on this line)",
                        "an unclosed quote names its line (piece %d, %s)" % (piece, how),
                        str(error or rows))
    finally:
        tl.rmtree(d)


def check_utf8():
    """cdrt_utf8_invalid against Python's decoder: valid text (1 to 4-byte characters, at
    every alignment of the 8-byte ASCII skip) and the same with one byte changed, removed or
    a sequence cut at the end: the first invalid offset is UnicodeDecodeError's start. The
    longer texts (up to 400 characters) cross many of the 16-byte chunks the SSSE3 check
    reads, with the changed byte anywhere in them, and ASCII runs between accents."""
    rng = random.Random(8)
    chars = ["a", "Z", "\n", ",", "é", "ß", "€", "日", "\ud7ff", "\ue000", "\uffff",
             "\U00010000", "😀", "\U0010ffff", "\x7f", "\x80"]
    d = tl.tempdir("utf8")
    try:
        cases = []
        for i in range(1000):
            longer = i >= 400
            pick = (lambda: rng.choice(chars) if rng.random() < 0.3 else "abcdefgh"[:rng.randint(1, 8)]) \
                if longer and i % 2 else (lambda: rng.choice(chars))
            text = "".join(pick() for _ in range(rng.randint(0, 400 if longer else 40))).encode()
            if i % 4 == 1 and text:  # one byte changed
                j = rng.randrange(len(text))
                text = text[:j] + bytes([rng.choice([0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xe0,
                                                     0xed, 0xf0, 0xf4, 0xf5, 0xff, 0xa0,
                                                     0x9f, 0x90, 0x8f])]) + text[j + 1:]
            elif i % 4 == 2 and text:  # one byte removed
                j = rng.randrange(len(text))
                text = text[:j] + text[j + 1:]
            elif i % 4 == 3:  # a sequence cut at the end, or an invalid one
                text += rng.choice([b"\xe2\x82", b"\xf0\x9f\x98", b"\xc3", b"\xed\xa0\x80",
                                    b"\xe0\x80\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80",
                                    b"\xf8\x88\x80\x80\x80"])
            cases.append(text)
        # a wrong or cut sequence at each offset across the 16- and 32-byte chunks' edges,
        # after ASCII or after accents (the bytes the chunk before holds)
        for at in range(0, 70):
            for pad in ("a", "é"):
                head = (pad * at).encode()[:at]
                for seq in (b"\xc3", b"\xe2\x82", b"\xf0\x9f\x98", b"\xed\xa0\x80", b"\x80",
                            b"\xe0\x80\x80", b"\xf4\x90\x80\x80"):
                    cases.append(head + seq + b"bcd" * rng.randint(0, 12))
        bad, ways = [], {}
        for i, text in enumerate(cases):
            path = os.path.join(d, "u%d" % i)
            with open(path, "wb") as f:
                f.write(text)
            try:
                text.decode("utf-8")
                want = -1
            except UnicodeDecodeError as e:
                want = e.start
            r = subprocess.run([DRIVER, "--utf8", path], capture_output=True, text=True)
            got = dict(line.split() for line in r.stdout.splitlines())
            ways.update(got)
            if "0" not in got or any(v != str(want) for v in got.values()):
                bad.append((text, got, want))
        R.check(not bad, "UTF-8: the first invalid byte is Python's (%d cases, every way "
                "this CPU has: %s)" % (len(cases), ", ".join(sorted(ways))), str(bad[:3]))
        # SSSE3 is on every x86-64 CPU since 2011 (Intel's since 2006): the 16-byte check ran
        R.check(platform.machine() != "x86_64" or "1" in ways, "UTF-8: the 16-byte check ran",
                str(sorted(ways)))
    finally:
        tl.rmtree(d)


def main():
    if not tl.driver_built(R, DRIVER):
        return R.finish()
    check_files()
    check_chunks()
    check_unclosed()
    check_utf8()
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
