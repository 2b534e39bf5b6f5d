"""The Hermitian rewrite (compiler/hermitian.c): real(ifftn(Y)) becomes irfftn of Y's half
spectrum when Y is provably Hermitian, and only then. Every case is checked against
numpy.fft (relative L2 <= 1e-12) on two chunkings and 1 and 3 threads (same bits), and
--explain must say "as irfftn" exactly for the cases that are provably Hermitian: a rewrite
of one that is not would give wrong numbers, a missed one would be slow."""

import os
import re
import resource
import tempfile

import numpy as np

from cdask_testlib import CDASKC, Results, run

F = np.fft
R = np.random.RandomState(7)
INPUTS = {
    "a": R.normal(size=17),          # prime
    "b": R.normal(size=(12, 9)),     # even x odd
    "c": R.normal(size=(5, 6, 7)),
    "z": R.normal(size=(8, 11)) + 1j * R.normal(size=(8, 11)),
    "s": R.normal(size=(6, 7)).astype("float32"),
    "e": R.normal(size=16),          # even
    "q44": R.normal(size=(4, 4)),
    "q45": R.normal(size=(4, 5)),
    "q54": R.normal(size=(5, 4)),
    "q55": R.normal(size=(5, 5)),
    "q67": R.normal(size=(6, 7)),
    "r18": R.normal(size=(1, 8)),
    "t22": R.normal(size=(2, 2)),
    "t28": R.normal(size=(2, 8)),
    "t62": R.normal(size=(6, 2)),
    "v": R.normal(size=(4, 6, 5)),
    "i64": R.randint(-50, 50, size=(4, 5)).astype("int64"),
    "i32": R.randint(-50, 50, size=(5, 6)).astype("int32"),
    "bo": R.normal(size=(4, 5)) > 0,
}
CHUNKS = [{}, {"a": 5, "b": (5, 4), "c": (2, 4, 3), "z": (3, 5), "s": (4, 2), "e": 5,
               "q44": (3, 2), "q45": (2, 3), "q54": (4, 3), "q55": (2, 2), "q67": (4, 3),
               "r18": (1, 3), "t22": (1, 1), "t28": (1, 3), "t62": (4, 1), "v": (3, 4, 2),
               "i64": (3, 2), "i32": (2, 5), "bo": (3, 3)}]

# the script's helpers and their NumPy twins: fftfreq along the last axis, and along
# the first one (a column) of a 2-D array
PRELUDE = """local F = da.fft
local function fq(n) return F.fftfreq(n) end
local function col(n) return F.fftfreq(n):reshape({n, 1}) end
local TAU = 6.283185307179586"""
fq = F.fftfreq
TAU = 6.283185307179586


def col(n):
    return F.fftfreq(n)[:, None]


def ri2(y):  # real(ifft2(y))
    return F.ifft2(y).real


def ri(y):  # real(ifft(y))
    return F.ifft(y).real


def lap(m, n):  # the SKA example's Laplacian transfer function
    return 4 - 2 * np.cos(col(m) * TAU) - 2 * np.cos(fq(n) * TAU)


LAP = "(4 - 2 * da.cos(col(%d) * TAU) - 2 * da.cos(fq(%d) * TAU))"

