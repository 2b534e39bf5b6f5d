"""Harness for the end-to-end pipeline tests (tests/pipelines/NAME.lua + NAME.py).

An oracle NAME.py may define:
  setup(dir)      optional: writes input files (e.g. .npy) into the temp dir before compiling
  expected(dir)   required: returns {"file.npy": ndarray, "print:label": value, ...}
                  (it may raise, e.g. an AssertionError on a property of a random output)
  RTOL, ATOL      optional tolerances for floating values (default 1e-12, 0)
  ARGS            optional extra arguments for the program (default none)
  OUT_DIR         optional sub-directory passed as --out (created by the harness) where
                  the .npy outputs are looked for

Each case: fresh temp dir, setup(dir), copy NAME.lua into it, `cdaskc NAME.lua -o prog` (cwd
= temp dir), `./prog --threads 2 [ARGS]`, then compare every expected entry:
  .npy    same shape, same dtype; integer/bool exactly; floats within rtol/atol with NaN
          and +-inf at the same positions
  print:  the `label = value` lines of stdout; a str value is compared as text, an ndarray
          (ndim >= 1) against numpy's str(), a bool scalar as True/False, an integer scalar
          exactly, a float scalar with float() within rtol/atol.
"""

import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
import traceback

import numpy as np

DEFAULT_RTOL = 1e-12
DEFAULT_ATOL = 0.0
COMPILE_TIMEOUT = 180
RUN_TIMEOUT = 60

_LABEL_RE = re.compile(r"^([^\s\[\]][^=]*?) = (.*)$")


