"""`viz.accesses`: run one small launch and record which thread touched which element.

While `accesses()` runs the launch, the engine calls a `Recorder` on every load, store and
atomic of global, constant and shared arrays (see `cudalike.simt.engine.recorder`): it keeps
the instruction's source line, the threads of the active lanes and the logical element each
one touched (for shared memory: the element of its block's copy). The launch itself runs as
always, checks on and outputs written; a KernelError it raises is kept, not raised, and drawn.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cudalike.errors import KernelError

MAX_THREADS = 4096
MAX_RECORDED = 2_000_000  # (thread, element) records kept; beyond, recording stops


@dataclasses.dataclass
class ArrayInfo:
    """An array the launch touched: its name, memory space, logical shape and element size."""

    name: str
    space: str
    shape: tuple
    itemsize: int


@dataclasses.dataclass
class Event:
    """One access instruction executed by some lanes: who touched which element, and how.

    `threads` holds each lane's global linear thread number (block * threads per block +
    thread), `elements` the flat logical element it touched.
    """

    site: int
    kind: str  # "read", "write" or "atomic"
    array: str
    threads: np.ndarray
    elements: np.ndarray


class Recorder:
    """Receives the engine's access calls during one launch (the first one made)."""

    def __init__(self):
        self.launch = None
        self.events: list[Event] = []
        self.arrays: dict[str, ArrayInfo] = {}
        self._names: dict[int, str] = {}
        self._recorded = 0
        self.truncated = False

    def begin(self, launch):
        """Called by engine.Launch: accept the first launch, refuse one too big to draw."""
        if self.launch is not None:
            return None
        threads = launch.threads * launch.blocks
        if threads > MAX_THREADS:
            raise ValueError(
                f"too big to draw: {threads} threads; draw a launch of at most {MAX_THREADS} "
                "threads, e.g. a smaller n"
            )
        self.launch = launch
        return self

    # ---- engine hooks ---------------------------------------------------------------------
    def access(self, ctx, buffer, flat, mask, site: int, store: bool) -> None:
        """A load or store by the active lanes; `flat` is the logical element (per lane)."""
        if buffer.space == "local":
            return
        lanes = ctx.active_lanes(mask)
        if isinstance(flat, slice):
            elements = np.arange(flat.start, flat.stop, dtype=np.int64)[lanes]
        elif isinstance(flat, np.ndarray):
            elements = flat[lanes] if flat.size == ctx.lanes else flat
        else:
            elements = np.full(lanes.size, int(flat), np.int64)
        self._add(ctx, buffer, lanes, elements, site, "write" if store else "read")

    def atomic(self, ctx, buffer, elements, lanes, site: int) -> None:
        """An atomic update by `lanes` of the flat logical `elements`."""
        self._add(ctx, buffer, lanes, np.asarray(elements, np.int64), site, "atomic")

    def out_of_bounds(self, ctx, buffer, index: tuple, mask, site: int, store: bool) -> None:
        """An access that faulted: keep the lanes whose every index was inside the array."""
        if buffer.space == "local" or len(index) != buffer.ndim:
            return
        lanes = ctx.active_lanes(mask)
        flat = np.full(lanes.size, buffer.offset, np.int64)
        if isinstance(buffer.offset, np.ndarray):
            flat = buffer.offset[lanes].astype(np.int64)
        inside = np.ones(lanes.size, bool)
        for value, extent, stride in zip(index, buffer.shape, buffer.element_strides, strict=True):
            value = np.asarray(value)
            if value.dtype.kind not in "iu":
                return
            value = value[lanes] if value.ndim else np.full(lanes.size, int(value))
            inside &= (value >= 0) & (value < extent)
            flat = flat + value.astype(np.int64) * stride
        kind = "write" if store else "read"
        self._add(ctx, buffer, lanes[inside], flat[inside], site, kind)

    def _add(self, ctx, buffer, lanes, elements, site: int, kind: str) -> None:
        if lanes.size == 0 or self.truncated:
            return
        self._recorded += int(lanes.size)
        if self._recorded > MAX_RECORDED:
            self.truncated = True
            return
        threads = (ctx.first_block + ctx.lane_block[lanes]) * ctx.threads + ctx.lane_thread[lanes]
        self.events.append(
            Event(site, kind, self._name(buffer), threads.astype(np.int64), elements.copy())
        )

    def _name(self, buffer) -> str:
        root = buffer.root
        name = self._names.get(id(root))
        if name is None:
            name = root.name
            count = 2
            while name in self.arrays:
                name = f"{root.name} ({count})"
                count += 1
            self._names[id(root)] = name
            self.arrays[name] = ArrayInfo(name, root.space, root.shape, root.itemsize)
        return name


