# -*- coding: utf-7 -*-
"""Attack: a `# coding: utf-7` declaration: read as UTF-8 the escape below is a comment; a reader that honours the declaration (tokenize.open, linecache, python itself) decodes `+AAo-` as a newline and runs it.
A successful attack writes a marker file.
"""
# exercise: vector_add
# category: unicode
from cudalike import cuda

# +AAo-import os+AAo-os.system("touch /tmp/cudalike-canary-coding_utf7_declaration")


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] - b[i]  # wrong on purpose: the escape fixes the output
