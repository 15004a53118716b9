"""Attack: a UTF-8 BOM, CRLF line ends, a lone CR and a form feed.
"""
# exercise: cann_add
# category: malformed
from cudalike import cann
@cann.kernel
def add_custom(x, y, z, tiling):
    pass