# (label, provably Hermitian, lua expression, numpy function of the inputs). fftfreq(n)
# is odd, f(-k) = -f(k), except at the Nyquist index n/2 of an even n (its own mirror,
# where f = -1/2 stays -1/2): each rule is checked on even and odd lengths.
CASES = [
    ("roundtrip_2d", True, "da.real(da.fft.ifft2(da.fft.fft2(b)))",
     lambda i: F.ifft2(F.fft2(i["b"])).real),
    ("roundtrip_1d_prime", True, "da.real(da.fft.ifft(da.fft.fft(a)))",
     lambda i: F.ifft(F.fft(i["a"])).real),
    ("roundtrip_3d", True, "da.real(da.fft.ifftn(da.fft.fftn(c)))",
     lambda i: F.ifftn(F.fftn(i["c"])).real),
    ("axes_02", True, "da.real(da.fft.ifftn(da.fft.fftn(c, nil, {0, 2}), nil, {0, 2}))",
     lambda i: F.ifftn(F.fftn(i["c"], axes=(0, 2)), axes=(0, 2)).real),
    ("axes_20", True, "da.real(da.fft.ifftn(da.fft.fftn(c, nil, {2, 0}), nil, {2, 0}))",
     lambda i: F.ifftn(F.fftn(i["c"], axes=(2, 0)), axes=(2, 0)).real),
    ("norms", True, 'da.real(da.fft.ifft2(da.fft.fft2(b, nil, nil, "ortho"), nil, nil, "forward"))',
     lambda i: F.ifft2(F.fft2(i["b"], norm="ortho"), norm="forward").real),
    ("wiener", True,
     "da.real(da.fft.ifft2(da.conj(da.fft.fft2(b)) * da.fft.fft2(b * 2 - 1) / (da.abs(da.fft.fft2(b)) ^ 2 + 0.5)))",
     lambda i: F.ifft2(np.conj(F.fft2(i["b"])) * F.fft2(i["b"] * 2 - 1) /
                       (np.abs(F.fft2(i["b"])) ** 2 + 0.5)).real),
    ("laplacian", True,
     "da.real(da.fft.ifft2(da.fft.fft2(b) / (1 + (4 - 2 * da.cos(da.fft.fftfreq(12) * 6.2):reshape({12, 1}) - 2 * da.cos(da.fft.fftfreq(9) * 6.2)) ^ 2)))",
     lambda i: F.ifft2(F.fft2(i["b"]) / (1 + (4 - 2 * np.cos(fq(12) * 6.2).reshape(12, 1) -
                                                 2 * np.cos(fq(9) * 6.2)) ** 2)).real),
    ("odd_times_odd", True,
     "da.real(da.fft.ifft(da.fft.fft(a) * (da.fft.fftfreq(17) * da.sin(da.fft.fftfreq(17)) + 1)))",
     lambda i: F.ifft(F.fft(i["a"]) * (fq(17) * np.sin(fq(17)) + 1)).real),
    ("where_abs", True,
     "da.real(da.fft.ifft2(da.where(da.abs(da.fft.fft2(b)):gt(1), da.fft.fft2(b), 0)))",
     lambda i: F.ifft2(np.where(np.abs(F.fft2(i["b"])) > 1, F.fft2(i["b"]), 0)).real),
    ("float32", True, "da.real(da.fft.ifft2(da.fft.fft2(s) * 3))",
     lambda i: F.ifft2(F.fft2(i["s"]) * 3).real),
    # fftfreq of two different axes: odd x odd is even only where neither has a Nyquist
    # index (issue 10, wrong answer 2: 4x4 and 4x5 were rewritten); 5x4 is Hermitian off
    # the real axis' Nyquist plane, which is all the c2r needs
    ("freq_prod_4x4", False, "da.real(F.ifft2(F.fft2(q44) * (col(4) * fq(4))))",
     lambda i: ri2(F.fft2(i["q44"]) * (col(4) * fq(4)))),
    ("freq_prod_4x5", False, "da.real(F.ifft2(F.fft2(q45) * (col(4) * fq(5))))",
     lambda i: ri2(F.fft2(i["q45"]) * (col(4) * fq(5)))),
    ("freq_prod_5x4", True, "da.real(F.ifft2(F.fft2(q54) * (col(5) * fq(4))))",
     lambda i: ri2(F.fft2(i["q54"]) * (col(5) * fq(4)))),
    ("freq_prod_5x5", True, "da.real(F.ifft2(F.fft2(q55) * (col(5) * fq(5))))",
     lambda i: ri2(F.fft2(i["q55"]) * (col(5) * fq(5)))),
    ("freq_prod_6x7", False, "da.real(F.ifft2(F.fft2(q67) * (col(6) * fq(7))))",
     lambda i: ri2(F.fft2(i["q67"]) * (col(6) * fq(7)))),
    ("freq_prod_2x2", True, "da.real(F.ifft2(F.fft2(t22) * (col(2) * fq(2))))",
     lambda i: ri2(F.fft2(i["t22"]) * (col(2) * fq(2)))),
    ("freq_prod_2x8", False, "da.real(F.ifft2(F.fft2(t28) * (col(2) * fq(8))))",
     lambda i: ri2(F.fft2(i["t28"]) * (col(2) * fq(8)))),
    # fftfreq alone is odd (but at n/2): never Hermitian
    ("freq_16", False, "da.real(F.ifft(F.fft(e) * fq(16)))",
     lambda i: ri(F.fft(i["e"]) * fq(16))),
    ("freq_1x8", False, "da.real(F.ifft2(F.fft2(r18) * fq(8)))",
     lambda i: ri2(F.fft2(i["r18"]) * fq(8))),
    ("freq_plus_one_17", False, "da.real(F.ifft(F.fft(a) * (fq(17) + 1)))",
     lambda i: ri(F.fft(i["a"]) * (fq(17) + 1))),
    # squares and |f| are even for every length (at n/2 too)
    ("square_16", True, "da.real(F.ifft(F.fft(e) * fq(16) ^ 2))",
     lambda i: ri(F.fft(i["e"]) * fq(16) ** 2)),
    ("square_17", True, "da.real(F.ifft(F.fft(a) * fq(17) ^ 2))",
     lambda i: ri(F.fft(i["a"]) * fq(17) ** 2)),
    ("self_product_16", True, "da.real(F.ifft(F.fft(e) * (fq(16) * fq(16) + 2)))",
     lambda i: ri(F.fft(i["e"]) * (fq(16) * fq(16) + 2))),
    ("square_1x8", True, "da.real(F.ifft2(F.fft2(r18) * fq(8) ^ 2))",
     lambda i: ri2(F.fft2(i["r18"]) * fq(8) ** 2)),
    ("square_2x8", True, "da.real(F.ifft2(F.fft2(t28) * fq(8) ^ 2))",
     lambda i: ri2(F.fft2(i["t28"]) * fq(8) ** 2)),
    ("squares_4x5", True, "da.real(F.ifft2(F.fft2(q45) * (col(4) ^ 2 * fq(5) ^ 2)))",
     lambda i: ri2(F.fft2(i["q45"]) * (col(4) ** 2 * fq(5) ** 2))),
    ("radial_4x4", True, "da.real(F.ifft2(F.fft2(q44) * (col(4) ^ 2 + fq(4) ^ 2)))",
     lambda i: ri2(F.fft2(i["q44"]) * (col(4) ** 2 + fq(4) ** 2))),
    ("gaussian_6x7", True, "da.real(F.ifft2(F.fft2(q67) * da.exp((col(6) ^ 2 + fq(7) ^ 2) * -9)))",
     lambda i: ri2(F.fft2(i["q67"]) * np.exp((col(6) ** 2 + fq(7) ** 2) * -9))),
    ("abs_16", True, "da.real(F.ifft(F.fft(e) * da.abs(fq(16))))",
     lambda i: ri(F.fft(i["e"]) * np.abs(fq(16)))),
    ("abs_prod_4x4", True, "da.real(F.ifft2(F.fft2(q44) * da.abs(col(4) * fq(4))))",
     lambda i: ri2(F.fft2(i["q44"]) * np.abs(col(4) * fq(4)))),
    ("neg_square_16", True, "da.real(F.ifft(F.fft(e) * (-fq(16) * fq(16))))",
     lambda i: ri(F.fft(i["e"]) * (-fq(16) * fq(16)))),
    # cos is even; sin keeps the sign
    ("laplacian_4x4", True, "da.real(F.ifft2(F.fft2(q44) / (1 + %s ^ 2)))" % (LAP % (4, 4)),
     lambda i: ri2(F.fft2(i["q44"]) / (1 + lap(4, 4) ** 2))),
    ("laplacian_4x5", True, "da.real(F.ifft2(F.fft2(q45) * %s))" % (LAP % (4, 5)),
     lambda i: ri2(F.fft2(i["q45"]) * lap(4, 5))),
    ("sin_16", True, "da.real(F.ifft(F.fft(e) * (da.sin(fq(16)) * fq(16))))",
     lambda i: ri(F.fft(i["e"]) * (np.sin(fq(16)) * fq(16)))),
    ("sin_4x4", False, "da.real(F.ifft2(F.fft2(q44) * (da.sin(col(4)) * fq(4))))",
     lambda i: ri2(F.fft2(i["q44"]) * (np.sin(col(4)) * fq(4)))),
    ("sin_5x5", True, "da.real(F.ifft2(F.fft2(q55) * (da.sin(col(5)) * fq(5))))",
     lambda i: ri2(F.fft2(i["q55"]) * (np.sin(col(5)) * fq(5)))),
    # sums of odd arrays are odd only when they flip at the same places
    ("sum_5x5", True, "da.real(F.ifft2(F.fft2(q55) * (col(5) + fq(5)) ^ 2))",
     lambda i: ri2(F.fft2(i["q55"]) * (col(5) + fq(5)) ** 2)),
    ("sum_4x4", False, "da.real(F.ifft2(F.fft2(q44) * (col(4) + fq(4)) ^ 2))",
     lambda i: ri2(F.fft2(i["q44"]) * (col(4) + fq(4)) ** 2)),
    ("sum_4x5", False, "da.real(F.ifft2(F.fft2(q45) * (col(4) - fq(5)) ^ 2))",
     lambda i: ri2(F.fft2(i["q45"]) * (col(4) - fq(5)) ** 2)),
    # integer powers
    ("cube_16", True, "da.real(F.ifft(F.fft(e) * (fq(16) ^ 3 * fq(16))))",
     lambda i: ri(F.fft(i["e"]) * (fq(16) ** 3 * fq(16)))),
    ("cube_17", False, "da.real(F.ifft(F.fft(a) * (fq(17) ^ 3 + fq(17) ^ 2)))",
     lambda i: ri(F.fft(i["a"]) * (fq(17) ** 3 + fq(17) ** 2))),
    ("fourth_4x4", True, "da.real(F.ifft2(F.fft2(q44) * (col(4) * fq(4)) ^ 4))",
     lambda i: ri2(F.fft2(i["q44"]) * (col(4) * fq(4)) ** 4)),
    ("pow_abs_16", True, "da.real(F.ifft(F.fft(e) * da.abs(fq(16)) ^ 1.5))",
     lambda i: ri(F.fft(i["e"]) * np.abs(fq(16)) ** 1.5)),
    # views: transposes carry the Nyquist axes along; reversals and slices move the mirror
    ("transpose_5x5", True, "da.real(F.ifft2(F.fft2(q55) * (col(5) * fq(5)).T))",
     lambda i: ri2(F.fft2(i["q55"]) * (col(5) * fq(5)).T)),
    ("transpose_6x7", False, "da.real(F.ifft2(F.fft2(q67) * (col(7) * fq(6)).T))",
     lambda i: ri2(F.fft2(i["q67"]) * (col(7) * fq(6)).T)),
    ("transpose_square_5x4", True,
     "da.real(F.ifft2(F.fft2(q54) * ((col(4) * fq(5)).T * (col(5) * fq(4)))))",
     lambda i: ri2(F.fft2(i["q54"]) * ((col(4) * fq(5)).T * (col(5) * fq(4))))),
    ("broadcast_4x5", True, "da.real(F.ifft2(F.fft2(q45) * da.broadcast_to(fq(5) ^ 2, {4, 5})))",
     lambda i: ri2(F.fft2(i["q45"]) * np.broadcast_to(fq(5) ** 2, (4, 5)))),
    ("reversed_16", False, 'da.real(F.ifft(F.fft(e) * (fq(16) ^ 2)["::-1"]))',
     lambda i: ri(F.fft(i["e"]) * (fq(16) ** 2)[::-1])),
    ("slice_16", False, 'da.real(F.ifft(F.fft(e) * (fq(32) ^ 2)["0:16"]))',
     lambda i: ri(F.fft(i["e"]) * (fq(32) ** 2)[0:16])),
    ("slice_offset_16", False, 'da.real(F.ifft(F.fft(e) * (fq(17) ^ 2)["1:"]))',
     lambda i: ri(F.fft(i["e"]) * (fq(17) ** 2)[1:])),
    ("fftshift_16", False, "da.real(F.ifft(F.fft(e) * F.fftshift(fq(16)) ^ 2))",
     lambda i: ri(F.fft(i["e"]) * F.fftshift(fq(16)) ** 2)),
    ("fftshift_17", False, "da.real(F.ifft(F.fft(a) * F.fftshift(fq(17)) ^ 2))",
     lambda i: ri(F.fft(i["a"]) * F.fftshift(fq(17)) ** 2)),
    ("ifftshift_spectrum", False, "da.real(F.ifft(F.ifftshift(F.fft(e))))",
     lambda i: ri(F.ifftshift(F.fft(i["e"])))),
    # concatenations: fftfreq's own signed indices only
    ("signed_indices_17", True,
     "da.real(F.ifft(F.fft(a) * da.concatenate({da.arange(0, 9), da.arange(-8, 0)}) ^ 2))",
     lambda i: ri(F.fft(i["a"]) * np.concatenate([np.arange(0, 9), np.arange(-8, 0)]) ** 2)),
    ("concat_zeros_16", False,
     "da.real(F.ifft(F.fft(e) * da.concatenate({fq(8) ^ 2, da.zeros(8)})))",
     lambda i: ri(F.fft(i["e"]) * np.concatenate([fq(8) ** 2, np.zeros(8)]))),
    # rfftfreq and aranges have no symmetry under the mirror
    ("rfftfreq_9", False, 'da.real(F.ifft(F.fft(a["0:9"]) * F.rfftfreq(16) ^ 2))',
     lambda i: ri(F.fft(i["a"][0:9]) * F.rfftfreq(16) ** 2)),
    ("arange_16", False, "da.real(F.ifft(F.fft(e) * da.arange(16)))",
     lambda i: ri(F.fft(i["e"]) * np.arange(16))),
    # complex operations: imag flips the sign, abs, where, comparisons
    ("imag_5x4", True, "da.real(F.ifft2(da.imag(F.fft2(q54)) * col(5)))",
     lambda i: ri2(F.fft2(i["q54"]).imag * col(5))),
    ("imag_4x5", False, "da.real(F.ifft2(da.imag(F.fft2(q45)) * col(4)))",
     lambda i: ri2(F.fft2(i["q45"]).imag * col(4))),
    ("real_part_4x5", True, "da.real(F.ifft2(da.real(F.fft2(q45)) * col(4) ^ 2))",
     lambda i: ri2(F.fft2(i["q45"]).real * col(4) ** 2)),
    ("conj_4x4", True, "da.real(F.ifft2(da.conj(F.fft2(q44)) * F.fft2(q44 + 1)))",
     lambda i: ri2(np.conj(F.fft2(i["q44"])) * F.fft2(i["q44"] + 1))),
    ("where_even_4x4", True,
     "da.real(F.ifft2(da.where(da.abs(col(4) * fq(4)):gt(0.05), F.fft2(q44), 0)))",
     lambda i: ri2(np.where(np.abs(col(4) * fq(4)) > 0.05, F.fft2(i["q44"]), 0))),
    ("where_odd_16", True,
     "da.real(F.ifft(F.fft(e) * (da.where(da.abs(fq(16)):gt(0.1), fq(16), fq(16) * 2) * fq(16))))",
     lambda i: ri(F.fft(i["e"]) * (np.where(np.abs(fq(16)) > 0.1, fq(16), fq(16) * 2) * fq(16)))),
    ("where_mixed_16", False,
     "da.real(F.ifft(F.fft(e) * da.where(da.abs(fq(16)):gt(0.1), fq(16), 1)))",
     lambda i: ri(F.fft(i["e"]) * np.where(np.abs(fq(16)) > 0.1, fq(16), 1))),
    ("eq_16", True, "da.real(F.ifft(F.fft(e) * (fq(16) * 3):eq(fq(16) * 3)))",
     lambda i: ri(F.fft(i["e"]) * ((fq(16) * 3) == (fq(16) * 3)))),
    ("not_16", True, "da.real(F.ifft(F.fft(e) * da.logical_not(fq(16):ne(0))))",
     lambda i: ri(F.fft(i["e"]) * np.logical_not(fq(16) != 0))),
    ("eq_zero_4x4", True, "da.real(F.ifft2(F.fft2(q44) * (col(4) * fq(4)):eq(0)))",
     lambda i: ri2(F.fft2(i["q44"]) * ((col(4) * fq(4)) == 0))),
    ("gt_zero_16", False, "da.real(F.ifft(F.fft(e) * fq(16):gt(0)))",
     lambda i: ri(F.fft(i["e"]) * (fq(16) > 0))),
    ("as_bool_16", True, 'da.real(F.ifft(F.fft(e) * fq(16):astype("bool")))',
     lambda i: ri(F.fft(i["e"]) * fq(16).astype(bool))),
    ("as_int_16", False, 'da.real(F.ifft(F.fft(e) * (fq(16) * 16):astype("int64")))',
     lambda i: ri(F.fft(i["e"]) * (fq(16) * 16).astype(np.int64))),
    # axes of length 1 or 2 are their own mirror
    ("len2_2x2", True, "da.real(F.ifft2(F.fft2(t22) * t22))",
     lambda i: ri2(F.fft2(i["t22"]) * i["t22"])),
    ("len2_col_2x8", True, "da.real(F.ifft2(F.fft2(t28) * col(2)))",
     lambda i: ri2(F.fft2(i["t28"]) * col(2))),
    ("len2_times_input_2x8", False, "da.real(F.ifft2(F.fft2(t28) * t28))",
     lambda i: ri2(F.fft2(i["t28"]) * i["t28"])),
    ("len2_forward_axis0", True, "da.real(F.ifft2(F.fft(t62, nil, 0)))",
     lambda i: ri2(F.fft(i["t62"], axis=0))),
    ("len2_inverse_axis0", True, "da.real(F.ifft(F.fft2(t62), nil, 0))",
     lambda i: F.ifft(F.fft2(i["t62"]), axis=0).real),
    ("len2_forward_axis1", False, "da.real(F.ifft2(F.fft(t62, nil, 1)))",
     lambda i: ri2(F.fft(i["t62"], axis=1))),
    # three axes
    ("nd_square", True, "da.real(F.ifftn(F.fftn(v) * fq(5) ^ 2))",
     lambda i: F.ifftn(F.fftn(i["v"]) * fq(5) ** 2).real),
    ("nd_prod_even_odd", False, "da.real(F.ifftn(F.fftn(v) * (fq(6):reshape({6, 1}) * fq(5))))",
     lambda i: F.ifftn(F.fftn(i["v"]) * (fq(6)[:, None] * fq(5))).real),
    ("nd_other_axis", True,
     "da.real(F.ifftn(F.fftn(v, nil, {0, 2}) * fq(6):reshape({6, 1}) * fq(5) ^ 2, nil, {0, 2}))",
     lambda i: F.ifftn(F.fftn(i["v"], axes=(0, 2)) * fq(6)[:, None] * fq(5) ** 2,
                       axes=(0, 2)).real),
    # the forward transform of an integer or bool array reads it as float64 (issue 10,
    # wrong answer 3: the int64 bits were read as doubles)
    ("cast_arange", True, "da.real(F.ifft(F.fft(da.arange(5))))",
     lambda i: ri(F.fft(np.arange(5)))),
    ("cast_int64", True, "da.real(F.ifft2(F.fft2(i64) * col(4) ^ 2))",
     lambda i: ri2(F.fft2(i["i64"]) * col(4) ** 2)),
    ("cast_int32", True, "da.real(F.ifft2(F.fft2(i32)))",
     lambda i: ri2(F.fft2(i["i32"]))),
    ("cast_bool", True, "da.real(F.ifft2(F.fft2(bo)))",
     lambda i: ri2(F.fft2(i["bo"]))),
    ("cast_int_filter", True, "da.real(F.ifft2(F.fft2(i64) * F.fft2(bo)))",
     lambda i: ri2(F.fft2(i["i64"]) * F.fft2(i["bo"]))),
    ("cast_float32_to_c128", True, 'da.real(F.ifft2(F.fft2(s:astype("complex128"))))',
     lambda i: ri2(F.fft2(i["s"].astype(np.complex128)))),
    ("float32_1d", True, 'da.real(F.ifft(F.fft(i64:astype("float32"))))',
     lambda i: F.ifft(F.fft(i["i64"].astype(np.float32))).real),
    # not provably Hermitian: the transform must stay complex
    ("times_input", False, "da.real(da.fft.ifft2(da.fft.fft2(b) * b))",
     lambda i: F.ifft2(F.fft2(i["b"]) * i["b"]).real),
    ("times_odd", False, "da.real(da.fft.ifft(da.fft.fft(a) * da.fft.fftfreq(17)))",
     lambda i: F.ifft(F.fft(i["a"]) * fq(17)).real),
    # (the imaginary part is odd: the real part of its inverse is the delta of the + 1)
    ("imag_part", False, "da.real(da.fft.ifft2(da.imag(da.fft.fft2(b)) + 1))",
     lambda i: F.ifft2(F.fft2(i["b"]).imag + 1).real),
    ("other_axes", False, "da.real(da.fft.ifftn(da.fft.fftn(c, nil, {0, 1}), nil, {1, 2}))",
     lambda i: F.ifftn(F.fftn(i["c"], axes=(0, 1)), axes=(1, 2)).real),
    ("reversed", False, 'da.real(da.fft.ifft2(da.fft.fft2(b) * da.fft.fft2(b)["::-1"]))',
     lambda i: F.ifft2(F.fft2(i["b"]) * F.fft2(i["b"])[::-1]).real),
    ("complex_input", False, "da.real(da.fft.ifft2(da.fft.fft2(z)))",
     lambda i: F.ifft2(F.fft2(i["z"])).real),
    ("inverse_first", False, "da.real(da.fft.ifft2(da.fft.ifft2(b)))",
     lambda i: F.ifft2(F.ifft2(i["b"])).real),
]


