#!/usr/bin/python3
"""cdaskc --mpi over the pipeline corpus, half b: every other pipeline of tests/pipelines
(sorted, starting with the second), built without and with --mpi, runs with mpirun -np 1..4 and
writes and prints the single-node program's bits (tests/py/mpi_corpus.py says how). Two
halves, two CTest entries: each stays under a few minutes on two cores.

Usage: test_mpi_corpus_b.py [NAME...]   (only those pipelines)"""

import os
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import mpi_corpus as mc  # noqa: E402


def main():
    R = tl.Results()
    if mc.mpi_missing(R):
        return R.finish()
    warnings.simplefilter("ignore")  # the oracles' setup() may warn (a cast overflows)
    t0 = time.time()
    names = sys.argv[1:] or mc.corpus_names()[1::2]
    mc.run_cases(R, [lambda n=n: mc.corpus_case(n) for n in names])
    print("(%.0f s)" % (time.time() - t0))
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
