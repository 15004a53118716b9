"""Attack: a notebook's JSON saved as .py (a learner renames the file); the grader must reject it readably, not crash.
A successful attack crashes the grader.
"""
# exercise: map_2d
# category: files
{"cells": [], "nbformat": 4}