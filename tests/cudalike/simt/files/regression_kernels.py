"""Kernels that once broke the engine; each stays as a regression test."""

from cudalike import cuda


def atomics_at_own_index(out):
    i = cuda.grid(1)  # every lane active, 1-D launch: loads/stores take a fast path
    cuda.atomic.add(out, i, 1)
    cuda.atomic.max(out, i, 5)


def mandelbrot_pixel(x, y, max_iters):
    c = complex(x, y)
    z = 0.0j
    for i in range(max_iters):
        z = z * z + c
        if (z.real * z.real + z.imag * z.imag) >= 4:
            return i
    return max_iters


def mandelbrot(min_x, max_x, min_y, max_y, image, iters):
    height = image.shape[0]
    width = image.shape[1]
    pixel_size_x = (max_x - min_x) / width
    pixel_size_y = (max_y - min_y) / height
    start_x, start_y = cuda.grid(2)
    grid_x = cuda.gridDim.x * cuda.blockDim.x
    grid_y = cuda.gridDim.y * cuda.blockDim.y
    for x in range(start_x, width, grid_x):
        real = min_x + x * pixel_size_x
        for y in range(start_y, height, grid_y):
            imag = min_y + y * pixel_size_y
            image[y, x] = mandelbrot_device(real, imag, iters)


mandelbrot_device = cuda.jit(device=True)(mandelbrot_pixel)


@cuda.jit(device=True)
def bump(counts, index):
    cuda.atomic.add(counts, index, 1)  # BUG: atomic-oob


@cuda.jit(device=True)
def ordered(a, b):
    if a < b:
        return a, b
    return b, a


def min_max(a, b, low, high):
    i = cuda.grid(1)
    if i < a.size:
        small, big = ordered(a[i], b[i])  # lanes return from different statements
        low[i] = small
        high[i] = big


def copy_first(a, b):
    i = cuda.grid(1)
    if i < a.size:
        b[i] = a[i]


def leading_zeros(x, out):
    out[0] = cuda.clz(x)


def round_to(x, digits, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = round(x[i], digits)
