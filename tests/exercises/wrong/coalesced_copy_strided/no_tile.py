"""No shared tile at all: one thread per record, x[i, f] straight into out[f, i]."""

# expect: Stage the block's 256 records
from cudalike import cuda


@cuda.jit
def aos_to_soa(x, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        for f in range(8):
            out[f, i] = x[i, f]
