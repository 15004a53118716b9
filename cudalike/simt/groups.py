"""Cooperative groups in kernels: `g = cuda.cg.this_grid()` and `g.sync()`.

numba-cuda has one group, the grid; `sync()` on it is a barrier for every thread of every
block (the engine runs such a kernel as one chunk; see engine.ChunkContext.grid_sync).
"""

from __future__ import annotations


class GridGroup:
    """The value of `cuda.cg.this_grid()` inside a kernel: the whole grid, one for all lanes."""

    def __repr__(self) -> str:
        return "<the grid group (cuda.cg.this_grid())>"


GRID = GridGroup()


class CooperativeGroups:
    """The cooperative-groups part of the chunk context (see engine.ChunkContext)."""

    def this_grid(self, mask, line: int) -> GridGroup:
        return GRID

    def group_sync(self, group, mask, line: int) -> None:
        """`group.sync()`: only the grid group has it."""
        if not isinstance(group, GridGroup):
            self.fail_runtime(
                line, f"{type(group).__name__} has no sync(); use cuda.cg.this_grid()"
            )
        self.grid_sync(mask, line)
