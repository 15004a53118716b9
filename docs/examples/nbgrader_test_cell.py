# The autograder test cell of an nbgrader assignment (docs/autograder-interop.md). In the source
# notebook give this cell the metadata "Autograder tests" with points, e.g. 10; nbgrader runs it
# in the submitted notebook's folder, so the notebook's file name finds the submission.
### BEGIN HIDDEN TESTS
from autograder import assert_passes

assert_passes("vector_add", "vector_add.ipynb")
### END HIDDEN TESTS
