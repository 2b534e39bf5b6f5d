"""diffgen: random cdask pipelines and the same programs written for NumPy (the oracle).

Used by test_differential.py. A Program is a list of statements; each has its Lua text,
its NumPy text (the same operation, written as NumPy 1.24 code) and the statements it
reads. The generator runs every candidate statement in NumPy while it builds the program,
so it knows each variable's value, shape and dtype, and chooses the next operations to
fit (or, now and then, not to fit: a statement NumPy refuses becomes an error case that
cdaskc must refuse at that line).

The NumPy text calls a few helpers (PRELUDE) that write down the documented differences
between cdask and NumPy 1.24 instead of hiding them:
- 0-d arrays take no part in value-based casting (as in NEP 50, NumPy 2 and Dask): an
  operation between a 0-d array and a larger one promotes by dtypes only (`bop`);
- there is no int8/int16: bool // bool, bool % bool, bool ** bool give int64 (`fix`);
- integers and bools become float64 in sin, sqrt, floor, ... (NumPy: float16 for bools);
- float32 and complex64 transforms give complex64 (and irfft float32), as NumPy 2 does.

KNOWN_OPEN names families of bugs that are known and being fixed (issue 10's list): the
generator avoids them while they are listed. Delete an entry once its fix is merged; the
tester then covers that family again."""


import numpy as np

# Known bug families the generator avoids until their fixes are merged (issue 10,
# "Wrong answers found by comparing random programs with NumPy 1.24").
KNOWN_OPEN = {}  # every family of issue 10 is fixed; add one here only with its issue

PRELUDE = '''import numpy as np
import warnings
warnings.simplefilter("ignore")
np.seterr(all="ignore")

def fix(r):
    """cdask has no int8/int16/float16: those results are int64 / float64."""
    r = np.asarray(r)
    if r.dtype in (np.int8, np.int16, np.uint8):
        return r.astype(np.int64)
    if r.dtype == np.float16:
        return r.astype(np.float64)
    return r

def bop(f, *xs):
    """f on arrays and Python scalars, where 0-d arrays are arrays: they take no part in
    value-based casting (as in NEP 50), Python scalars do (NumPy 1.24). NumPy 1.24 treats
    0-d arrays as scalars, so they are given one axis here and lose it at the end."""
    xs = [np.asarray(x) if isinstance(x, np.generic) else x for x in xs]  # x[1, 2]
    arrs = [x for x in xs if isinstance(x, np.ndarray)]
    if not any(a.ndim == 0 for a in arrs):
        return fix(f(*xs))
    r = f(*[x.reshape(1) if isinstance(x, np.ndarray) and x.ndim == 0 else x for x in xs])
    return fix(r.reshape(()) if all(a.ndim == 0 for a in arrs) else r)

def fl(f, x):
    """float functions: bools and integers in float64 (NumPy: float16 for bools)."""
    if x.dtype.kind in "bi":
        x = x.astype(np.float64)
    return fix(f(x))

RESULTS = {}

def save(name, v):
    """da.to_npy(v, name): the oracle keeps the value (the test compares the file)"""
    RESULTS[name] = np.asarray(v)

def show(label, v):
    """da.print(v, label): the oracle keeps the value (the test compares the text)"""
    RESULTS[label] = np.asarray(v)

def tr(f, x, *args, **kw):
    """numpy.fft: float32/complex64 inputs give complex64 (irfft: float32), as NumPy 2."""
    r = f(x, *args, **kw)
    if x.dtype in (np.float32, np.complex64):
        r = r.astype(np.complex64 if r.dtype.kind == "c" else np.float32)
    return r
'''

FLOAT_FUNCS = ["sin", "cos", "tan", "exp", "log", "sqrt", "floor", "ceil"]
DTYPES = ["bool", "int32", "int64", "float32", "float64", "complex64", "complex128"]
STATIC_ERRORS = (ValueError, IndexError, TypeError, np.AxisError)
# NumPy errors that depend on the data, not on shapes and dtypes: not compile-time errors.
DATA_ERRORS = ("negative integer powers", "Integers to negative")


class Var:
    def __init__(self, name, value, exact, mag, flags):
        self.name = name
        self.value = value
        self.exact = exact  # computed with the same rounding in cdask and NumPy
        self.mag = mag  # the magnitude its rounding errors scale with
        self.flags = flags  # set of strings: "fftfreq", "fft_nonfloat", "reshaped", ...

    @property
    def shape(self):
        return self.value.shape

    @property
    def dtype(self):
        return self.value.dtype


class Stmt:
    def __init__(self, var, lua, py, deps, output=None):
        self.var = var  # the variable it defines (None for outputs)
        self.lua = lua  # the Lua expression (or statement, for outputs)
        self.py = py
        self.deps = deps  # names of the variables it reads
        self.output = output  # ("npy", name) or ("print", label) for outputs


def lua_num(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    r = repr(float(v))
    return r if r not in ("inf", "-inf", "nan") else {"inf": "1/0", "-inf": "-1/0",
                                                        "nan": "0/0"}[r]


def py_num(v):
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, int):
        return str(v)
    r = repr(float(v))
    return {"inf": "float('inf')", "-inf": "-float('inf')", "nan": "float('nan')"}.get(r, r)


