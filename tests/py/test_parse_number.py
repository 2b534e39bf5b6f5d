#!/usr/bin/python3
"""runtime/parse_number.c, the CSV reader's numbers, against Python as the oracle
(float() is correctly rounded, half to even; int() is exact):
- float64: the bits of cdrt_parse_f64 equal float()'s for hard cases (exact halfway points
  between neighbouring doubles, written out in full, and a hair above and below them;
  17 to 800 significant digits; the subnormal range, its edge and below it; the largest
  double, the halfway point above it and beyond; exponents past +-400; where float() makes
  a decimal infinite, -2, out of range, as pandas reads it), for 20000 random
  doubles written by repr, %.17g, %.20e and %.40g, for 20000 random decimal strings of 1 to
  25 digits and exponents from -360 to 360, and for the Clinger fast path's edges (2^53,
  10^22), and for the plain-decimal fast path (20000 [-+]digits[.digits] texts of up to 21
  characters, digits around 2^53, 19 and 20 digits, 22- and 23-digit fractions, negative
  zero, leading zeros); inf and infinity in any case; spaces and tabs around;
- not numbers (an empty field, a sign alone, a point alone, "1e", "1.2.3", "0x10", "1_000",
  "1,5", "- 1", "++1", "e5", "inf1") and nan in any spelling (pandas reads nan only as a
  missing value's string) are -1;
- int64: random values and the edges +-(2^63 - 1), -2^63, equal int(); one past either end
  (and 30 digits) is -2, out of range; a point, an exponent or spaces inside are -1.
- cdrt_pyrepr (pdformat.c, to_csv and print) is Python's repr for 20000 random doubles,
  doubles of 1 to 17 digits, subnormals, powers of ten and their neighbours.
The driver is built with the runtime (tests/CMakeLists.txt, CDASK_BUILD/tests)."""

import math
import os
import random
import re
import struct
import subprocess
import sys
from decimal import Decimal, getcontext

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
getcontext().prec = 1200  # exact sums and halves of any two doubles


DRIVER = tl.driver("parse_number_driver")


def ask(lines):
    """The driver's answers, one per line."""
    r = subprocess.run([DRIVER], input="".join(l + "\n" for l in lines),
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError("driver failed: %s" % r.stderr)
    return r.stdout.splitlines()


def bits(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def random_double(rng):
    while True:
        x = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if math.isfinite(x):
            return x


def halfway(rng, n):
    """Exact decimal midpoints between a double and the next one up (ties: float() rounds
    to the even one), and the same a hair above and below."""
    out = []
    for i in range(n):
        x = abs(random_double(rng)) if i % 4 else rng.choice(
            [5e-324 * rng.randrange(1, 1 << 20), rng.randrange(1 << 53, 1 << 54) * 2.0 ** rng.
             randrange(-1074, 970)])
        y = math.nextafter(x, math.inf)
        if not math.isfinite(y):
            continue
        mid = (Decimal(x) + Decimal(y)) / 2
        tiny = Decimal(10) ** (mid.adjusted() - 700)
        out += [str(mid), str(mid + tiny), str(mid - tiny), "-" + str(mid)]
    return out


def plain_decimals(rng, n):
    """The fast path's texts: [-+]digits[.digits], up to 21 characters, leading zeros, and
    digit strings around 2^53 with the point anywhere."""
    out = []
    for i in range(n):
        if i % 3 == 0:
            digits = str(2 ** 53 + rng.randint(-3, 3)) + "".join(
                rng.choice("0123456789") for _ in range(rng.randint(0, 3)))
        else:
            digits = "0" * rng.choice([0, 0, 0, 1, 3]) + "".join(
                rng.choice("0123456789") for _ in range(rng.randint(1, 20)))
        point = rng.randint(0, len(digits))
        text = digits[:point] + "." + digits[point:] if rng.random() < 0.8 else digits
        out.append(rng.choice(["", "", "-", "+"]) + text)
    return out


# The plain-decimal fast path's edges: 2^53 as the digits' integer, 19 and 20 digits, a
# 22- and 23-digit fraction, negative zero, leading zeros, signs and bare points
PLAIN = [
    "9007199254740992", "9007199254740993", "900719925474099.2", "900719925474099.3",
    ".9007199254740993", "-9.007199254740993", "9007199254740991.0", "9007199254740992.0",
    "1234567890123456789", "1234567890.123456789", "-.1234567890123456789",
    "12345678901234567890", "1234567890.1234567891", "0.1234567890123456789",
    "0.0000000000000000000001", "0.00000000000000000000001", "1.000000000000000000001",
    "-0", "-0.0", "-.0", "-0.", "+0", "0000000000000000001.5", "000.5", "-00012.50",
    "00000000000000000000", "+.5", "5.", "-5.", "0.5", "99999999999999999.9",
    "9999999999999999999", "999999999999999999.9", "0.3", "2.675", "1.005",
]


def short_shapes(rng, n, point=True):
    """The shapes of most CSV numbers: up to eight digits before and after the point, each
    count, and one byte of some of them changed to a byte next to the digits (/ : . - e
    space), which must make them other numbers or errors."""
    out = []
    for _ in range(n):
        a, b = rng.randint(0, 9), rng.randint(0, 9) if point else -1
        text = "".join(rng.choice("0123456789") for _ in range(a))
        if b >= 0:
            text += "." + "".join(rng.choice("0123456789") for _ in range(b))
        text = rng.choice(["", "", "-", "+"]) + text
        if text and rng.random() < 0.3:
            k = rng.randrange(len(text))
            text = text[:k] + rng.choice("/:.-e 9") + text[k + 1:]
        out.append(text)
    return out


def valid_float(text):
    """Python's float() accepts it, as cdrt's syntax does (spaces and tabs around it)"""
    try:
        float(text)
    except ValueError:
        return False
    return "n" not in text.lower() and "_" not in text


def random_decimals(rng, n):
    out = []
    for _ in range(n):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 25)))
        point = rng.randint(0, len(digits))
        text = digits[:point] + "." + digits[point:] if rng.random() < 0.7 else digits
        if text == ".":
            text = "0."
        if rng.random() < 0.8:
            text += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randint(0, 360))
        out.append(rng.choice(["", "-", "+"]) + text)
    return out


