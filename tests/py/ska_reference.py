"""NumPy oracle for examples/ska_deconvolution.lua (imported by the tests, not a test itself).

Both restorations are Wiener filters in the Fourier domain, with

    H = fft2(ifftshift(psf))   the transfer function of the beam (psf centred at (N//2, N//2))
    D = fft2(dirty)

and return the restored sky real(ifft2(X)).

The defaults LAMBDA = 0.1 and MU = 0.01 were chosen on make_ska_inputs.py's inputs (its
beam, noise 0.01, fluxes 1 to 10; 16 inputs of 512x512 with 20 sources and 1024x1024 with
50, seeds 0 to 7): brightest(restored, K) returned exactly the K true positions on all 16
for lam in [0.01, 1] and mu in [0.001, 0.3], and the faintest true peak stood highest above
the brightest false one (1.7 to 1.9 times) around lam = 0.1 and mu = 0.01. The customary
1e-3 amplifies the noise too much for the plain Wiener filter: it missed sources on 2 of 6
512x512 inputs, and 8 of 1000 sources on a 4096x4096 input where lam = 0.1 finds all.
"""
import numpy as np

LAMBDA = 0.1  # default regularization of wiener() (see above)
MU = 0.01     # default weight of the Laplacian in wiener_hunt() (see above)

LAPLACIAN = np.array([[0., -1., 0.], [-1., 4., -1.], [0., -1., 0.]])


def transfer(psf):
    """H = fft2(ifftshift(psf)): the beam moved from (N//2, N//2) to [0, 0], transformed."""
    return np.fft.fft2(np.fft.ifftshift(psf))


def laplacian_transfer(shape):
    """L = fft2(ifftshift(K)), K the 3x3 Laplacian [[0,-1,0],[-1,4,-1],[0,-1,0]] centred at
    (N//2, N//2) in a zero image of the given shape (placed like the PSF)."""
    k = np.zeros(shape)
    r, c = shape[0] // 2, shape[1] // 2
    k[r - 1:r + 2, c - 1:c + 2] = LAPLACIAN
    return np.fft.fft2(np.fft.ifftshift(k))


def wiener(dirty, psf, lam=LAMBDA):
    """Wiener deconvolution: X = conj(H) D / (|H|^2 + lam); returns real(ifft2(X)).

    lam is the noise-to-signal power ratio, taken constant over frequency: frequencies
    where |H|^2 >> lam are restored (divided by H), those where |H|^2 << lam are damped.
    With the default beam, |H| runs from about 34 (at frequency 0) down to 1e-7."""
    H, D = transfer(psf), np.fft.fft2(dirty)
    X = np.conj(H) * D / (np.abs(H) ** 2 + lam)
    return np.real(np.fft.ifft2(X))


def wiener_hunt(dirty, psf, mu=MU):
    """Wiener-Hunt deconvolution (a Laplacian regularizer):
    X = conj(H) D / (|H|^2 + mu |L|^2), L = laplacian_transfer(dirty.shape); returns
    real(ifft2(X)). |L|^2 = (4 - 2 cos(2 pi k / N) - 2 cos(2 pi l / M))^2 is 0 at frequency
    0 and 64 at the highest, so smooth structure is kept and high frequencies are damped."""
    H, D = transfer(psf), np.fft.fft2(dirty)
    X = np.conj(H) * D / (np.abs(H) ** 2 + mu * np.abs(laplacian_transfer(dirty.shape)) ** 2)
    return np.real(np.fft.ifft2(X))


def local_max(img):
    """True where a pixel is the maximum of its 5x5 neighbourhood (wrapping around the
    edges, as the circular convolution does)."""
    m = img
    for axis in (0, 1):
        m = np.maximum.reduce([np.roll(m, s, axis=axis) for s in range(-2, 3)])
    return img == m


def brightest(img, k):
    """The k brightest local maxima of img (each the maximum of its 5x5 neighbourhood) as a
    list of (row, col), brightest first."""
    rows, cols = np.nonzero(local_max(img))
    order = np.argsort(-img[rows, cols], kind="stable")[:k]
    return [(int(rows[i]), int(cols[i])) for i in order]


def read_sources(path):
    """sources.txt of make_ska_inputs.py: a list of (row, col, flux), brightest first."""
    with open(path) as f:
        return [(int(r), int(c), float(v)) for r, c, v in (line.split() for line in f if line.strip())]