def lua_table(xs):
    return "{" + ", ".join(str(x) for x in xs) + "}"


def max_abs(a):
    a = np.asarray(a)
    if a.size == 0 or a.dtype.kind == "b":
        return 1.0
    with np.errstate(all="ignore"):
        m = np.abs(a.astype(np.complex128 if a.dtype.kind == "c" else np.float64))
    m = m[np.isfinite(m)]
    return float(m.max()) if m.size else 1.0


class Generator:
    """Builds one program. fixtures: {filename: array} the test writes next to it."""

    def __init__(self, rng, nsteps, with_errors=True):
        self.rng = rng
        self.nsteps = nsteps
        self.stmts = []
        self.vars = {}
        self.fixtures = {}
        self.errors = []  # (stmts, the refused statement, NumPy's message)
        self.with_errors = with_errors
        self.env = {}
        exec(PRELUDE, self.env)
        self.nout = 0

    # ---- helpers ------------------------------------------------------------------

    def pick(self, xs):
        return xs[self.rng.randrange(len(xs))]

    def chance(self, p):
        return self.rng.random() < p

    def new_name(self):
        return "v%d" % len(self.vars)

    def shape(self, maxdim=3):
        nd = self.pick([0, 1, 1, 2, 2, 2, 3, 3] + ([4] if maxdim >= 4 else []))
        if nd == 1 and self.chance(0.1):
            return (self.pick([600, 1100, 2049]),)
        if nd >= 2 and self.chance(0.08):  # several strips and tiles per row
            return self.pick([(33, 65), (9, 17, 13), (3, 520), (2, 2, 700)])[:nd]
        return tuple(self.pick([1, 2, 3, 4, 5, 6, 3, 4, 5, 7, 9, 16]) if self.chance(0.97) else 0
                     for _ in range(nd))

    def chunks(self, shape):
        """a chunks spec for shape (Lua text), or None"""
        r = self.rng.random()
        if r < 0.3 or not shape:
            return None
        if r < 0.45:
            return self.pick(["\"auto\"", "-1", "1", "2", "3"])
        entries = []
        for n in shape:
            k = self.rng.random()
            if k < 0.2 and not (n == 0 and "chunks_minus1_len0" in KNOWN_OPEN):
                entries.append("-1")
            elif k < 0.35 and n > 0:  # Dask's explicit tuple, regular
                c = self.rng.randint(1, n)
                tup = [c] * (n // c) + ([n % c] if n % c else [])
                entries.append(lua_table(tup))
            else:
                entries.append(str(self.rng.randint(1, max(1, n + 1))))
        return lua_table(entries)

    def vars_where(self, pred):
        return [v for v in self.vars.values() if pred(v)]

    def any_var(self, pred=lambda v: True):
        vs = self.vars_where(pred)
        return self.pick(vs) if vs else None

    # ---- running a candidate statement in NumPy -------------------------------------

    def try_add(self, lua, py, deps, exact, mag_of=None, flags=(), error_ok=True):
        """Runs py in NumPy; on success adds the statement and returns its Var. On a static
        NumPy error, maybe records an error case. Returns None when not added."""
        name = self.new_name()
        try:
            value = eval(py, self.env)
        except STATIC_ERRORS as e:
            msg = str(e)
            if error_ok and self.with_errors and not any(s in msg for s in DATA_ERRORS):
                self.errors.append((list(self.stmts), Stmt(name, lua, py, deps), msg))
            return None
        except (ZeroDivisionError, OverflowError, MemoryError, RuntimeError):
            return None
        value = np.asarray(value)
        if value.dtype.kind not in "biufc" or value.dtype.itemsize > 16:
            return None
        if value.dtype.kind == "u" or value.dtype in (np.int8, np.int16, np.float16):
            return None  # not a cdask dtype (a generator slip, not a finding)
        if value.size > 5000:
            return None
        fl = set()
        for d in deps:
            fl |= self.vars[d].flags - {"reshaped"}
        fl |= set(flags)
        exact = exact and all(self.vars[d].exact for d in deps)
        inmag = max([self.vars[d].mag for d in deps] + [1.0])
        mag = max(max_abs(value), inmag) if mag_of is None else max(mag_of(inmag, value), 1.0)
        v = Var(name, value, exact or value.dtype.kind in "bi", mag, fl)
        self.env[name] = value
        self.vars[name] = v
        self.stmts.append(Stmt(name, lua, py, deps))
        return v

    # ---- sources ------------------------------------------------------------------

    def fixture_values(self, dtype, shape):
        rng = np.random.default_rng(self.rng.randrange(1 << 30))
        n = int(np.prod(shape)) if shape else 1
        if dtype == "bool":
            a = rng.random(n) < 0.5
        elif dtype in ("int32", "int64"):
            a = rng.integers(-6, 10, n)
            if n and self.chance(0.2):
                info = np.iinfo(dtype)
                a[rng.integers(0, n)] = self.pick([info.min, info.max, 0])
        else:
            a = np.round(rng.normal(0, 3, n), self.pick([0, 1, 2, 8]))
            if n and self.chance(0.3):
                a[rng.integers(0, n)] = self.pick([np.nan, np.inf, -np.inf, -0.0, 1e300, 0.0])
            if dtype.startswith("complex"):
                a = a + 1j * np.round(rng.normal(0, 2, n), 1)
        return np.asarray(a, dtype=dtype).reshape(shape)

    def source(self):
        r = self.rng.random()
        self.new_name()  # (numbers the source: the names after it stay as they were)
        if r < 0.45 or not self.fixtures:
            dtype = self.pick(DTYPES)
            shape = self.shape(4)
            fname = "in%d.npy" % len(self.fixtures)
            a = self.fixture_values(dtype, shape)
            if a.ndim >= 2 and self.chance(0.3):
                a = np.asfortranarray(a)
            self.fixtures[fname] = a
            np.save(fname, a)  # in the working directory (the test's temporary one)
            ch = self.chunks(shape)
            opts = ", {chunks = %s}" % ch if ch else ""
            return self.try_add('da.from_npy("%s"%s)' % (fname, opts),
                                'np.load("%s")' % fname, [], True)
        if r < 0.75:
            shape = self.shape()
            kind = self.pick(["ones", "zeros", "full", "full"])
            dtype = self.pick([None] + DTYPES[:5])
            opts = []
            if dtype:
                opts.append('dtype = "%s"' % dtype)
            ch = self.chunks(shape)
            if ch:
                opts.append("chunks = %s" % ch)
            lopts = ", {%s}" % ", ".join(opts) if opts else ""
            pdt = ", dtype=np.%s" % (dtype if dtype != "bool" else "bool_") if dtype else ""
            shp = lua_table(shape) if len(shape) != 1 or self.chance(0.5) else str(shape[0])
            pshape = repr(tuple(shape))
            if kind == "full":
                val = self.pick([2, -3, 0, 1, 7, 0.5, -2.25, True, False, 3e9, 1e10, 0.1, 1e39])
                if dtype and "full_conversion" in KNOWN_OPEN:
                    ok = {"bool": lambda x: x in (0, 1), "float32": lambda x: float(
                        np.float32(x)) == x, "int32": lambda x: float(x).is_integer() and
                          abs(x) < 2**31, "int64": lambda x: float(x).is_integer(),
                          "float64": lambda x: True}[dtype]
                    if not ok(val):
                        val = 1  # exact in every dtype
                return self.try_add("da.full(%s, %s%s)" % (shp, lua_num(val), lopts),
                                    "np.full(%s, %s%s)" % (pshape, py_num(val), pdt), [], True)
            return self.try_add("da.%s(%s%s)" % (kind, shp, lopts),
                                "np.%s(%s%s)" % (kind, pshape, pdt or ", dtype=np.float64"),
                                [], True)
        if r < 0.87:
            args = self.pick([(self.rng.randint(0, 12),), (self.rng.randint(-3, 3),
                                                          self.rng.randint(2, 15)),
                              (self.rng.randint(-5, 5), self.rng.randint(5, 30),
                               self.rng.randint(1, 4)),
                              (0.5, self.rng.randint(2, 9), 0.75), (10, 0, -3)])
            return self.try_add("da.arange(%s)" % ", ".join(lua_num(a) for a in args),
                                "np.arange(%s)" % ", ".join(py_num(a) for a in args), [], True)
        if r < 0.95:
            a, b, n = self.rng.randint(-3, 3), self.pick([1, 2.5, 7, -4]), self.rng.randint(0, 9)
            ep = self.chance(0.7)
            lopts = "" if ep else ", {endpoint = false}"
            return self.try_add("da.linspace(%s, %s, %d%s)" % (lua_num(a), lua_num(b), n, lopts),
                                "np.linspace(%s, %s, %d, endpoint=%s)" % (py_num(a), py_num(b), n,
                                                                         ep), [], True)
        n, d = self.rng.randint(1, 9), self.pick([None, 0.5, 2])
        f = self.pick(["fftfreq", "rfftfreq"])
        return self.try_add("da.fft.%s(%d%s)" % (f, n, ", " + lua_num(d) if d else ""),
                            "np.fft.%s(%d%s)" % (f, n, ", " + py_num(d) if d else ""), [], False,
                            flags={"fftfreq"})

    # ---- operations ---------------------------------------------------------------

    def scalar_for(self, v):
        vals = [2, 3, -1, 0, 1, 7, 0.5, -2.5, 1.25, 100000, 3000000000, 1e300, True]
        x = self.pick(vals)
        if v is not None and v.dtype == np.float32 and "float32_bigint" in KNOWN_OPEN:
            if isinstance(x, int) and not isinstance(x, bool) and not -32768 <= x <= 65535:
                x = 3
        return x

    def binary(self):
        a = self.any_var()
        if a is None:
            return None
        # a partner of a broadcastable shape, or a scalar
        if self.chance(0.25):
            b = None
            s = self.scalar_for(a)
        else:
            cands = self.vars_where(lambda v: self.broadcastable(a.shape, v.shape))
            b = self.pick(cands) if cands and self.chance(0.85) else self.any_var()
            s = None
        ops = [("+", "+", True), ("-", "-", True), ("*", "*", True), ("/", "/", True),
               ("//", "//", True), ("%", "%", True), ("^", "**", True)]
        fns = [("maximum", "np.maximum"), ("minimum", "np.minimum"), ("lt", "np.less"),
               ("le", "np.less_equal"), ("gt", "np.greater"), ("ge", "np.greater_equal"),
               ("eq", "np.equal"), ("ne", "np.not_equal"), ("logical_and", "np.logical_and"),
               ("logical_or", "np.logical_or"), ("logical_xor", "np.logical_xor")]
        operands = [a] + ([b] if b is not None else [])
        complex_in = any(v.dtype.kind == "c" for v in operands)
        swap = s is not None and self.chance(0.4)
        la, pa = a.name, a.name
        lb, pb = (b.name, b.name) if b is not None else (lua_num(s), py_num(s))
        if swap:
            la, lb, pa, pb = lb, la, pb, pa
        # Lua's ^ binds tighter than unary minus: -2 ^ x is -(2 ^ x)
        la, lb = ["(%s)" % t if t.startswith("-") else t for t in (la, lb)]
        deps = [v.name for v in operands]
        if self.chance(0.6):
            lop, pop, _ = self.pick(ops)
            if complex_in and lop in ("//", "%"):
                return None
            if complex_in and lop == "^":
                if b is not None or s != 2:
                    return None
            # discontinuous or ill-conditioned: only on exact operands
            exact_in = all(v.exact for v in operands)
            if lop in ("/", "//", "%", "^") and not exact_in:
                return None
            if lop == "^" and (b is not None and b.dtype.kind == "f" or isinstance(s, float)):
                exact = False  # pow() of floats: SLEEF and libm round differently
            else:
                exact = lop not in ("^",) or (s == 2 and not swap)
            if self.known_cast_issue(operands, s, pop):
                return None
            bools = all(v.dtype.kind == "b" for v in operands) and (b is not None or
                                                                   isinstance(s, bool))
            if bools and self.chance(0.3):
                lop, pop = self.pick([("&", "&"), ("|", "|"), ("~", "^")])
            py = "bop(lambda p, q: p %s q, %s, %s)" % (pop, pa, pb)
            names = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide",
                     "//": "floor_divide", "%": "remainder", "^": "power"}
            lua = "%s %s %s" % (la, lop, lb)
            if lop in names and self.chance(0.3):
                lua = "da.%s(%s, %s)" % (names[lop], la, lb)
            return self.try_add(lua, py, deps,
                                exact and not complex_in or lop in ("+", "-"))
        fn, pfn = self.pick(fns)
        if complex_in and fn not in ("eq", "ne"):
            return None
        if fn.startswith("logical") and not (all(v.dtype.kind == "b" for v in operands) and (
                b is not None or isinstance(s, bool))):
            return None  # cdask: logical_* of bool arrays only (docs/api.md)
        if fn not in ("maximum", "minimum") and not all(v.exact for v in operands):
            return None
        if self.known_cast_issue(operands, s, pfn):
            return None
        if fn in ("lt", "le", "gt", "ge", "eq", "ne") and not swap:
            lua = "%s:%s(%s)" % (la, fn, lb)
        else:
            lua = "da.%s(%s, %s)" % (pfn[3:], la, lb)
        return self.try_add(lua, "bop(%s, %s, %s)" % (pfn, pa, pb), deps, True)

    def known_cast_issue(self, operands, s, op):
        """KNOWN_OPEN complex_astype: a complex operand that promotion would cast."""
        if "complex_astype" not in KNOWN_OPEN:
            return False
        dts = [v.dtype for v in operands]
        if not any(d.kind == "c" for d in dts):
            return False
        try:
            t = np.result_type(*(dts + ([s] if s is not None else [])))
        except TypeError:
            return True
        return any(d.kind == "c" and d != t for d in dts) or (
            any(d.kind == "c" for d in dts) and len(operands) > 1 and any(
                v.value.ndim == 0 for v in operands))

    @staticmethod
    def broadcastable(s1, s2):
        for x, y in zip(reversed(s1), reversed(s2)):
            if x != y and x != 1 and y != 1:
                return False
        return True

    def unary(self):
        a = self.any_var()
        if a is None:
            return None
        r = self.rng.random()
        if r < 0.35:
            f = self.pick(FLOAT_FUNCS + ["abs", "negative"])
            if a.dtype.kind == "c" and f not in ("abs", "negative"):
                return None
            if f in ("log", "tan", "sqrt", "floor", "ceil") and not a.exact:
                return None
            if f in ("abs", "negative"):
                py = "fix(np.%s(%s))" % (f if f != "abs" else "abs", a.name)
                lua = "-%s" % a.name if f == "negative" and self.chance(0.5) else \
                    "da.%s(%s)" % (f, a.name)
                if a.dtype.kind == "c" and f == "abs":
                    return self.try_add(lua, py, [a.name], False)
                return self.try_add(lua, py, [a.name], True)
            exact = f in ("sqrt", "floor", "ceil")

            def mag_of(inmag, value, f=f):
                m = max_abs(value)
                if f == "exp":
                    return m * max(1.0, inmag)
                return max(m, inmag if f in ("sin", "cos") else m)
            return self.try_add("da.%s(%s)" % (f, a.name), "fl(np.%s, %s)" % (f, a.name),
                                [a.name], exact, mag_of=mag_of)
        if r < 0.5:
            f = self.pick(["isnan", "isfinite", "logical_not"])
            if f != "logical_not" and a.dtype.kind == "c" and "complex_isnan" in KNOWN_OPEN:
                return None
            if f == "logical_not" and a.dtype.kind != "b":
                return None  # bool arrays only
            return self.try_add("da.%s(%s)" % (f, a.name), "np.%s(%s)" % (f, a.name),
                                [a.name], True)
        if r < 0.75:
            t = self.pick(DTYPES)
            if a.dtype.kind == "c" and t != a.dtype.name and "complex_astype" in KNOWN_OPEN:
                return None
            if a.dtype.kind in "fc" and t in ("bool", "int32", "int64") and not a.exact:
                return None
            pt = "np.bool_" if t == "bool" else "np." + t
            return self.try_add('%s:astype("%s")' % (a.name, t),
                                "%s.astype(%s)" % (a.name, pt), [a.name], True)
        if r < 0.85:
            f = self.pick(["real", "imag", "conj", "angle"])
            if f == "real" and "hermitian" in KNOWN_OPEN and (
                    a.flags & {"fftfreq", "fft_nonfloat"}):
                return None
            lua = self.pick(["da.%s(%s)" % (f, a.name)] +
                            (["%s.%s" % (a.name, f)] if f in ("real", "imag") else []))
            return self.try_add(lua, "fix(np.%s(%s))" % (f, a.name), [a.name],
                                f != "angle")
        # clip
        if a.dtype.kind == "c":
            return None
        lo, hi = self.pick([(-1, 2), (0.5, None), (None, 3), (2, 1), (-2.5, 2.5)])
        if a.dtype == np.float32 and "float32_bigint" in KNOWN_OPEN:
            pass  # bounds are small
        lua = "%s(%s, %s, %s)" % ("da.clip" if self.chance(0.5) else "", a.name,
                                  "nil" if lo is None else lua_num(lo),
                                  "nil" if hi is None else lua_num(hi))
        if lua.startswith("("):
            lua = "%s:clip(%s, %s)" % (a.name, "nil" if lo is None else lua_num(lo),
                                       "nil" if hi is None else lua_num(hi))
        py = "bop(np.clip, %s, %s, %s)" % (a.name, "None" if lo is None else py_num(lo),
                                           "None" if hi is None else py_num(hi))
        return self.try_add(lua, py, [a.name], True)

    def where(self):
        c = self.any_var(lambda v: v.dtype.kind == "b")
        if c is None:
            return None
        a = self.any_var(lambda v: self.broadcastable(c.shape, v.shape))
        b = self.any_var(lambda v: self.broadcastable(c.shape, v.shape))
        f32 = self.any_var(lambda v: v.dtype == np.float32 and v in (a, b))
        la = a.name if a is not None and self.chance(0.8) else lua_num(self.scalar_for(f32))
        lb = b.name if b is not None and self.chance(0.8) else lua_num(2.5)
        pa = la if a is not None and la == a.name else py_num(eval(la.replace("true", "True")))
        pb = lb if b is not None and lb == b.name else py_num(2.5)
        ops = [v for v in (a, b) if v is not None and v.name in (la, lb)]
        if self.known_cast_issue(ops + [c], None, "where") or any(
                v.dtype.kind == "c" for v in ops) and "complex_astype" in KNOWN_OPEN and (
                len(ops) < 2 or ops[0].dtype != ops[1].dtype):
            return None
        return self.try_add("da.where(%s, %s, %s)" % (c.name, la, lb),
                            "bop(np.where, %s, %s, %s)" % (c.name, pa, pb),
                            [c.name] + [v.name for v in ops], True)

    def index_text(self, shape):
        items = []
        nd = len(shape)
        ell = nd > 1 and self.chance(0.15)
        k = 0
        while k < nd:
            n = shape[k]
            r = self.rng.random()
            if r < 0.12 and not ell:
                items.append("None")
                continue
            if r < 0.35 and n > 0:
                i = self.rng.randint(-n, n - 1) if self.chance(0.95) else n
                items.append(str(i))
            elif r < 0.45:
                items.append(":")
            else:
                st = self.pick(["", "", "", "1", "2", "-1", "-2", "3", "-3"])
                a = self.pick(["", "", str(self.rng.randint(-n - 2, n + 2))])
                b = self.pick(["", "", str(self.rng.randint(-n - 2, n + 2))])
                items.append("%s:%s%s" % (a, b, ":" + st if st else ""))
            k += 1
            if ell and k == 1 and nd > 1:
                items.append("...")
                break
        if self.chance(0.1):
            items.append("None")
        if not items:
            items = ["..."]
        return ", ".join(items)

    def view(self):
        a = self.any_var()
        if a is None:
            return None
        r = self.rng.random()
        nd = a.value.ndim
        if r < 0.4 and nd > 0:
            t = self.index_text(a.shape)
            if "," not in t and t.lstrip("-").isdigit() and self.chance(0.5):
                return self.try_add("%s[%s]" % (a.name, t), "%s[%s]" % (a.name, t), [a.name],
                                    True)
            return self.try_add('%s["%s"]' % (a.name, t), "%s[%s]" % (a.name, t), [a.name],
                                True)
        if r < 0.55:
            if nd >= 2 and self.chance(0.6):
                perm = list(range(nd))
                self.rng.shuffle(perm)
                return self.try_add("%s:transpose(%s)" % (a.name, lua_table(perm)),
                                    "np.transpose(%s, %r)" % (a.name, tuple(perm)), [a.name],
                                    True)
            return self.try_add(self.pick(["%s.T", "%s:transpose()", "da.transpose(%s)"])
                                % a.name, "%s.T" % a.name, [a.name], True)
        if r < 0.65:
            ones = [i for i, n in enumerate(a.shape) if n == 1]
            ax = self.pick([None] + ones + [self.rng.randint(-nd - 1, nd)])
            if nd == 0 and ax is not None:
                return None  # NumPy's squeeze(0-d, axis=0 or -1) quirk; cdask refuses
            if ax is None:
                return self.try_add("%s:squeeze()" % a.name, "np.squeeze(%s)" % a.name,
                                    [a.name], True)
            return self.try_add("da.squeeze(%s, %d)" % (a.name, ax),
                                "np.squeeze(%s, %d)" % (a.name, ax), [a.name], True)
        if r < 0.75:
            ax = self.rng.randint(-nd - 1, nd) if self.chance(0.9) else nd + 2
            if self.chance(0.2) and nd < 3:
                axes = sorted({self.rng.randint(0, nd + 1), self.rng.randint(0, nd + 1)})
                return self.try_add("da.expand_dims(%s, %s)" % (a.name, lua_table(axes)),
                                    "np.expand_dims(%s, %r)" % (a.name, tuple(axes)), [a.name],
                                    True)
            return self.try_add("da.expand_dims(%s, %d)" % (a.name, ax),
                                "np.expand_dims(%s, %d)" % (a.name, ax), [a.name], True)
        if r < 0.85:
            shape = list(a.shape)
            shape = [n if self.chance(0.8) or n != 1 else self.pick([2, 3]) for n in shape]
            if self.chance(0.5):
                shape = [self.pick([2, 3, 1])] + shape
            if self.chance(0.05):
                shape = shape[1:] + [9]
            return self.try_add("da.broadcast_to(%s, %s)" % (a.name, lua_table(shape)),
                                "np.broadcast_to(%s, %r)" % (a.name, tuple(shape)), [a.name],
                                True)
        ch = self.chunks(a.shape) or "2"
        v = self.try_add("%s:rechunk(%s)" % (a.name, ch), a.name, [a.name], True)
        if v is not None and "reshaped" in a.flags:
            v.flags.add("reshaped")
        return v

    def reshape(self):
        a = self.any_var()
        if a is None:
            return None
        n = a.value.size
        r = self.rng.random()
        if r < 0.3:
            lua, py = self.pick([("%s:ravel()", "np.ravel(%s)"), ("%s:flatten()",
                                                                 "%s.flatten()")])
            lua, py = lua % a.name, py % a.name
        else:
            divs = [d for d in range(1, n + 1) if n % d == 0] or [1]
            d = self.pick(divs)
            shape = self.pick([[d, -1], [-1, d], [d, n // d if d else 0], [n], [-1],
                               [1, d, -1], [d + 1, -1]])
            lua = "%s:reshape(%s)" % (a.name, lua_table(shape))
            if self.chance(0.3) and len(shape) > 1:
                lua = "%s:reshape(%s)" % (a.name, ", ".join(map(str, shape)))
            py = "np.reshape(%s, %r)" % (a.name, tuple(shape))
        return self.try_add(lua, py, [a.name], True, flags={"reshaped"})

    def join(self):
        a = self.any_var(lambda v: v.value.ndim > 0) if self.chance(0.95) else self.any_var()
        if a is None:
            return None
        nd = a.value.ndim
        stack = self.chance(0.3)
        ax = self.rng.randint(-nd - (1 if stack else 0), nd - (0 if stack else 1)) \
            if nd else 0
        if stack:
            cands = self.vars_where(lambda v: v.shape == a.shape)
        else:
            k = ax % nd if nd else 0
            cands = self.vars_where(lambda v: v.value.ndim == nd and all(
                v.shape[i] == a.shape[i] for i in range(nd) if i != k))
        others = [self.pick(cands) for _ in range(self.rng.randint(0, 2))] if cands else []
        if self.chance(0.08):
            others.append(self.any_var())
        arrs = [a] + others
        if "complex_astype" in KNOWN_OPEN and any(v.dtype.kind == "c" for v in arrs) and len(
                {v.dtype for v in arrs}) > 1:
            return None
        names = [v.name for v in arrs]
        f = "stack" if stack else "concatenate"
        lua = "da.%s(%s%s)" % (f, lua_table(names), ", %d" % ax if ax or self.chance(0.5)
                               else "")
        py = "np.%s([%s], %d)" % (f, ", ".join(names), ax)
        v = self.try_add(lua, py, names, True)
        if v is not None and len(arrs) == 1 and not stack and "reshaped" in a.flags:
            v.flags.add("reshaped")  # the concatenation of one array is that array
        return v

    def reduce(self):
        a = self.any_var()
        if a is None:
            return None
        nd = a.value.ndim
        f = self.pick(["sum", "mean", "min", "max", "prod", "std", "var", "argmin", "argmax",
                       "any", "all", "nansum", "nanmean", "nanmax", "nanmin"])
        if a.dtype.kind == "c" and f not in ("sum", "prod", "mean"):
            return None
        if f in ("argmin", "argmax") and nd == 0 and "argminmax_0d" in KNOWN_OPEN:
            return None
        single = f in ("argmin", "argmax")
        r = self.rng.random()
        if r < 0.3 or nd == 0:
            axis = None
        elif r < 0.7 or single:
            axis = self.rng.randint(-nd, nd - 1) if self.chance(0.95) else nd
        else:
            axis = tuple(sorted(self.rng.sample(range(nd), self.rng.randint(0, nd))))
        keep = self.chance(0.3)
        ddof = self.pick([0, 0, 1]) if f in ("std", "var") else 0
        form = self.rng.random()
        lax = "nil" if axis is None else lua_table(axis) if isinstance(axis, tuple) else str(axis)
        opts = []
        if keep:
            opts.append("keepdims = true")
        if ddof:
            opts.append("ddof = %d" % ddof)
        if axis == () and not opts and form < 0.85:
            form = 0.9  # a lone {} is the options table (docs/api.md): axis = {} spells ()
        if form < 0.5 and not opts:
            lua = "%s:%s(%s)" % (a.name, f, "" if axis is None else lax)
        elif form < 0.75 and opts:
            lua = "%s:%s(%s, {%s})" % (a.name, f, lax, ", ".join(opts))
        elif form < 0.85 and f not in ("var", "std", "any", "all"):
            fname = {"min": "amin", "max": "amax"}.get(f, f) if self.chance(0.5) else f
            lua = "da.%s(%s%s%s)" % (fname, a.name, ", " + lax,
                                     ", {%s}" % ", ".join(opts) if opts else "")
        else:
            lua = "%s:%s{%s}" % (a.name, f, ", ".join(["axis = %s" % lax] + opts))
        pargs = ["axis=%r" % (axis,)]
        if keep:
            pargs.append("keepdims=True")
        if ddof:
            pargs.append("ddof=%d" % ddof)
        py = "fix(np.%s(%s, %s))" % (f, a.name, ", ".join(pargs))
        exact = f in ("min", "max", "argmin", "argmax", "any", "all", "nanmin", "nanmax")
        if f in ("argmin", "argmax", "nanmin", "nanmax", "min", "max") and not a.exact:
            if f in ("argmin", "argmax"):
                return None

        def mag_of(inmag, value, f=f):
            count = max(1, a.value.size // max(1, value.size))
            if f in ("var", "std"):
                return max(inmag, 1.0) ** 2 * count
            if f == "prod":
                return max_abs(value) * count
            return max(inmag * count, max_abs(value))
        return self.try_add(lua, py, [a.name], exact, mag_of=mag_of)

    def cumulate(self):
        a = self.any_var(lambda v: v.dtype.kind != "c")
        if a is None:
            return None
        nd = a.value.ndim
        f = self.pick(["cumsum", "cumprod"])
        axis = None if self.chance(0.3) or nd == 0 else self.rng.randint(-nd, nd - 1)
        lua = self.pick(["%s:%s(%s)" % (a.name, f, "" if axis is None else axis),
                         "da.%s(%s%s)" % (f, a.name, "" if axis is None else ", %d" % axis)])
        return self.try_add(lua, "np.%s(%s, axis=%r)" % (f, a.name, axis), [a.name], True,
                            mag_of=lambda inmag, value: max(max_abs(value), inmag * a.value.size))

    def fft(self):
        # finite inputs only: how inf and NaN spread through a transform depends on its
        # algorithm (FFTW's and pocketfft's differ), not on a contract
        a = self.any_var(lambda v: v.value.ndim > 0 and 0 not in v.shape and bool(
            np.isfinite(v.value).all()))
        if a is None:
            return None
        nd = a.value.ndim
        f = self.pick(["fft", "ifft", "rfft", "irfft", "fft2", "ifft2", "rfft2", "irfft2",
                       "fftn", "ifftn", "rfftn", "irfftn", "fftshift", "ifftshift"])
        flags = set()
        if a.dtype.kind in "bi":
            flags.add("fft_nonfloat")
        norm = self.pick([None, None, "ortho", "forward", "backward"])
        largs, pargs = [], []
        if f in ("fftshift", "ifftshift"):
            if self.chance(0.5):
                ax = self.rng.randint(-nd, nd - 1)
                largs, pargs = [str(ax)], ["axes=%d" % ax]
            return self.try_add("da.fft.%s(%s)" % (f, ", ".join([a.name] + largs)),
                                "np.fft.%s(%s)" % (f, ", ".join([a.name] + pargs)), [a.name],
                                True)
        if f.startswith("r") and a.dtype.kind == "c":
            return None
        if f in ("fft", "ifft", "rfft", "irfft"):
            n = self.pick([None, None, 1, 3, 4, 8, 5])
            ax = self.pick([None, -1, 0, nd - 1])
            largs = [lua_num(n) if n else "nil", "nil" if ax is None else str(ax)]
            pargs = ["n=%r" % n, "axis=%d" % (-1 if ax is None else ax)]
        else:
            k = 2 if f.endswith("2") else self.rng.randint(1, nd)
            if k > nd:
                return None
            axes = sorted(self.rng.sample(range(nd), k))
            s = [self.pick([2, 3, 4, 5]) for _ in axes] if self.chance(0.3) else None
            largs = [lua_table(s) if s else "nil", lua_table(axes) if self.chance(0.7) or
                     f.endswith("2") and axes != [nd - 2, nd - 1] else "nil"]
            if largs[1] == "nil" and not f.endswith("2"):
                axes = list(range(nd))
                if s:
                    s = s[:nd] + [3] * (nd - len(s))
                    largs[0] = lua_table(s)
            elif largs[1] == "nil":
                axes = [nd - 2, nd - 1]
            pargs = ["s=%r" % (tuple(s) if s else None,), "axes=%r" % (tuple(axes),)]
        if norm:
            largs.append('"%s"' % norm)
            pargs.append('norm="%s"' % norm)
        while largs and largs[-1] == "nil":
            largs.pop()
        if "hermitian" in KNOWN_OPEN and f.startswith("i") and (a.flags & {"fftfreq",
                                                                         "fft_nonfloat"}):
            flags.add("fft_nonfloat")

        def mag_of(inmag, value):
            return max(inmag, 1.0) * max(1, a.value.size) * 4
        return self.try_add("da.fft.%s(%s)" % (f, ", ".join([a.name] + largs)),
                            "tr(np.fft.%s, %s)" % (f, ", ".join([a.name] + pargs)), [a.name],
                            False, mag_of=mag_of, flags=flags)

    def output(self):
        v = self.any_var()
        if v is None:
            return
        if "reshaped" in v.flags and "reshape_output" in KNOWN_OPEN:
            return
        if v.dtype.kind != "c" and v.value.size <= 200 and self.chance(0.35):
            label = "p%d" % self.nout
            self.stmts.append(Stmt(None, 'da.print(%s, "%s")' % (v.name, label),
                                   "show(%r, %s)" % (label, v.name), [v.name],
                                   output=("print", label, v.name)))
        else:
            fname = "out%d.npy" % self.nout
            lname = fname if self.chance(0.5) else fname[:-4]
            self.stmts.append(Stmt(None, 'da.to_npy(%s, "%s")' % (v.name, lname),
                                   "save(%r, %s)" % (fname, v.name), [v.name],
                                   output=("npy", fname, v.name)))
        self.nout += 1

    def generate(self):
        for _ in range(self.rng.randint(2, 4)):
            self.source()
        makers = [(self.source, 1), (self.binary, 5), (self.unary, 4), (self.where, 1),
                  (self.view, 4), (self.reshape, 1.2), (self.join, 1.2), (self.reduce, 3),
                  (self.cumulate, 1), (self.fft, 1.5)]
        total = sum(w for _, w in makers)
        steps = 0
        while steps < self.nsteps:
            x = self.rng.random() * total
            for f, w in makers:
                x -= w
                if x <= 0:
                    break
            if f() is not None:
                steps += 1
                if self.chance(0.3):
                    self.output()
        self.output()
        return self


# ---- writing programs ----------------------------------------------------------------


def lua_text(stmts):
    lines = ['local da = require("cdask.array")']
    for s in stmts:
        lines.append(s.lua if s.var is None else "local %s = %s" % (s.var, s.lua))
    return "\n".join(lines) + "\n"


def lua_line(stmts, stmt):
    """the line of stmt in lua_text(stmts)"""
    return 2 + stmts.index(stmt)


def py_text(stmts):
    lines = [PRELUDE.rstrip(), ""]
    for s in stmts:
        lines.append(s.py if s.var is None else "%s = %s" % (s.var, s.py))
    return "\n".join(lines) + "\n"


def needed(stmts, roots):
    """the statements the names in roots depend on, in program order"""
    want = set(roots)
    keep = []
    for s in reversed(stmts):
        if s.var in want or (s.var is None and s in roots):
            keep.append(s)
            want.update(s.deps)
    return list(reversed(keep))


def slice_for_output(stmts, out):
    want = set(out.deps)
    keep = [out]
    for s in reversed(stmts[:stmts.index(out)]):
        if s.var in want:
            keep.append(s)
            want.update(s.deps)
    return list(reversed(keep))
