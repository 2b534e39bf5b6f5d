#!/usr/bin/python3
"""Make synthetic inputs for ska_deconvolution.lua: point sources on an empty sky, seen
through a radio telescope's beam (the PSF), plus noise.

Writes to DIR, every array float64, N x N, C order:

  sky.npy       the true sky: K point sources, fluxes uniform in [1, 10], at distinct
                random pixels at least 8 pixels apart (in both directions) and at least
                min(16, N // 8) pixels from the border
  psf.npy       the beam, peak 1 at (N // 2, N // 2): an elliptical Gaussian main lobe
                (FWHM 5.9 x 3.8 pixels, position angle 30 degrees), a ring of alternating
                positive and negative sidelobes (about -2% to +4%) and three point-symmetric
                pairs of 10% "arm" sidelobes 10 to 14 pixels out; zero beyond 256 pixels
  dirty.npy     real(ifft2(fft2(sky) * fft2(ifftshift(psf)))) + normal(0, SIGMA) noise:
                the sky circularly convolved with the beam (computed with rfft2/irfft2, the
                same values for real arrays)
  sources.txt   one source per line, "row col flux", brightest first

The output depends only on the arguments: numpy.random.default_rng(SEED) draws the
positions, then the fluxes, then the noise.

  /usr/bin/python3 examples/make_ska_inputs.py --size 512 --out /tmp/ska"""
import argparse
import math
import os
import sys

import numpy as np

MIN_SIZE = 32
MIN_SEP = 8        # pixels between two sources, in both directions (Chebyshev distance)
PSF_WINDOW = 512   # the beam is computed on a centred window of at most this size


def positions(rng, n, k):
    """k distinct pixels, at least MIN_SEP apart and away from the border, in draw order."""
    margin = max(2, min(16, n // 8))
    taken = np.zeros((n, n), bool)
    out = []
    for _ in range(100 * k + 1000):
        if len(out) == k:
            break
        r, c = (int(v) for v in rng.integers(margin, n - margin, size=2))
        if taken[r, c]:
            continue
        out.append((r, c))
        taken[max(r - MIN_SEP + 1, 0):r + MIN_SEP, max(c - MIN_SEP + 1, 0):c + MIN_SEP] = True
    if len(out) < k:
        sys.exit(f"make_ska_inputs.py: cannot place {k} sources {MIN_SEP} pixels apart in a "
                 f"{n}x{n} image (margin {margin}): use fewer sources or a larger --size")
    return out


def beam(n):
    """The PSF: peak 1 at (n // 2, n // 2), computed on a centred window, zero outside."""
    w = min(n, PSF_WINDOW)
    lo = n // 2 - w // 2
    y, x = np.mgrid[lo - n // 2:lo - n // 2 + w, lo - n // 2:lo - n // 2 + w].astype(float)
    pa = math.radians(30)
    u = x * math.cos(pa) + y * math.sin(pa)
    v = -x * math.sin(pa) + y * math.cos(pa)
    r = np.hypot(x, y)
    main = np.exp(-0.5 * ((u / 2.5) ** 2 + (v / 1.6) ** 2))
    ring = 0.08 * np.cos(2 * math.pi * r / 7) * np.exp(-r / 20) * (1 - np.exp(-0.5 * (r / 4) ** 2))
    arms = np.zeros_like(r)
    for radius, angle in ((10, 20), (12, 80), (14, 140)):
        cy, cx = radius * math.sin(math.radians(angle)), radius * math.cos(math.radians(angle))
        for s in (1, -1):  # point-symmetric pairs, as a real beam is
            arms += 0.1 * np.exp(-0.5 * ((x - s * cx) ** 2 + (y - s * cy) ** 2) / 1.5 ** 2)
    window = main + ring + arms
    window /= window[n // 2 - lo, n // 2 - lo]
    assert window.argmax() == (n // 2 - lo) * w + n // 2 - lo, "the beam's peak is off centre"
    psf = np.zeros((n, n))
    psf[lo:lo + w, lo:lo + w] = window
    return psf


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=512, metavar="N", help=f"image size N x N (default 512, at least {MIN_SIZE})")
    ap.add_argument("--sources", type=int, default=20, metavar="K", help="number of point sources (default 20)")
    ap.add_argument("--seed", type=int, default=0, metavar="S", help="seed of numpy.random.default_rng (default 0)")
    ap.add_argument("--noise", type=float, default=0.01, metavar="SIGMA",
                    help="standard deviation of the Gaussian noise added to the dirty image (default 0.01)")
    ap.add_argument("--out", default=".", metavar="DIR", help="output directory, created if missing (default .)")
    args = ap.parse_args()
    if args.size < MIN_SIZE:
        ap.error(f"--size must be at least {MIN_SIZE}, got {args.size}")
    if args.sources < 1:
        ap.error(f"--sources must be at least 1, got {args.sources}")
    if args.seed < 0:
        ap.error(f"--seed must be non-negative, got {args.seed}")
    if not (args.noise >= 0 and math.isfinite(args.noise)):
        ap.error(f"--noise must be a finite number >= 0, got {args.noise}")

    n, rng = args.size, np.random.default_rng(args.seed)
    where = positions(rng, n, args.sources)
    flux = np.sort(rng.uniform(1, 10, args.sources))[::-1]
    sky = np.zeros((n, n))
    for (r, c), f in zip(where, flux):
        sky[r, c] = f
    psf = beam(n)
    dirty = np.fft.irfft2(np.fft.rfft2(sky) * np.fft.rfft2(np.fft.ifftshift(psf)), s=(n, n))
    if args.noise > 0:
        dirty += rng.normal(0, args.noise, (n, n))

    os.makedirs(args.out, exist_ok=True)
    for name, a in (("sky", sky), ("psf", psf), ("dirty", dirty)):
        np.save(os.path.join(args.out, name + ".npy"), np.ascontiguousarray(a, dtype=np.float64))
    with open(os.path.join(args.out, "sources.txt"), "w") as f:
        f.writelines(f"{r} {c} {v!r}\n" for (r, c), v in zip(where, flux))


if __name__ == "__main__":
    main()
