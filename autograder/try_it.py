"""The check cell of a lesson's "try it": run the learner's launch, compare, say what to change.

A lesson's small task is not a graded exercise, so there is no sandbox and nothing recorded:
`try_it` runs the launch in the notebook, and answers in words instead of a traceback. A
kernel error prints its report (thread, line, hint); a wrong output names the first wrong
element and how many are wrong or never written; the lesson's own hint follows.

    from autograder.try_it import try_it

    try_it(lambda: add[blocks, threads](a, b, out), out, a + b,
           hint="guard with if i < out.size")
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder.compare import compare_array
from autograder.inputs import holds_poison, poison
from autograder.spec import Tolerance
from cudalike.errors import CudalikeError
from cudalike.i18n import _

__all__ = ["try_it"]


def try_it(
    launch: Callable[[], object],
    out: np.ndarray,
    expected: np.ndarray,
    *,
    hint: str = "",
    name: str = "out",
    rtol: float | None = None,
    accumulates: bool = False,
) -> bool:
    """Fill `out`, run `launch()`, compare `out` with `expected` and print the feedback.

    Args:
        launch: a function of no arguments that launches the learner's kernel, which writes
            `out` (a numpy array, or a device array that `launch` copies back into it).
        out: the output array; it is filled before the launch so that elements the kernel
            never wrote are found.
        expected: the right answer, e.g. from numpy.
        hint: what to change when the answer is wrong, in the lesson's words.
        name: the output's name in the feedback.
        rtol: relative tolerance for floats; default: a few units of the dtype's precision.
        accumulates: the kernel adds into `out` (a histogram, atomics): it starts from zeros,
            and an element left untouched is then simply 0.

    Returns:
        True when the launch ran and `out` matches `expected`.
    """
    expected = np.asarray(expected, dtype=out.dtype)
    fill = poison(out.dtype) if out.dtype.kind in "fiu" and not accumulates else None
    if fill is not None and holds_poison(expected, fill).any():
        fill = None  # the right answer holds the fill itself: unwritten cannot be told apart
    out[...] = 0 if fill is None else fill
    try:
        launch()
    except CudalikeError as error:
        print("✗ " + _("the kernel stopped with an error:") + f"\n{error}")
        _say_hint(hint)
        return False
    tolerance = None
    if out.dtype.kind == "f":
        relative = rtol if rtol is not None else 8 * float(np.finfo(out.dtype).eps)
        tolerance = Tolerance(rtol=relative, atol=relative)
    verdict = compare_array(name, expected, out, tolerance, fill)
    if verdict.passed:
        print(
            "✓ "
            + _("{name} is right: all {total} elements match.").format(
                name=name, total=expected.size
            )
        )
        return True
    print(f"✗ {verdict.reason}")
    _say_hint(hint)
    return False


def _say_hint(hint: str) -> None:
    if hint:
        print(_("what to change: {advice}").format(advice=hint))