FIXED = [
    "0", "-0", "0.0", "-0.0", "0e999999", "1", "-1", ".5", "5.", "+.5e1", "1e5", "1E+05",
    "1e-5", "0.1", "0.2", "0.3", "123456789012345678", "1234567890123456789",
    "12345678901234567890", "123456789012345678901234567890", "9007199254740992",
    "9007199254740993", "9007199254740994", "9007199254740995", "1e22", "1e23", "9e22",
    "9007199254740993e22", "4.35679e-10", "2.2250738585072011e-308",
    "2.2250738585072012e-308", "2.2250738585072014e-308", "4.9406564584124654e-324",
    "2.4703282292062327e-324", "2.4703282292062328e-324", "5e-324", "3e-324", "1e-324",
    "1e-400", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
    "179769313486231580793728971405301e276", "1e308", "1e309", "1e400", "-1e400",
    "0.000000000000000000000000000000000000000000001e45",
    "100000000000000000000000000000000000000000000e-44", "7.038531e-26",
    "0.00000000000001953", "-15.361", "-15.361000", "23.574912", "3.14159265358979323846",
    "2.718281828459045235360287471352662497757247093699959574966967627724076630353",
    "0." + "0" * 300 + "1", "1" + "0" * 320, "1" + "0" * 300 + "e-300",
    "0.1" + "0" * 790 + "1", "inf", "-inf", "+inf", "INF", "Infinity", "-INFINITY",
    "infinity", " 1.5", "1.5 ", "\t-2.25\t", "  7  ", "1e0000000000000000000000000005",
    "1e-0000000000000000000000000005",
]
NANS = ["nan", "NaN", "-nan", "+NAN", " nan "]
NOT_NUMBERS = ["", " ", "-", "+", ".", "-.", "e5", "1e", "1e+", "1.2.3", "0x10", "1_000",
               "1,5", "- 1", "++1", "inf1", "infin", "nana", "1 2", "1e5.5", "..1", "1..",
               "1d5", "\u00a01", "1f", "123:", "12/4", "1234:5", "1234/567", "1.234:",
               "12345678:", "9999\u00ff"]


def expected(text):
    """float()'s bits, or "error -2" where float() overflows a decimal to infinity."""
    x = float(text)
    if math.isinf(x) and "n" not in text.lower():
        return "error -2"
    return bits(x)


def check_floats():
    rng = random.Random(20261201)
    cases = list(FIXED)
    for _ in range(20000):
        x = random_double(rng)
        cases.append(rng.choice([repr(x), "%.17g" % x, "%.20e" % x, "%.40g" % x]))
    cases += random_decimals(rng, 20000)
    cases += PLAIN + plain_decimals(rng, 20000)
    cases += halfway(rng, 2000)
    cases += [t for t in short_shapes(rng, 20000) if valid_float(t)]
    for e in range(-342, 310):  # every power of ten of the table, and its neighbours
        cases += ["1e%d" % e, "9999999999999999999e%d" % e, "4503599627370497e%d" % e]
    got = ask(["f " + c for c in cases])
    bad = [(c, g, expected(c)) for c, g in zip(cases, got) if g != expected(c)]
    R.check(len(got) == len(cases) and not bad,
            "float64: %d cases bitwise float()'s (halfway points, long digit strings, "
            "subnormals, overflow, random)" % len(cases), "%d differ, e.g. %s" % (
                len(bad), bad[:5]))
    shorts = [t for t in short_shapes(rng, 20000) if not valid_float(t)]
    got = ask(["f " + c for c in NOT_NUMBERS + NANS + shorts])
    R.check(got == ["error -1"] * len(NOT_NUMBERS + NANS + shorts),
            "float64: not numbers (nan in any spelling among them) are -1",
            str([(c, g) for c, g in zip(NOT_NUMBERS + NANS + shorts, got) if g != "error -1"]))


