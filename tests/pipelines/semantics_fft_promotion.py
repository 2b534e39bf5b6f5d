import numpy as np

RTOL = 1e-6  # cdask transforms complex64 in single precision, numpy.fft in double


def expected(d):
    x = np.linspace(-2, 2, 9, dtype="float32")
    y = np.fft.fft(x * x + x).astype("complex64") * np.fft.fftfreq(9)
    return {"y.npy": y, "re.npy": y.astype("complex64").astype("float64")}
