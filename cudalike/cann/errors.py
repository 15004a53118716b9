"""Errors of the CANN-style runtime: each names the learner's file:line, the block and a fix.

They extend `cudalike.errors.KernelError` with the NPU's coordinates: `block` is the core
(block) index, and `pipe`, `queue` and `slot` say which pipe, queue and buffer slot were
involved when that applies.
"""

from __future__ import annotations

from cudalike import errors
from cudalike.i18n import N_, _


class CannKernelError(errors.KernelError):
    """An error found while a CANN-style kernel ran.

    Attributes:
        block: block (core) index, an int.
        pipe: the pipe involved ("V", "MTE2"...), or None.
        queue: description of the queue involved (e.g. "TQue(VECIN, depth 2)"), or None.
        slot: buffer slot number inside that queue, or None.
    """

    kind = N_("CANN kernel error")

    def __init__(
        self,
        message: str,
        *,
        pipe: str | None = None,
        queue: str | None = None,
        slot: int | None = None,
        **where,
    ):
        self.pipe = pipe
        self.queue = queue
        self.slot = slot
        super().__init__(message, **where)

    def _who(self) -> str:
        """The core (block) index, or "host" when the call came from outside a kernel."""
        return _("block {block}").format(block=self.block) if self.block is not None else _("host")


class BufferStateError(CannKernelError):
    """A queue or buffer call out of order: use after FreeTensor, DeQue of an empty queue..."""

    kind = N_("buffer state error")


class CapacityError(CannKernelError):
    """InitBuffer asked for more UB, L1 or L0 than the core has."""

    kind = N_("on-chip memory exceeded")


class AlignmentError(CannKernelError):
    """An address or length the hardware needs aligned (32 bytes in UB) is not."""

    kind = N_("misaligned access")


class SyncError(CannKernelError):
    """A tensor read before the pipe that wrote it was synchronised with the reader."""

    kind = N_("missing synchronisation")


class GlobalOutOfBoundsError(CannKernelError, errors.OutOfBoundsError):
    """A GlobalTensor or LocalTensor access outside its buffer."""

    kind = N_("out-of-bounds access")


class GlobalRaceError(CannKernelError, errors.RaceError):
    """Two cores wrote the same global-memory bytes in one launch."""

    kind = N_("data race between cores")


class InstructionError(CannKernelError):
    """An instruction's arguments the hardware cannot take (repeat over 255, bad mask...)."""

    kind = N_("invalid instruction")