def source_dir():
    return os.environ.get("CDASK_SOURCE") or os.path.dirname(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def build_dir():
    return os.environ.get("CDASK_BUILD") or os.path.join(source_dir(), "build")


def pipelines_dir():
    return os.path.join(source_dir(), "tests", "pipelines")


def discover():
    """Names of the cases: every NAME.lua with a NAME.py next to it."""
    d = pipelines_dir()
    names = []
    for f in sorted(os.listdir(d)):
        if f.endswith(".lua") and os.path.exists(os.path.join(d, f[:-4] + ".py")):
            names.append(f[:-4])
    return names


def load_oracle(name):
    path = os.path.join(pipelines_dir(), name + ".py")
    spec = importlib.util.spec_from_file_location("cdask_oracle_" + name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def parse_prints(stdout):
    """{label: text} from `label = value` lines; lines that do not start a new label
    (the rest of a multi-line array) are appended to the previous value."""
    out = {}
    last = None
    for line in stdout.splitlines():
        m = _LABEL_RE.match(line)
        if m:
            last = m.group(1)
            out[last] = m.group(2)
        elif last is not None:
            out[last] += "\n" + line
    return out


def _fmt_idx(idx):
    return "(" + ", ".join(str(int(i)) for i in idx) + ")"


def compare_arrays(got, want, rtol, atol):
    """None if equal enough, else a reason."""
    want = np.asarray(want)
    if got.shape != want.shape:
        return "shape %s, expected %s" % (got.shape, want.shape)
    if got.dtype != want.dtype:
        return "dtype %s, expected %s" % (got.dtype, want.dtype)
    if want.size == 0:
        return None
    if want.dtype.kind in "biuSU":
        if np.array_equal(got, want):
            return None
        bad = np.argwhere(got != want)
        i = tuple(bad[0])
        return "%d/%d elements differ; first at %s: got %r, expected %r" % (
            len(bad), want.size, _fmt_idx(i), got[i].item(), want[i].item())
    g = got.astype(np.float64) if want.dtype.kind == "f" else got.astype(np.complex128)
    w = want.astype(g.dtype)
    gnan, wnan = np.isnan(g), np.isnan(w)
    if not np.array_equal(gnan, wnan):
        i = tuple(np.argwhere(gnan != wnan)[0])
        return "NaN positions differ; first at %s: got %r, expected %r" % (
            _fmt_idx(i), got[i].item(), want[i].item())
    ginf, winf = np.isinf(g), np.isinf(w)
    if not np.array_equal(ginf, winf) or not np.array_equal(g[winf], w[winf]):
        i = tuple(np.argwhere((ginf != winf) | (winf & (g != w)))[0])
        return "inf positions differ; first at %s: got %r, expected %r" % (
            _fmt_idx(i), got[i].item(), want[i].item())
    fin = ~(wnan | winf)
    with np.errstate(all="ignore"):
        err = np.where(fin, np.abs(g - w), 0.0)
        tol = atol + rtol * np.abs(np.where(fin, w, 0.0))
        bad = err > tol
    if bad.any():
        idx = np.argwhere(bad)
        i = tuple(idx[0])
        with np.errstate(all="ignore"):
            rel = np.max(np.where(bad, err / np.maximum(np.abs(w), 1e-300), 0.0))
        return ("%d/%d elements out of tolerance (rtol=%g atol=%g, max rel err %.3g); "
                "first at %s: got %r, expected %r" % (
                    len(idx), want.size, rtol, atol, rel, _fmt_idx(i),
                    got[i].item(), want[i].item()))
    return None


def compare_print(text, want, rtol, atol):
    """None if the printed text matches the expected value, else a reason."""
    text = text.strip()
    if isinstance(want, str):
        return None if text == want.strip() else "printed %r, expected %r" % (text, want)
    arr = np.asarray(want)
    if arr.ndim >= 1:
        exp = str(arr)
        return None if text == exp else "printed %r, expected %r" % (text, exp)
    v = arr.item()
    if arr.dtype.kind == "b":
        exp = "True" if v else "False"
        return None if text == exp else "printed %r, expected %r" % (text, exp)
    if arr.dtype.kind in "iu":
        try:
            g = int(text)
        except ValueError:
            return "printed %r, expected the integer %d" % (text, v)
        return None if g == v else "printed %d, expected %d" % (g, v)
    try:
        g = float(text)
    except ValueError:
        return "printed %r, expected a number close to %r" % (text, v)
    if np.isnan(v) or np.isnan(g):
        return None if (np.isnan(v) and np.isnan(g)) else "printed %r, expected %r" % (text, v)
    if np.isinf(v) or np.isinf(g):
        return None if g == v else "printed %r, expected %r" % (text, v)
    if abs(g - v) <= atol + rtol * abs(v):
        return None
    return "printed %r, expected %r (rel err %.3g)" % (text, v, abs(g - v) / max(abs(v), 1e-300))


def _why(s):
    """The first line that names an error (e.g. the C compiler's), else the last lines."""
    lines = [l.strip() for l in s.strip().splitlines() if l.strip()]
    errs = [l for l in lines if "error" in l.lower()]
    if errs:
        return errs[0] if errs[0] == lines[-1] else errs[0] + " | " + lines[-1]
    return " | ".join(lines[-3:])


def run_case(name, keep=False):
    """(ok, reason)."""
    tmp = tempfile.mkdtemp(prefix="cdask_pl_%s_" % name)
    try:
        try:
            oracle = load_oracle(name)
        except Exception as e:  # pragma: no cover - a broken oracle
            return False, "oracle import: %s: %s" % (type(e).__name__, e)
        rtol = float(getattr(oracle, "RTOL", DEFAULT_RTOL))
        atol = float(getattr(oracle, "ATOL", DEFAULT_ATOL))
        if hasattr(oracle, "setup"):
            try:
                oracle.setup(tmp)
            except Exception as e:
                return False, "oracle setup: %s: %s" % (type(e).__name__, e)
        script = name + ".lua"
        shutil.copy(os.path.join(pipelines_dir(), script), os.path.join(tmp, script))
        cdaskc = os.path.join(build_dir(), "cdaskc")
        try:
            c = subprocess.run([cdaskc, script, "-o", "prog"], cwd=tmp, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True,
                               timeout=COMPILE_TIMEOUT)
        except subprocess.TimeoutExpired:
            return False, "compile: timed out after %ds" % COMPILE_TIMEOUT
        if c.returncode != 0:
            return False, "compile: exit %d: %s" % (c.returncode, _why(c.stderr + c.stdout))
        args = ["./prog", "--threads", "2"] + list(getattr(oracle, "ARGS", []))
        out_dir = getattr(oracle, "OUT_DIR", None)
        res_dir = tmp
        if out_dir:
            res_dir = os.path.join(tmp, out_dir)
            os.makedirs(res_dir, exist_ok=True)
            args += ["--out", out_dir]
        try:
            r = subprocess.run(args, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True, timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            return False, "run: timed out after %ds" % RUN_TIMEOUT
        if r.returncode != 0:
            return False, "run: exit %d: %s" % (r.returncode, _why(r.stderr + r.stdout))
        try:
            with np.errstate(all="ignore"):
                want = oracle.expected(tmp)
        except Exception as e:
            tb = traceback.extract_tb(e.__traceback__)[-1]
            return False, "oracle expected(): %s: %s (line %d)" % (type(e).__name__, e, tb.lineno)
        prints = parse_prints(r.stdout)
        reasons = []
        for key in sorted(want):
            w = want[key]
            if key.startswith("print:"):
                label = key[len("print:"):]
                if label not in prints:
                    reasons.append("%s: no `%s = ...` line in stdout" % (key, label))
                    continue
                why = compare_print(prints[label], w, rtol, atol)
            else:
                path = os.path.join(res_dir, key)
                if not os.path.exists(path):
                    reasons.append("%s: not written" % key)
                    continue
                try:
                    got = np.load(path, allow_pickle=False)
                except Exception as e:
                    reasons.append("%s: unreadable: %s" % (key, e))
                    continue
                why = compare_arrays(got, w, rtol, atol)
            if why:
                reasons.append("%s: %s" % (key, why))
        if reasons:
            return False, "; ".join(reasons)
        return True, "%d checks" % len(want)
    finally:
        if keep:
            print("  (kept %s)" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
