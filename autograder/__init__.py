"""The grading tool for cudalike exercises: correctness and modelled speed, unforgeable.

    from autograder import grade_submission
    result = grade_submission("vector_add", "alice.ipynb")

In a notebook, `check("vector_add")` grades the cells run so far and shows the feedback;
`progress()` shows the learner's best scores and speeds (`autograder.notebook`,
`autograder.progress_store`).

The command line is `cudalike-grade` (`python -m autograder`); docs/autograder.md explains the
exercise format, the pipeline (`autograder.grade.PIPELINE`) and the outputs.
"""

from autograder.grade import grade_submission
from autograder.interop import assert_passes
from autograder.notebook import check
from autograder.progress_store import progress
from autograder.result import SubmissionResult, TestResult
from autograder.sandbox import Limits

__all__ = [
    "Limits",
    "SubmissionResult",
    "TestResult",
    "assert_passes",
    "check",
    "grade_submission",
    "progress",
]
