import os

import numpy as np

inf, nan = np.inf, np.nan
SPECIAL = np.array([1 + 1j, nan + 0j, complex(0, nan), inf + 0j, complex(0, -inf),
                    complex(nan, inf), 1e308 + 1e308j, 0j, complex(-0.0, 3), 3e38 + 1j],
                   dtype=np.complex128)


def setup(d):
    np.save(os.path.join(d, "special.npy"), SPECIAL)
    np.save(os.path.join(d, "special64.npy"), SPECIAL.astype(np.complex64))


def expected(d):
    x = np.linspace(-2, 2, 9)
    z = np.fft.fft(x * x + x)
    zf = z.astype("complex64")
    a = np.arange(4)
    w = np.fft.fft((a % 2) * (2 - a))
    s, sf = SPECIAL, SPECIAL.astype(np.complex64)
    return {
        "c64_c128.npy": zf.astype("complex128"),
        "c64_c128_reversed.npy": zf[::-1].astype("complex128"),
        "c64_times_int.npy": zf * np.arange(9),
        "c64_times_freq.npy": zf * np.fft.fftfreq(9),
        "c128_f64.npy": z.astype("float64"),
        "c128_f32.npy": z.astype("float32"),
        "c64_f64.npy": zf.astype("float64"),
        "c128_i32.npy": (z * 100).astype("int32"),
        "c64_i64.npy": (zf * 100).astype("int64"),
        "imag_only_bool.npy": w.astype("bool"),
        "imag_only_f64.npy": w.astype("float64"),
        "const_c64_c128.npy": np.full(3, 2.5, dtype="complex64").astype("complex128"),
        "const_c128_i32.npy": np.full(3, -7.5, dtype="complex128").astype("int32"),
        "isnan.npy": np.isnan(s),
        "isfinite.npy": np.isfinite(s),
        "isnan64.npy": np.isnan(sf),
        "isfinite64.npy": np.isfinite(sf),
        "special_bool.npy": s.astype("bool"),
        "special_i32.npy": s.astype("int32"),
        "special_f32.npy": s.astype("float32"),
        "special_c64_re.npy": s.astype("complex64").real,
        "special_c64_im.npy": s.astype("complex64").imag,
    }
