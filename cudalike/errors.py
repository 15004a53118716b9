"""The one exception hierarchy of cudalike: every error a learner sees says where and who.

Each error keeps its coordinates as attributes (kernel, file, line, source, block, thread,
warp) so tools such as the autograder can read them without parsing the message.
"""

from __future__ import annotations

from cudalike.i18n import N_, _


class CudalikeError(Exception):
    """Base of every error cudalike raises on purpose."""

    def _render_traceback_(self) -> list[str]:
        """IPython's hook for an exception's own traceback: the learner's frames only.

        IPython and Jupyter call it instead of formatting the traceback themselves; plain
        Python never does. See cudalike/_ipython.py.
        """
        from cudalike import _ipython

        return _ipython.render_traceback(self)


class LaunchConfigError(CudalikeError):
    """A launch that CUDA itself would refuse (too many threads, empty grid, too much shared)."""


class UnsupportedConstructError(CudalikeError):
    """Kernel source uses Python the kernel language does not allow; raised at compile time.

    Attributes:
        kernel: name of the kernel or device function.
        filename: file of the kernel source.
        line: line number in that file.
        construct: short name of the construct that is not allowed.
    """

    def __init__(self, message: str, *, kernel: str, filename: str, line: int, construct: str):
        super().__init__(message)
        self.kernel = kernel
        self.filename = filename
        self.line = line
        self.construct = construct


class KernelError(CudalikeError):
    """An error found while a kernel ran, attributed to a source line and a thread.

    Attributes:
        kernel: kernel name.
        filename: file of the kernel source.
        line: line number in that file (None if unknown).
        source: text of that line.
        block: block index (x, y, z) of the first offending thread.
        thread: thread index (x, y, z) of the first offending thread.
        warp: warp number of that thread within its block.
        array: name of the array involved (parameter or shared-array name), or None.
        element: index tuple of the element involved, as the thread indexed it, or None.
        other_block: for a race, block index (x, y, z) of the other party, or None.
        other_thread: for a race, thread index (x, y, z) of the other party, or None
            (unknown when only its block or warp is known).
    """

    kind = N_("kernel error")

    def __init__(
        self,
        message: str,
        *,
        kernel: str = "",
        filename: str = "",
        line: int | None = None,
        source: str = "",
        block: tuple | None = None,
        thread: tuple | None = None,
        warp: int | None = None,
        hint: str = "",
        array: str | None = None,
        element: tuple | None = None,
        other_block: tuple | None = None,
        other_thread: tuple | None = None,
    ):
        self.detail = message
        self.kernel = kernel
        self.filename = filename
        self.line = line
        self.source = source
        self.block = block
        self.thread = thread
        self.warp = warp
        self.hint = hint
        self.array = array
        self.element = element
        self.other_block = other_block
        self.other_thread = other_thread
        super().__init__(self._format())

    def _format(self) -> str:
        where = f"{self.filename}:{self.line}" if self.line is not None else self.filename
        head = _("{kind} in kernel '{kernel}'").format(kind=_(self.kind), kernel=self.kernel)
        if where:
            head += _(" at {where}").format(where=where)
        parts = [head]
        if self.source:
            parts.append(f"    {self.source.strip()}")
        who = self._who()
        parts.append(
            _("{who}: {detail}").format(who=who, detail=self.detail) if who else self.detail
        )
        if self.hint:
            parts.append(_("hint: {hint}").format(hint=self.hint))
        return "\n".join(parts)

    def _who(self) -> str:
        """Who hit the error, in words: block, thread and warp ("" when unknown)."""
        if self.block is None or self.thread is None:
            return ""
        who = _("block {block}, thread {thread}").format(
            block=_fmt3(self.block), thread=_fmt3(self.thread)
        )
        return who + (_(" (warp {warp})").format(warp=self.warp) if self.warp is not None else "")


def _fmt3(triple: tuple) -> str:
    return "(" + ", ".join(str(int(v)) for v in triple) + ")"


class OutOfBoundsError(KernelError):
    """An array index outside the array's shape (negative indices included)."""

    kind = N_("out-of-bounds access")


class RaceError(KernelError):
    """Two threads touched the same element with no barrier between them."""

    kind = N_("data race")


class BarrierDivergenceError(KernelError):
    """A barrier reached by only part of a block (undefined behaviour on a GPU)."""

    kind = N_("barrier divergence")


class UninitializedReadError(KernelError):
    """A read of shared or local memory that no thread has written."""

    kind = N_("read of uninitialized memory")


class RunawayKernelError(KernelError):
    """A loop that ran past the step or time budget (probably endless)."""

    kind = N_("runaway kernel")


class KernelRuntimeError(KernelError):
    """Any other fault inside a kernel: bad index type, division of types, read-only write."""

    kind = N_("error")


class ElapsedTimeUnavailableError(CudalikeError):
    """cudalike never reports CPU emulation time as GPU time; raised when no model time exists."""


class CudaAPIError(CudalikeError):
    """A call the CUDA driver would reject, with the driver's error name (numba's CudaAPIError).

    Attributes:
        code: the CUDA driver error code (e.g. 400 for CUDA_ERROR_INVALID_HANDLE).
        msg: the explanation.
    """

    def __init__(self, code: int, msg: str):
        super().__init__(f"[{code}] {msg}")
        self.code = code
        self.msg = msg
