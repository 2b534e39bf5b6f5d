"""examples/ska_deconvolution.lua as a user runs it: synthetic inputs from
examples/make_ska_inputs.py (point sources, a beam with sidelobes, noise), then the restored
images against tests/py/ska_reference.py (NumPy: relative L2 error <= 1e-10), and the
brightest sources of the restored sky at the pixels where they were put. Two sizes, one
odd, with the default and with explicit chunks."""

import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ska_reference as ska  # noqa: E402
from cdask_testlib import CDASKC, SRC, Results, run  # noqa: E402

EXAMPLE = os.path.join(SRC, "examples", "ska_deconvolution.lua")


def main():
    r = Results()
    for size, sources, chunked in ((256, 12, False), (301, 15, True)):
        with tempfile.TemporaryDirectory() as d:
            p = run(["/usr/bin/python3", os.path.join(SRC, "examples", "make_ska_inputs.py"),
                     "--size", str(size), "--sources", str(sources), "--seed", "7", "--out", d])
            if not r.check(p.returncode == 0, "inputs %d" % size, p.stderr):
                continue
            text = open(EXAMPLE).read()
            if chunked:  # the same pipeline over chunks that do not divide the image
                text = text.replace('da.from_npy("dirty.npy")',
                                    'da.from_npy("dirty.npy", {chunks = {64, 100}})')
                text = text.replace('da.from_npy("psf.npy")',
                                    'da.from_npy("psf.npy", {chunks = {128, 37}})')
            with open(os.path.join(d, "ska.lua"), "w") as f:
                f.write(text)
            p = run([CDASKC, "ska.lua", "-o", "ska"], cwd=d, timeout=300)
            if not r.check(p.returncode == 0, "compiles (%d)" % size, p.stderr):
                continue
            p = run([os.path.join(d, "ska"), "--threads", "2"], cwd=d)
            if not r.check(p.returncode == 0, "runs (%d)" % size, p.stderr):
                continue
            dirty = np.load(os.path.join(d, "dirty.npy"))
            psf = np.load(os.path.join(d, "psf.npy"))
            truth = sorted((row, col) for row, col, _ in ska.read_sources(os.path.join(d, "sources.txt")))
            for name, ref in (("wiener", ska.wiener(dirty, psf)),
                              ("wiener_hunt", ska.wiener_hunt(dirty, psf))):
                got = np.load(os.path.join(d, name + ".npy"))
                err = np.linalg.norm(got - ref) / np.linalg.norm(ref)
                r.check(got.shape == ref.shape and err <= 1e-10,
                        "%s %d matches NumPy" % (name, size), "rel L2 %g" % err)
                found = sorted(ska.brightest(got, len(truth)))
                r.check(found == truth, "%s %d: the %d brightest sources are where they were put"
                        % (name, size, len(truth)), "found %s, want %s" % (found, truth))
    r.finish()


if __name__ == "__main__":
    main()
