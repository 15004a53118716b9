"""The grading tool for cudalike exercises: correctness and modelled speed, unforgeable.

    from autograder import grade_submission
    result = grade_submission("vector_add", "alice.ipynb")

The command line is `cudalike-grade` (`python -m autograder`); docs/autograder.md explains the
exercise format, the pipeline (`autograder.grade.PIPELINE`) and the outputs.
"""

from autograder.grade import grade_submission
from autograder.result import SubmissionResult, TestResult
from autograder.sandbox import Limits

__all__ = ["Limits", "SubmissionResult", "TestResult", "grade_submission"]
