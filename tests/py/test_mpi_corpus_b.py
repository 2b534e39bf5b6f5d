#!/usr/bin/python3
"""cdaskc --mpi over the corpus, part b of 3: every third case (from the second) of the
pipelines of tests/pipelines and the examples/*.lua, built without and with --mpi, run with
mpirun -np 1..4, writes and prints the single-node program's bits (tests/py/mpi_corpus.py
says how). Three parts, three CTest entries: each stays within a few minutes on two cores.

Usage: test_mpi_corpus_b.py [NAME...]   (only those cases: a pipeline's NAME or an
example's NAME.lua)"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mpi_corpus  # noqa: E402

if __name__ == "__main__":
    sys.exit(mpi_corpus.main(1, 3, sys.argv[1:]))
