"""Tiling structs as bytes: defined once on the host, packed into GM, unpacked by the kernel.

Ascend C operators describe their tiling with a C struct (BEGIN_TILING_DATA_DEF /
TILING_DATA_FIELD_DEF on the host, a plain struct in the kernel). The host fills it with
`set_<field>` and `SaveToBuffer`, copies the bytes to GM, and the kernel reads them back with
GET_TILING_DATA or a word-by-word copy (`*ptr = *(tiling32 + i)`). Here a struct is a
subclass of `TilingData` whose annotations are its fields in order:

    class VecTiling(cann.TilingData):         # BEGIN_TILING_DATA_DEF(VecTiling)
        columnLength: cann.uint32             # TILING_DATA_FIELD_DEF(uint32_t, columnLength)
        softmaxTilingData: cann.SoftMaxTiling # TILING_DATA_FIELD_DEF_STRUCT(SoftMaxTiling, ...)

Every field sits at its C offset (aligned to its own size), so `sizeof(VecTiling)`, the bytes
SaveToBuffer writes and `reinterpret_cast(uint32, tiling)` match the vendor's. Integer fields
read back as Python ints, float fields as the float32 value the bytes hold.
"""

from __future__ import annotations

import typing

import numpy as np

from cudalike.cann import _context, errors
from cudalike.cann.dtypes import dtype_of
from cudalike.cann.gm import GmAddr, read_gm_bytes

_REGISTERED: dict[str, type] = {}


class TilingData:
    """A C struct of scalar fields and nested TilingData structs, stored as its bytes."""

    _layout: dict[str, tuple[object, int]] | None = None
    _defaults: dict[str, object] = {}
    _nbytes = 0
    _align = 1

    def __init_subclass__(cls, **kwargs) -> None:
        # Field defaults (`epsilon: float = 0`) move off the class, so reads reach the bytes.
        super().__init_subclass__(**kwargs)
        cls._defaults = {}
        for name in cls.__dict__.get("__annotations__", {}):
            if name in cls.__dict__ and not name.startswith("_"):
                cls._defaults[name] = cls.__dict__[name]
                delattr(cls, name)

    def __init__(self, _buffer: np.ndarray | None = None, _offset: int = 0, **values):
        type(self).layout()
        object.__setattr__(self, "_buffer", _buffer)
        object.__setattr__(self, "_offset", _offset)
        if _buffer is None:
            object.__setattr__(self, "_buffer", np.zeros(self._nbytes, np.uint8))
            for name, default in type(self)._defaults.items():
                setattr(self, name, default)
        for name, value in values.items():
            setattr(self, name, value)

    @classmethod
    def layout(cls) -> dict[str, tuple[object, int]]:
        """Field name -> (numpy dtype or TilingData class, byte offset), in C order."""
        if cls.__dict__.get("_layout") is None:
            offset, align, layout = 0, 1, {}
            for name, hint in typing.get_type_hints(cls).items():
                if name.startswith("_"):
                    continue
                if isinstance(hint, type) and issubclass(hint, TilingData):
                    hint.layout()
                    kind, size, field_align = hint, hint._nbytes, hint._align
                else:
                    kind = dtype_of(hint)
                    size = field_align = kind.itemsize
                offset = -(-offset // field_align) * field_align
                layout[name] = (kind, offset)
                offset += size
                align = max(align, field_align)
            cls._layout, cls._align = layout, align
            cls._nbytes = -(-offset // align) * align
        return cls._layout

    @classmethod
    def sizeof(cls) -> int:
        """Bytes of the struct, as C's sizeof."""
        cls.layout()
        return cls._nbytes

    def __getattr__(self, name: str):
        layout = type(self).layout()
        if name.startswith("set_") and name[4:] in layout:
            return lambda value: setattr(self, name[4:], value)
        if name.startswith("get_") and name[4:] in layout:
            return lambda: getattr(self, name[4:])
        if name not in layout:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}")
        kind, offset = layout[name]
        at = self._offset + offset
        if isinstance(kind, type):
            return kind(self._buffer, at)
        value = self._buffer[at : at + kind.itemsize].view(kind)[0]
        return float(value) if kind.kind == "f" else int(value)

    def __setattr__(self, name: str, value) -> None:
        layout = type(self).layout()
        if name not in layout:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}")
        kind, offset = layout[name]
        at = self._offset + offset
        if isinstance(kind, type):
            size = kind.sizeof()
            self._buffer[at : at + size] = value.bytes()
            return
        raw = np.array([value], kind) if kind.kind == "f" else np.array([int(value)]).astype(kind)
        self._buffer[at : at + kind.itemsize] = raw.view(np.uint8)

    def bytes(self) -> np.ndarray:
        """The struct's bytes (a copy)."""
        return self._buffer[self._offset : self._offset + self.sizeof()].copy()

    def SaveToBuffer(self, buffer: np.ndarray, size: int) -> None:
        """Write the struct's bytes to the start of a host buffer of `size` bytes."""
        need = self.sizeof()
        if need > int(size) or need > buffer.nbytes:
            raise ValueError(
                f"SaveToBuffer: {type(self).__name__} takes {need} bytes, the buffer {size}"
            )
        buffer.reshape(-1).view(np.uint8)[:need] = self.bytes()

    def GetDataSize(self) -> int:
        return self.sizeof()

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).layout())
        return f"{type(self).__name__}({fields})"


