#!/usr/bin/python3
"""Golden texts of cdaskc's dumps (QBE's `# >>> output` style): every tests/dumps/NAME.lua
is a small script followed by blocks of the text cdaskc must print, as Lua comments:

    -- >>> dump-after=simplify
    -- == after simplify
    -- t0 = arange : int64(6,) chunks=(3,)  ; simplify.lua:4
    -- <<<

The word after `>>>` is a cdaskc option without its dashes (`dump-after=PASS` for any pass
cdaskc dumps, or `explain`); the lines up to `-- <<<` are the expected text, each prefixed
`-- ` (an empty line is `--`). For each block the script is copied into a temporary
directory and compiled there with `cdaskc NAME.lua --emit-c NAME.c --OPTION`; it must exit 0
and print exactly that text (stdout, then stderr). A mismatch prints a unified diff.

    test_dump_golden.py            the test (CDASK_BUILD holds cdaskc)
    test_dump_golden.py --update   rewrite every block with what cdaskc prints now: for
                                   humans, after checking the new text by hand; never run
                                   by the test suite"""

import difflib
import glob
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdask_testlib import CDASKC, SRC, Results, cdaskc, rmtree, tempdir  # noqa: E402

DUMPS = os.path.join(SRC, "tests", "dumps")
OPEN = re.compile(r"^-- >>> (\S+)$")
CLOSE = "-- <<<"


class Block:
    def __init__(self, option, start):
        self.option, self.start, self.end, self.lines = option, start, None, []

    def expected(self):
        return "".join(line + "\n" for line in self.lines)


def parse(text):
    """([Block], None) or (None, why): the blocks of a script, with the line numbers of
    their opening and closing comments (0-based)."""
    blocks, cur = [], None
    for n, line in enumerate(text.split("\n")):
        m = OPEN.match(line)
        if cur is None:
            if m:
                cur = Block(m.group(1), n)
            elif line.startswith("-- >>>") or line == CLOSE:
                return None, "line %d: %r outside a block or malformed" % (n + 1, line)
        elif line == CLOSE:
            cur.end = n
            blocks.append(cur)
            cur = None
        elif m:
            return None, "line %d: a block opens inside the block of line %d" % (
                n + 1, cur.start + 1)
        elif line == "--" or line.startswith("-- "):
            cur.lines.append(line[3:])
        else:
            return None, "line %d: %r in the block of line %d is not a '-- ' comment" % (
                n + 1, line, cur.start + 1)
    if cur is not None:
        return None, "the block of line %d has no '%s'" % (cur.start + 1, CLOSE)
    return blocks, None


def printed(script_path, option):
    """(exit code, what cdaskc prints: stdout then stderr) for `--OPTION`."""
    name = os.path.basename(script_path)
    d = tempdir("golden")
    try:
        shutil.copy(script_path, os.path.join(d, name))
        r = cdaskc([name, "--emit-c", name[:-4] + ".c", "--" + option], cwd=d)
        return r.returncode, (r.stdout or "") + (r.stderr or "")
    finally:
        rmtree(d)


def diff(want, got, label):
    return "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                        "expected (" + label + ")", "cdaskc prints"))


def as_block(option, text):
    body = ["--" if line == "" else "-- " + line for line in text.rstrip("\n").split("\n")]
    return ["-- >>> " + option] + (body if text else []) + [CLOSE]


def update(path):
    text = open(path).read()
    blocks, why = parse(text)
    if why:
        print("%s: %s" % (path, why))
        return False
    lines = text.split("\n")
    for b in reversed(blocks):
        rc, out = printed(path, b.option)
        if rc != 0:
            print("%s: cdaskc --%s exits %s:\n%s" % (path, b.option, rc, out))
            return False
        lines[b.start:b.end + 1] = as_block(b.option, out)
    with open(path, "w") as f:
        f.write("\n".join(lines))
    print("updated %s (%d blocks)" % (os.path.relpath(path, SRC), len(blocks)))
    return True


def self_check(r):
    """The parser and the comparison see a one-character change and a missing line."""
    text = "x = 1\n-- >>> explain\n-- a b\n--\n-- c\n-- <<<\n"
    blocks, why = parse(text)
    r.check(why is None and len(blocks) == 1 and blocks[0].expected() == "a b\n\nc\n",
            "self-check: a block parses to its text", repr(why))
    r.check(diff("a b\n\nc\n", "a c\n\nc\n", "x") != "" and diff("a\nb\n", "a\n", "x") != "",
            "self-check: a changed or missing line is a difference")
    r.check(parse("-- >>> explain\n-- a\n")[1] is not None and
            parse("-- >>> explain\nnot a comment\n-- <<<\n")[1] is not None,
            "self-check: an unclosed block and a stray line are errors")
    r.check(as_block("explain", "a b\n\nc\n") == text.split("\n")[1:6],
            "self-check: --update writes back what it parses")


def main(argv):
    scripts = sorted(glob.glob(os.path.join(DUMPS, "*.lua")))
    if "--update" in argv:
        return 0 if all([update(p) for p in scripts]) else 1
    r = Results()
    self_check(r)
    if not r.check(len(scripts) >= 5 and os.access(CDASKC, os.X_OK),
                   "tests/dumps has scripts and %s exists" % CDASKC):
        return r.finish()
    for path in scripts:
        name = os.path.basename(path)
        blocks, why = parse(open(path).read())
        if not r.check(why is None and bool(blocks), "%s has blocks" % name, why or "none"):
            continue
        for b in blocks:
            rc, out = printed(path, b.option)
            label = "%s --%s" % (name, b.option)
            if rc != 0:
                r.check(False, label, "cdaskc exits %s:\n%s" % (rc, out))
                continue
            want = b.expected()
            r.check(out == want, label, "(line %d)\n%s" % (b.start + 1, diff(want, out, label)))
    return r.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
