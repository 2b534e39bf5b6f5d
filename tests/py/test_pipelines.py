#!/usr/bin/python3
"""End-to-end pipelines: every tests/pipelines/NAME.lua with a NumPy oracle NAME.py is
compiled with $CDASK_BUILD/cdaskc, run with --threads 2, and its outputs (.npy files and
`label = value` prints) are compared with what the oracle computes (see pipeline_harness.py).

Usage: test_pipelines.py [--keep] [NAME...]   (default: all cases; --keep keeps temp dirs)
Prints one PASS/FAIL line per case, then "N passed, M failed"; exits 1 if any failed."""

import os
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pipeline_harness as ph  # noqa: E402

WORKERS = 2


def main(argv):
    warnings.simplefilter("ignore")  # the oracles' NumPy warnings (0/0, log(-1)) are expected
    keep = "--keep" in argv
    names = [a for a in argv if not a.startswith("--")]
    known = ph.discover()
    if names:
        unknown = [n for n in names if n not in known]
        if unknown:
            print("unknown case(s): %s" % ", ".join(unknown))
            print("0 passed, %d failed" % len(unknown))
            return 1
    else:
        names = known
    cdaskc = os.path.join(ph.build_dir(), "cdaskc")
    if not os.access(cdaskc, os.X_OK):
        print("FAIL: no compiler at %s (set CDASK_BUILD)" % cdaskc)
        print("0 passed, %d failed" % len(names))
        return 1
    passed = failed = 0
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for name, (ok, why) in zip(names, pool.map(lambda n: ph.run_case(n, keep), names)):
            print("%s %s: %s" % ("PASS" if ok else "FAIL", name, why), flush=True)
            if ok:
                passed += 1
            else:
                failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
