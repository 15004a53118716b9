"""Notebook displays of profiler records: speed of light, roofline, occupancy, annotated source.

`cudalike.viz` only reads the records of `cudalike.profiler` (`LaunchRecord`, `LineRecord`);
the engine and the model never import it. ipywidgets, matplotlib and IPython are imported
inside the functions that need them, so `import cudalike.viz` costs nothing.

- `show(prof)`: in a notebook, an interactive view (a tab per launch) that falls back to
  static HTML where widgets are not rendered (nbconvert, GitHub); `show(prof, static=True)`
  for plain HTML and PNG outputs.
- `view(prof)`: the ipywidgets view itself, to place in your own layout.
- `to_html(prof)` / `save_html(prof, path)`: the static page, charts inlined as PNG.
- `roofline_png(record)`: the roofline chart of one launch as PNG bytes.
- `gantt_png(record)`: the pipe timeline of a CANN launch (`PipeLaunchRecord`) as PNG bytes;
  `show` and `to_html` draw CANN launches as that Gantt, utilisation bars and busiest lines.

Pictures of one small launch (at most 4096 threads), as static HTML with inline SVG:
- `accesses(kernel[grid, block], *args)`: runs the launch once and draws which thread read
  and wrote which element of each array (`.reads(name)`, `.writes(name)`, `.error`,
  `.banks(shared_name)` for shared-memory bank use per warp).
- `layout(grid, block)`: the blocks, warps and thread indices of a launch shape.
- `tiling(numBlocks, tilingData)`: the split of a tensor over an Ascend C launch's blocks and tiles.
- `ub_occupancy(prof)`: a profiled CANN launch's Unified Buffer over time against its capacity.
- `repeats(mask, repeatTimes, repeatParams)`: the elements one repeat-form vector call touches.
- `fractals(rows, cols, layout)`: where each element of a matrix lies in a cube layout.
- `side_by_side(cuda_kernel, cann_kernel, links=...)`: a CUDA kernel and its Ascend C port in
  two columns, corresponding lines linked (nothing is launched).

Example:
    >>> from cudalike import profiler, viz
    >>> with profiler.profile() as prof:  # doctest: +SKIP
    ...     transpose[blocks, threads](a, b)
    >>> viz.show(prof)  # doctest: +SKIP
"""

from cudalike.viz._accesses import accesses
from cudalike.viz._fractals import fractals
from cudalike.viz._layout import layout
from cudalike.viz._notebook import show, view
from cudalike.viz._page import save_html, to_html
from cudalike.viz._pipes import gantt_png
from cudalike.viz._repeats import repeats
from cudalike.viz._roofline import roofline_png
from cudalike.viz._side_by_side import side_by_side
from cudalike.viz._tiling import tiling
from cudalike.viz._ub_occupancy import ub_occupancy

__all__ = [
    "accesses",
    "fractals",
    "gantt_png",
    "layout",
    "repeats",
    "roofline_png",
    "save_html",
    "show",
    "side_by_side",
    "tiling",
    "to_html",
    "ub_occupancy",
    "view",
]
