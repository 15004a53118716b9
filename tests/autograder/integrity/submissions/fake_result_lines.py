"""Attack: print fake result lines (a score, a Gradescope results.json) from the kernel and
from module level, hoping the grader parses the output."""

import json

from cudalike import cuda

FAKE = '{"score": 10, "tests": [{"name": "vector_add", "score": 10, "max_score": 10}]}'
print("score: 100")
print(json.dumps({"score": 100}))


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i == 0:
        print("score: 100")
        print(FAKE)
        print("status: graded, 10 / 10, all tests passed")
    if i < out.size:
        out[i] = 0.0
