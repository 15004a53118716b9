"""Otter-Grader test file (exception-based format): tests/vector_add.py of the assignment.

docs/autograder-interop.md explains; the case passes when assert_passes raises nothing.
"""

from otter.test_files import test_case

OK_FORMAT = False

name = "vector_add"
points = 10


@test_case(points=10, hidden=False)
def test_vector_add():
    from autograder import assert_passes

    assert_passes("vector_add", "vector_add.ipynb")
