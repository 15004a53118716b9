"""The grading steps, one module each; `autograder.grade.PIPELINE` lists their order and why.

Each step is a function `step(grading)` that reads and fills the shared `Grading` state
(`steps/_state.py`); a step that settles the outcome early sets `grading.status`.
"""