def script(ci):
    lines = ['local da = require("cdask.array")'] + PRELUDE.split("\n")
    for name in INPUTS:
        c = CHUNKS[ci].get(name)
        opt = "" if c is None else ", {chunks = %s}" % (
            str(c) if isinstance(c, int) else "{" + ", ".join(map(str, c)) + "}")
        lines.append('local %s = da.from_npy("%s.npy"%s)' % (name, name, opt))
    first = len(lines) + 1
    for label, _, expr, _ in CASES:
        lines.append('da.to_npy(%s, "%s.npy")' % (expr, label))
    return "\n".join(lines) + "\n", first


# 10^4 elementwise steps on a spectrum, compiled under a 1 MB stack: no walk of the pass
# may recurse to the depth of the graph. A chain is saved every 100 steps so that every
# fused group stays shallow (the emitter is not what is tested here): when the rewrite
# happens, the rfft2 twin of the chain, which the rewritten chain merges with; when the
# proof fails (at the top only), the chain itself.
DEEP = """local da = require("cdask.array")
local fq = da.fft.fftfreq
local x = da.from_npy("q44.npy")
local y, z = da.fft.fft2(x), da.fft.rfft2(x)
for i = 1, 10000 do
  y, z = y * 1.0001, z * 1.0001
  if i %% 100 == 0 then da.to_npy(%s, "s" .. i .. ".npy") end
end
da.to_npy(da.real(da.fft.ifft2(y%s)), "deep.npy")
"""
DEEP_CASES = [("deep_chain", True, "z", ""),
              ("deep_chain_unprovable", False, "y", " * fq(4):reshape({4, 1}) * fq(4)")]