def sizeof(kind) -> int:
    """C's sizeof: a TilingData struct's bytes, or an element type's."""
    if isinstance(kind, type) and issubclass(kind, TilingData):
        return kind.sizeof()
    if isinstance(kind, TilingData):
        return kind.sizeof()
    return dtype_of(kind).itemsize


def reinterpret_cast(dtype, struct: TilingData) -> np.ndarray:
    """The struct's bytes as an array of `dtype` that writes through to the struct:
    `uint32_t* ptr = reinterpret_cast<uint32_t*>(&tiling)` is `reinterpret_cast(uint32,
    tiling)`, and `*(ptr + i) = v` is `ptr[i] = v`."""
    if not isinstance(struct, TilingData):
        raise TypeError("reinterpret_cast takes a TilingData struct (use .cast for a GM_ADDR)")
    size = struct.sizeof()
    return struct._buffer[struct._offset : struct._offset + size].view(dtype_of(dtype))


def REGISTER_TILING_DATA_CLASS(op_type: str, struct: type) -> None:
    """Tie an operator type (`AddCustom`) to its tiling struct, so GET_TILING_DATA in its
    kernel (`add_custom`) knows what the bytes hold."""
    _REGISTERED[op_type] = struct


def REGISTER_TILING_DEFAULT(struct: type) -> None:
    """In a kernel: the struct GET_TILING_DATA reads for this kernel's operator."""
    core = _context.current("REGISTER_TILING_DEFAULT")
    _REGISTERED[_op_type(core.launch.kernel_name)] = struct


def _op_type(kernel_name: str) -> str:
    """The operator type of a kernel: leaky_relu_custom -> LeakyReluCustom."""
    return "".join(part.capitalize() for part in kernel_name.split("_"))


def GET_TILING_DATA(tiling: GmAddr, struct: type | None = None) -> TilingData:
    """Read the kernel's tiling struct from the GM bytes at `tiling`.

    `GET_TILING_DATA(tilingData, tiling)` declares `tilingData` of the struct registered for
    the operator; here `tilingData = GET_TILING_DATA(tiling)` returns it (the struct is the one
    registered for the kernel's operator type, e.g. LeakyReluCustom for leaky_relu_custom, by
    REGISTER_TILING_DATA_CLASS on the host or REGISTER_TILING_DEFAULT in the kernel, or the
    `struct` given). The read is one scalar access to GM per 32-byte block.
    """
    core = _context.current("GET_TILING_DATA")
    if struct is None:
        op_type = _op_type(core.launch.kernel_name)
        struct = _REGISTERED.get(op_type)
        if struct is None:
            raise _context.error(
                errors.InstructionError,
                f"GET_TILING_DATA in kernel '{core.launch.kernel_name}': no tiling struct is "
                f"registered for operator {op_type}",
                f"call cann.REGISTER_TILING_DEFAULT(YourTilingData) in the kernel first, or "
                f"cann.REGISTER_TILING_DATA_CLASS('{op_type}', YourTilingData) on the host",
            )
    if not isinstance(tiling, GmAddr):
        raise _context.error(
            errors.InstructionError,
            f"GET_TILING_DATA takes the kernel's tiling GM_ADDR, got {type(tiling).__name__}",
            "pass the tiling as a numpy byte array (SaveToBuffer) or a device pointer",
        )
    size = struct.sizeof()
    data = read_gm_bytes(core, tiling, size, "GET_TILING_DATA")
    return struct(np.array(data, np.uint8), 0)