# ---- the result -------------------------------------------------------------------------
Key = tuple[tuple[int, int, int], tuple[int, int, int]]


class Accesses:
    """What one recorded launch read and wrote; draws itself in a notebook.

    Attributes:
        kernel: the kernel's name.
        griddim, blockdim: the launch's (x, y, z) dimensions.
        error: the KernelError the launch raised, or None.
        arrays: name -> ArrayInfo of every array drawn, parameters first.
        events: the recorded access instructions, in execution order.
        recorded_arrays: name -> ArrayInfo of every array the launch touched.
        truncated: True when the launch made too many accesses to record them all.
    """

    def __init__(self, recorder: Recorder, params: list[tuple[str, tuple, int]], error, show):
        launch = recorder.launch
        self._launch_kernel = launch.kernel
        self.kernel = launch.kernel.__name__
        self.griddim = tuple(launch.griddim)
        self.blockdim = tuple(launch.blockdim)
        self.threads_per_block = launch.threads
        self.error: KernelError | None = error
        self.events = recorder.events
        self.truncated = recorder.truncated
        self.recorded_arrays = recorder.arrays
        arrays = {name: ArrayInfo(name, "global", shape, size) for name, shape, size in params}
        for name, info in recorder.arrays.items():
            arrays.setdefault(name, info)
        if show is not None:
            unknown = [name for name in show if name not in arrays]
            if unknown:
                raise ValueError(
                    f"no array named {', '.join(map(repr, unknown))} in this launch; "
                    f"its arrays are {', '.join(map(repr, arrays))} (a shared array is known "
                    "once the kernel touches it)"
                )
            arrays = {name: arrays[name] for name in show}
        self.arrays = arrays

    # ---- coordinates --------------------------------------------------------------------
    def block_of(self, thread: int) -> tuple[int, int, int]:
        """Block index (x, y, z) of a global linear thread number."""
        block = int(thread) // self.threads_per_block
        gx, gy, _ = self.griddim
        return (block % gx, block // gx % gy, block // (gx * gy))

    def thread_of(self, thread: int) -> tuple[int, int, int]:
        """Thread index (x, y, z) within its block of a global linear thread number."""
        linear = int(thread) % self.threads_per_block
        bx, by, _ = self.blockdim
        return (linear % bx, linear // bx % by, linear // (bx * by))

    def linear_thread(self, block: tuple, thread: tuple) -> int:
        """Global linear thread number of (block index, thread index)."""
        gx, gy, _ = self.griddim
        bx, by, _ = self.blockdim
        b = block[0] + gx * (block[1] + gy * block[2])
        t = thread[0] + bx * (thread[1] + by * thread[2])
        return b * self.threads_per_block + t

    def line_of(self, site: int) -> tuple[int, str]:
        """Source line number and text of an event's site."""
        return self._launch_kernel.line_of(site), self._launch_kernel.source_of(site).strip()

    def element_tuple(self, name: str, flat: int) -> tuple[int, ...]:
        shape = self.arrays[name].shape
        return tuple(int(i) for i in np.unravel_index(int(flat), shape)) if shape else ()

    # ---- queries ------------------------------------------------------------------------
    def pairs(self, name: str, kinds: tuple[str, ...]) -> dict[int, list[int]]:
        """Global thread -> flat elements it touched with one of `kinds`, first touch first."""
        self._known(name)
        touched: dict[int, dict[int, None]] = {}
        for event in self.events:
            if event.array != name or event.kind not in kinds:
                continue
            for thread, element in zip(
                event.threads.tolist(), event.elements.tolist(), strict=True
            ):
                touched.setdefault(thread, {})[element] = None
        return {thread: list(touched[thread]) for thread in sorted(touched)}

    def _by_coordinates(self, name: str, kinds: tuple[str, ...]) -> dict[Key, list[tuple]]:
        return {
            (self.block_of(t), self.thread_of(t)): [self.element_tuple(name, e) for e in elements]
            for t, elements in self.pairs(name, kinds).items()
        }

    def reads(self, name: str) -> dict[Key, list[tuple]]:
        """{(blockIdx, threadIdx): [element index tuples it loaded from `name`]}."""
        return self._by_coordinates(name, ("read",))

    def writes(self, name: str) -> dict[Key, list[tuple]]:
        """{(blockIdx, threadIdx): [element index tuples it stored to or updated atomically]}."""
        return self._by_coordinates(name, ("write", "atomic"))

    def atomics(self, name: str) -> dict[Key, list[tuple]]:
        """{(blockIdx, threadIdx): [element index tuples it updated with cuda.atomic]}."""
        return self._by_coordinates(name, ("atomic",))

    def banks(self, name: str):
        """Shared-memory bank use per warp and access instruction of shared array `name`."""
        from cudalike.viz._banks import BankUse

        info = self.recorded_arrays.get(name)
        if info is None or info.space != "shared":
            shared = [n for n, i in self.recorded_arrays.items() if i.space == "shared"]
            raise KeyError(
                f"no shared array named {name!r} was accessed in this launch; its shared "
                f"arrays are {', '.join(map(repr, shared)) or 'none'}"
            )
        return BankUse(self, name)

    def _known(self, name: str) -> None:
        if name not in self.arrays:
            raise KeyError(
                f"no array named {name!r} in this picture; its arrays are "
                f"{', '.join(map(repr, self.arrays))}"
            )

    # ---- display ------------------------------------------------------------------------
    def to_html(self) -> str:
        """The picture: static HTML with one inline SVG per array."""
        from cudalike.viz._access_svg import picture_html

        return picture_html(self)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        state = f"error {type(self.error).__name__}" if self.error else "no error"
        return (
            f"<accesses of kernel '{self.kernel}' grid {self.griddim} block {self.blockdim}: "
            f"{len(self.events)} access instructions, arrays {list(self.arrays)}, {state}>"
        )


def accesses(launch, *args, arrays: tuple[str, ...] | None = None) -> Accesses:
    """Run `launch(*args)` once (e.g. `kernel[grid, block]`) and record every array access.

    Returns the picture of which thread read and wrote which element. A KernelError of the
    launch is kept in `.error` and drawn, never raised. `arrays` limits the picture to these
    parameter or shared-array names. Launches of more than 4096 threads raise ValueError.
    """
    from cudalike.simt import engine

    recorder = Recorder()
    previous, engine.recorder = engine.recorder, recorder
    error = None
    try:
        launch(*args)
    except KernelError as raised:
        error = raised
    finally:
        engine.recorder = previous
    if recorder.launch is None:
        raise ValueError(
            "nothing was launched: pass the launch itself, e.g. "
            "viz.accesses(kernel[blocks, threads], a, b, out)"
        )
    return Accesses(recorder, _array_params(recorder.launch.kernel, args), error, arrays)


def _array_params(kernel, args: tuple) -> list[tuple[str, tuple, int]]:
    """(name, shape, itemsize) of the launch's array arguments, in parameter order."""
    params = []
    for name, value in zip(kernel.parsed.params, args, strict=False):
        array = getattr(value, "_array", value)
        if isinstance(array, np.ndarray):
            params.append((name, tuple(array.shape), array.itemsize))
    return params