def small_stack():
    resource.setrlimit(resource.RLIMIT_STACK, (1 << 20, 1 << 20))


def deep(r, d):
    for label, herm, saved, tail in DEEP_CASES:
        with open(os.path.join(d, label + ".lua"), "w") as f:
            f.write(DEEP % (saved, tail))
        p = run([CDASKC, label + ".lua", "--emit-c", label + ".c", "--explain"], cwd=d,
                timeout=600, preexec_fn=small_stack)
        if r.check(p.returncode == 0, "%s compiles under a 1 MB stack" % label,
                   "exit %s %s" % (p.returncode, p.stderr[-500:])):
            r.check(("as irfftn" in p.stdout) == herm, "%s %s" % (
                label, "rewritten as irfftn" if herm else "left complex"), p.stdout[-500:])


def main():
    r = Results()
    with tempfile.TemporaryDirectory() as d:
        for name, v in INPUTS.items():
            np.save(os.path.join(d, name + ".npy"), v)
        for ci in range(len(CHUNKS)):
            text, first = script(ci)
            with open(os.path.join(d, "h%d.lua" % ci), "w") as f:
                f.write(text)
            p = run([CDASKC, "h%d.lua" % ci, "-o", "h%d" % ci, "--explain"], cwd=d, timeout=600)
            if not r.check(p.returncode == 0, "chunking %d compiles" % ci, p.stderr):
                continue
            rewritten = set()
            for line in p.stdout.splitlines():
                m = re.search(r"h%d\.lua:(\d+)\).*as irfftn" % ci, line)
                if m:
                    rewritten.add(int(m.group(1)) - first)
            for k, (label, herm, _, _) in enumerate(CASES):
                groups = [g for g in p.stdout.splitlines() if "h%d.lua:%d)" % (ci, k + first) in g]
                r.check((k in rewritten) == herm, "%s [chunking %d] %s" % (
                    label, ci, "rewritten as irfftn" if herm else "left complex"),
                    "\n".join(groups))
            for threads in ("1", "3"):
                out = os.path.join(d, "out%d_%s" % (ci, threads))
                os.mkdir(out)
                q = run([os.path.join(d, "h%d" % ci), "--threads", threads, "--out", out], cwd=d)
                r.check(q.returncode == 0, "chunking %d runs on %s threads" % (ci, threads), q.stderr)
            for label, _, _, fn in CASES:
                want = fn(INPUTS)
                p1 = os.path.join(d, "out%d_1" % ci, label + ".npy")
                p3 = os.path.join(d, "out%d_3" % ci, label + ".npy")
                if not (os.path.exists(p1) and os.path.exists(p3)):
                    r.check(False, "%s [chunking %d] written" % (label, ci))
                    continue
                got, got3 = np.load(p1), np.load(p3)
                f32 = label.startswith("float32")
                tol = 1e-5 if f32 else 1e-12
                want_t = np.float32 if f32 else want.dtype
                err = np.linalg.norm(got - want) / max(np.linalg.norm(want), 1e-300)
                r.check(got.shape == want.shape and got.dtype == want_t and err <= tol,
                        "%s [chunking %d] matches numpy.fft" % (label, ci),
                        "shape %s/%s dtype %s/%s rel L2 %.3g" % (got.shape, want.shape,
                                                                 got.dtype, want_t, err))
                r.check(got.tobytes() == got3.tobytes(),
                        "%s [chunking %d] same bits on 1 and 3 threads" % (label, ci))
        deep(r, d)
    return r.finish()


if __name__ == "__main__":
    raise SystemExit(main())
