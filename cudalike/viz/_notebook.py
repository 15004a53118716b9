"""Notebook display of a profile: an ipywidgets view with a static HTML fallback.

`show()` displays one output carrying two representations: the interactive widget
(`application/vnd.jupyter.widget-view+json`) and the static page of `to_html`
(`text/html`). JupyterLab and VS Code draw the widget; nbconvert, GitHub and any front end
without the widget's state fall back to the HTML, so the notebook reads the same everywhere.
`show(static=True)` (or a missing ipywidgets) displays plain HTML and PNG outputs instead,
which also survive conversion to PDF or Markdown. Outside a notebook (a script, the python
prompt, terminal IPython), where HTML would be printed as text, `show` writes the static
page to a file named after the kernel and prints one line with its path.

The interactive part is small on purpose: a dropdown picks the metric that colors the source
lines, a slider how many of the slowest lines are highlighted.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cudalike.viz._inputs import as_launches
from cudalike.viz._page import (
    CONTAINER,
    overview_html,
    roofline_img,
    save_html,
    to_html,
    top_html,
)
from cudalike.viz._pipes import is_pipe_record
from cudalike.viz._source import COLOR_CHOICES, source_html

if TYPE_CHECKING:
    import ipywidgets

    from cudalike.model.records import LaunchRecord

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MOST_WORST_LINES = 10


def show(
    profile_or_records: Any,
    *,
    static: bool = False,
    color_by: str = "time_share",
    worst: int = 3,
) -> None:
    """Display a profile in the notebook; elsewhere, write it to an HTML file.

    Outside a notebook the page goes to `cudalike-profile-KERNEL.html` in the current folder
    (the temporary folder when that is not writable), and one line names the file.

    Args:
        profile_or_records: a profile (`prof` of `with profiler.profile() as prof:`), a list
            of launch records or one launch record.
        static: display plain HTML and PNG outputs only (no widgets), e.g. for a notebook
            converted to PDF. Also used when ipywidgets is not installed.
        color_by: the metric coloring the source lines at first (see `to_html`).
        worst: how many lines per launch to highlight at first.

    Example:
        >>> from cudalike import profiler, viz
        >>> with profiler.profile() as prof:  # doctest: +SKIP
        ...     copy[blocks, threads](src, dst)
        >>> viz.show(prof)  # doctest: +SKIP
    """
    launches = as_launches(profile_or_records)
    if not _in_notebook():
        path = _save_outside_notebook(launches, color_by=color_by, worst=worst)
        print(
            f"cudalike.viz.show: not in a notebook; the profile is in {path} (open it in a browser)"
        )
        return
    from IPython.display import display

    if static or not _has_ipywidgets():
        show_static(launches, color_by=color_by, worst=worst)
        return
    widget = view(launches, color_by=color_by, worst=worst)
    bundle = {
        "text/plain": f"cudalike profile: {len(launches)} launch(es)",
        "text/html": to_html(launches, color_by=color_by, worst=worst),
        WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": widget.model_id},
    }
    display(bundle, raw=True)


def show_static(launches: list[LaunchRecord], *, color_by: str = "time_share", worst: int = 3):
    """Display HTML panels and the roofline as a real `image/png` output, per launch.

    An `image/png` output survives every nbconvert format; an image inside HTML does not.
    """
    from IPython.display import HTML, Image, display

    from cudalike.viz._roofline import roofline_png

    if len(launches) > 1:
        display(HTML(overview_html(launches)))
    if not launches:
        display(HTML(to_html(launches)))
    for launch in launches:
        if is_pipe_record(launch):
            _show_pipes_static(launch)
            continue
        display(HTML(f'<div style="{CONTAINER}">{top_html(launch)}</div>'))
        png = roofline_png(launch)
        try:
            image = Image(data=png, format="png", alt=f"roofline of {launch.kernel_name}")
        except TypeError:  # IPython before 8.x has no `alt`
            image = Image(data=png, format="png")
        display(image)
        source = source_html(launch, color_by=color_by, worst=worst)
        display(HTML(f'<div style="{CONTAINER}">{source}</div>'))


def view(profile_or_records: Any, *, color_by: str = "time_share", worst: int = 3):
    """Build (without displaying) the interactive view: one tab per launch.

    Args:
        profile_or_records: as for `show`.
        color_by: the metric coloring the source lines at first.
        worst: how many lines per launch to highlight at first.

    Returns:
        An `ipywidgets.VBox`: the overview (when several launches) above an `ipywidgets.Tab`.

    Raises:
        ModuleNotFoundError: when ipywidgets is not installed (use `to_html` instead).

    Example:
        >>> box = viz.view(prof)  # doctest: +SKIP
        >>> box.children[-1].titles  # doctest: +SKIP
        ('0 copy',)
    """
    import ipywidgets

    launches = as_launches(profile_or_records)
    tab = ipywidgets.Tab(
        children=[launch_widget(launch, color_by=color_by, worst=worst) for launch in launches]
    )
    for index, launch in enumerate(launches):
        tab.set_title(index, f"{index} {launch.kernel_name}")
    parts = [ipywidgets.HTML(overview_html(launches))] if len(launches) > 1 else []
    return ipywidgets.VBox([*parts, tab])


def launch_widget(
    launch: LaunchRecord, *, color_by: str = "time_share", worst: int = 3
) -> ipywidgets.VBox:
    """One launch: static panels and roofline, then controls that redraw the source table."""
    import ipywidgets

    if is_pipe_record(launch):
        return _pipes_widget(launch)

    panels = ipywidgets.HTML(
        f'<div style="{CONTAINER}">'
        '<div style="display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start">'
        f'<div style="flex:1 1 420px">{top_html(launch)}</div>'
        f'<div style="flex:0 1 600px;padding-top:8px">{roofline_img(launch)}</div></div></div>'
    )
    color_choice = ipywidgets.Dropdown(
        options=list(COLOR_CHOICES.items()),
        value=color_by,
        description="color lines by",
        style={"description_width": "initial"},
    )
    worst_choice = ipywidgets.IntSlider(
        value=min(worst, MOST_WORST_LINES),
        min=0,
        max=MOST_WORST_LINES,
        description="highlight slowest",
        style={"description_width": "initial"},
    )
    source = ipywidgets.HTML(_source_block(launch, color_by, worst_choice.value))

    def redraw(_change: dict) -> None:
        source.value = _source_block(launch, color_choice.value, worst_choice.value)

    color_choice.observe(redraw, names="value")
    worst_choice.observe(redraw, names="value")
    return ipywidgets.VBox([panels, ipywidgets.HBox([color_choice, worst_choice]), source])


def _show_pipes_static(launch) -> None:
    """A CANN launch as HTML panels and the pipe Gantt as a real `image/png` output."""
    from IPython.display import HTML, Image, display

    from cudalike.viz import _pipes

    top = _pipes.header_html(launch) + _pipes.utilisation_html(launch)
    display(HTML(f'<div style="{CONTAINER}">{top}</div>'))
    display(Image(data=_pipes.gantt_png(launch), format="png"))
    display(HTML(f'<div style="{CONTAINER}">{_pipes.busiest_lines_html(launch)}</div>'))


def _pipes_widget(launch) -> ipywidgets.VBox:
    """A CANN launch: panels, then a core picker that redraws the pipe Gantt."""
    import ipywidgets

    from cudalike.viz import _pipes

    top = _pipes.header_html(launch) + _pipes.utilisation_html(launch)
    lines = _pipes.busiest_lines_html(launch)
    image = ipywidgets.Image(value=_pipes.gantt_png(launch), format="png")
    first = ipywidgets.IntSlider(
        value=0,
        min=0,
        max=max(launch.num_blocks - 1, 0),
        description="first core",
        style={"description_width": "initial"},
    )

    def redraw(_change: dict) -> None:
        cores = list(range(first.value, first.value + _pipes.MAX_CORES))
        image.value = _pipes.gantt_png(launch, cores)

    first.observe(redraw, names="value")
    return ipywidgets.VBox(
        [
            ipywidgets.HTML(f'<div style="{CONTAINER}">{top}</div>'),
            first,
            image,
            ipywidgets.HTML(f'<div style="{CONTAINER}">{lines}</div>'),
        ]
    )


def _source_block(launch: LaunchRecord, color_by: str, worst: int) -> str:
    """The annotated source in its white card."""
    return f'<div style="{CONTAINER}">{source_html(launch, color_by=color_by, worst=worst)}</div>'


def _in_notebook() -> bool:
    """True inside an IPython shell that can render HTML: a Jupyter kernel, not a terminal."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython and hasattr(ipython, "get_ipython") else None
    return shell is not None and type(shell).__name__ != "TerminalInteractiveShell"


def _save_outside_notebook(launches: list, **options: Any) -> Path:
    """Write the static page, named after the launches' kernels; return its path."""
    kernels = "-".join(dict.fromkeys(launch.kernel_name for launch in launches)) or "empty"
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", kernels)[:80]
    name = f"cudalike-profile-{stem}.html"
    try:
        return save_html(launches, Path.cwd() / name, **options).resolve()
    except OSError:  # a read-only working folder
        return save_html(launches, Path(tempfile.gettempdir()) / name, **options)


def _has_ipywidgets() -> bool:
    """True when ipywidgets can be imported (it is an optional, `lab` dependency)."""
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True
