"""Attack: a Latin-1 script (not UTF-8): é, ß.
"""
# exercise: map_2d
# category: malformed
from cudalike import cuda
# café
