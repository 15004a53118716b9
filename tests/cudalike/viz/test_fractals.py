"""viz.fractals draws each element where the cube path really stores it (cudalike.cann.fractal)."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cann, viz
from cudalike.cann import fractal


def test_zz_offsets_are_those_l0a_is_read_with():
    picture = viz.fractals(32, 32, "zZ")
    flat = np.arange(32 * 32)
    np.testing.assert_array_equal(
        picture.offsets, fractal.from_zz(flat.astype(np.float16), 32, 32).astype(int)
    )
    assert picture.offsets[0, 15] == 15 and picture.offsets[0, 16] == 256  # next fractal
    assert picture.offsets[1, 0] == 16  # row-major inside a fractal


def test_nz_of_l0b_is_the_per_fractal_transpose():
    picture = viz.fractals(32, 32, "nZ")
    flat = np.arange(32 * 32, dtype=np.int16)
    matrix = fractal.from_nz_l0b(flat.view(np.float16), 32, 32).view(np.int16)
    np.testing.assert_array_equal(picture.offsets, matrix)
    assert picture.offsets[1, 0] == 1 and picture.offsets[0, 1] == 16  # column-major inside
    zz = viz.fractals(32, 32, "zZ").offsets
    np.testing.assert_array_equal(picture.offsets[:16, :16], zz[:16, :16].T)


def test_nz_of_l1_and_l0c_are_column_strips():
    picture = viz.fractals(20, 40, "NZ")
    assert picture.offsets.shape == (32, 48)  # whole fractals: 16 rows, strips of 16 halves
    flat = np.arange(32 * 48, dtype=np.int16)
    read = fractal.read_nz(flat, 32, 20, 40, 16)
    np.testing.assert_array_equal(picture.offsets[:20, :40], read)


def test_the_picture_matches_the_nd2nz_copy_the_runtime_makes():
    rows, cols, height = 20, 24, 32
    values = np.arange(rows * cols, dtype=np.float16).reshape(rows, cols)
    nz = np.zeros(height * 32, np.float16)
    params = cann.Nd2NzParams(1, rows, cols, 0, cols, height, 1, 0)
    fractal.nd2nz(nz, values.ravel(), params, np.float16)
    picture = viz.fractals(rows, cols, "NZ")
    np.testing.assert_array_equal(nz[picture.offsets[:rows, :cols]], values)


def test_html_has_one_cell_per_element_and_grey_padding():
    picture = viz.fractals(20, 24, "zZ")
    html = picture.to_html()
    assert html.count('<g class="element"') == 20 * 24
    assert html.count('<g class="padding"') == 32 * 32 - 20 * 24
    assert "fractal 3" in html and repr(picture) == "<fractals 20 x 24 in zZ: 4 fractal(s)>"


def test_nd_is_row_major_and_float_fractals_are_eight_wide():
    np.testing.assert_array_equal(viz.fractals(3, 5, "ND").offsets, np.arange(15).reshape(3, 5))
    floats = viz.fractals(16, 16, "zZ", dtype=np.float32)
    assert floats.c0 == 8 and floats.offsets[0, 8] == 128


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((16, 16, "ZZ"), "layout must be one of"),
        ((0, 16, "zZ"), "rows must be a positive int"),
        ((256, 256, "zZ"), "too big to draw"),
    ],
)
def test_bad_arguments_are_explained(args, message):
    with pytest.raises(ValueError, match=message):
        viz.fractals(*args)
