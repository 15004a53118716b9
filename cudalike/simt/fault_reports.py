"""Fault reports of the SIMT engine: who (block, thread, warp), where (file:line) and what.

Mixed into engine.ChunkContext: every check that fails builds its KernelError here, naming the
lane's block and thread in CUDA's coordinates and the element in the array's own indices.
"""

from __future__ import annotations

import numpy as np

from cudalike.errors import KernelRuntimeError


class FaultReports:
    """Report building for a chunk (needs launch, threads, first_block, bdim_*, gdim_*)."""

    def describe_lane(self, lane: int) -> str:
        block, thread = self.coordinates(lane)
        return f"by block {_tuple(block)}, thread {_tuple(thread)}"

    def coordinates(self, lane: int) -> tuple[tuple, tuple]:
        block = self.block_coordinates(self.first_block + lane // self.threads)
        linear = lane % self.threads
        thread = (
            linear % self.bdim_x,
            linear // self.bdim_x % self.bdim_y,
            linear // (self.bdim_x * self.bdim_y),
        )
        return block, thread

    def block_coordinates(self, block: int) -> tuple:
        return (
            block % self.gdim_x,
            block // self.gdim_x % self.gdim_y,
            block // (self.gdim_x * self.gdim_y),
        )

    def element_name(self, buffer, position: int) -> str:
        return "[" + ", ".join(map(str, self.element_index(buffer, position))) + "]"

    def error(self, kind, site: int, lane: int | None, message: str, hint: str = "", **involved):
        """Build the report of a fault at `site` (see lowering) by `lane` (None: unknown).

        `involved` names what the fault touched, as KernelError attributes: array, element,
        other_block, other_thread.
        """
        kernel = self.launch.kernel
        block, thread = self.coordinates(lane) if lane is not None else (None, None)
        return kind(
            message,
            kernel=kernel.__name__,
            filename=kernel.filename_of(site),
            line=kernel.line_of(site),
            source=kernel.source_of(site),
            block=block,
            thread=thread,
            warp=None if lane is None else (lane % self.threads) // 32,
            hint=hint,
            **involved,
        )

    def element_index(self, buffer, position: int) -> tuple:
        """Index tuple of the element at storage `position` of `buffer` (any block's copy)."""
        buffer = buffer.root
        flat = position % buffer.size if buffer.size else 0
        return tuple(int(i) for i in np.unravel_index(flat, buffer.shape)) if buffer.shape else ()

    def fail_runtime(self, site: int, message: str, hint: str = ""):
        raise self.error(KernelRuntimeError, site, None, message, hint)


def _tuple(values) -> str:
    return "(" + ", ".join(str(int(v)) for v in values) + ")"