def check_ints():
    rng = random.Random(7)
    values = [0, 1, -1, 2 ** 63 - 1, -2 ** 63, -(2 ** 63 - 1), 10 ** 18, -10 ** 18]
    values += [rng.randrange(-2 ** 63, 2 ** 63) for _ in range(5000)]
    values += [rng.randrange(-10 ** rng.randint(1, 18), 10 ** rng.randint(1, 18))
               for _ in range(5000)]
    texts = [str(v) for v in values] + ["+42", "007", " 12 ", "\t-3", "-0"]
    want = [str(v) for v in values] + ["42", "7", "12", "-3", "0"]
    # the fast path's edges: 18 characters (and 19, 20: the general path), signs
    edges = ["999999999999999999", "-99999999999999999", "+99999999999999999",
             "1000000000000000000", "-999999999999999999", "000000000000000001",
             "0000000000000000000000001", "-000000000000000000"]
    texts += edges
    want += [str(int(t)) for t in edges]
    for t in short_shapes(rng, 20000, point=False):  # up to eight digits, a byte changed
        if re.fullmatch(r"[-+]?[0-9]+", t.strip(" \t")):
            texts.append(t), want.append(str(int(t)))
        else:
            texts.append(t), want.append("error -1")
    got = ask(["i " + t for t in texts])
    R.check(got == want, "int64: %d values equal int()" % len(texts),
            str([(t, g, w) for t, g, w in zip(texts, got, want) if g != w][:5]))
    over = [str(2 ** 63), str(-2 ** 63 - 1), "9" * 30, "-" + "9" * 30, "99999999999999999999"]
    got = ask(["i " + t for t in over])
    R.check(got == ["error -2"] * len(over), "int64: out of range is -2", str(got))
    bad = ["", "-", "+", "1.0", "1e3", "1 2", "0x1", "1_0", "--1", "12a", " ", "+-1", "1-", "1+"]
    got = ask(["i " + t for t in bad])
    R.check(got == ["error -1"] * len(bad), "int64: not integers are -1",
            str(list(zip(bad, got))))


def check_repr():
    rng = random.Random(31)
    xs = [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
          1.7976931348623157e308, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 1e16, 1e15, 9.999999999999999e15,
          1e-4, 1e-5, 0.0001, 123456.789, 1e22, 1e23, 2.0 ** 53, 2.0 ** 53 + 2,
          999999999999999.0, 999999999999999.9, 99999999999999.98, 0.00010000000000000002,
          9.999999999999999e-05, 0.5, 2.5, 1e14 + 0.5, 0.1 + 0.2, 100.0, 1e-4 * 3]
    for e in range(-330, 309):
        x = float("1e%d" % e)
        xs += [x, math.nextafter(x, math.inf), math.nextafter(x, -math.inf)]
    for _ in range(20000):
        xs.append(random_double(rng))
        xs.append(float("%.*g" % (rng.randint(1, 17), random_double(rng))))
        xs.append(struct.unpack("<d", struct.pack("<Q", rng.getrandbits(52)))[0])  # subnormal
        # short decimals (cdrt_pyrepr's path without printf: at most 15 digits, 1e-4 to
        # 1e15) and their neighbours, which need 16 or 17
        d = rng.randint(1, 10 ** rng.randint(1, 17)) / 10 ** rng.randint(0, 21)
        xs += [d, -d, math.nextafter(d, math.inf), math.nextafter(d, -math.inf)]
        xs.append(round(rng.uniform(-1e6, 1e6), rng.randint(0, 9)))
    xs = [x for x in xs if math.isfinite(x)]
    got = ask(["r " + bits(x) for x in xs])
    bad = [(repr(x), g) for x, g in zip(xs, got) if g != repr(x)]
    R.check(len(got) == len(xs) and not bad, "repr: %d doubles print as Python's repr" % len(xs),
            "%d differ, e.g. %s" % (len(bad), bad[:5]))


def main():
    if not tl.driver_built(R, DRIVER):
        return R.finish()
    check_floats()
    check_ints()
    check_repr()
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
