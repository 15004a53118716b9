"""`cuda.fp16`: numba's half-precision intrinsics (hadd, hfma, hlt, hsin, ...).

Each result is computed in double precision and rounded once to float16, which gives the
correctly rounded half result for +, -, * and fma of half inputs, as the hardware does.
"""

from __future__ import annotations

import numpy as np

_UNARY = {
    "hneg": np.negative,
    "habs": np.abs,
    "hsin": np.sin,
    "hcos": np.cos,
    "hlog": np.log,
    "hlog2": np.log2,
    "hlog10": np.log10,
    "hexp": np.exp,
    "hexp2": np.exp2,
    "hexp10": lambda x: np.power(10.0, x),
    "hsqrt": np.sqrt,
    "hrsqrt": lambda x: 1.0 / np.sqrt(x),
    "hrcp": lambda x: 1.0 / x,
    "hceil": np.ceil,
    "hfloor": np.floor,
    "htrunc": np.trunc,
    "hrint": np.rint,
}
_BINARY = {
    "hadd": np.add,
    "hsub": np.subtract,
    "hmul": np.multiply,
    "hdiv": np.divide,
    "hmax": np.fmax,
    "hmin": np.fmin,
}
_COMPARE = {
    "heq": np.equal,
    "hne": np.not_equal,
    "hge": np.greater_equal,
    "hgt": np.greater,
    "hle": np.less_equal,
    "hlt": np.less,
}
NAMES = (*_UNARY, *_BINARY, *_COMPARE, "hfma")


def _wide(value):
    return np.asarray(value, np.float16).astype(np.float64)


def _half(value, like):
    result = np.asarray(value).astype(np.float16)
    return result if isinstance(like, np.ndarray) else result[()]


class HalfPrecision:
    """The cuda.fp16 part of the chunk context (see engine.ChunkContext)."""

    def fp16(self, mask, line: int, name: str, *args):  # noqa: ARG002 - the intrinsic signature
        """One cuda.fp16 intrinsic on float16 values (one per lane or one for all)."""
        like = next((a for a in args if isinstance(a, np.ndarray)), args[0])
        wide = [_wide(a) for a in args]
        with np.errstate(all="ignore"):
            if name == "hfma":
                return _half(wide[0] * wide[1] + wide[2], like)
            if name in _COMPARE:
                result = _COMPARE[name](*wide)
                return result if isinstance(like, np.ndarray) else bool(result)
            function = _UNARY.get(name) or _BINARY[name]
            return _half(function(*wide), like)


def _intrinsic(name: str):
    def method(self, mask, line: int, *args):
        return self.fp16(mask, line, name, *args)

    method.__name__ = f"fp16_{name}"
    return method


for _name in NAMES:
    setattr(HalfPrecision, f"fp16_{_name}", _intrinsic(_name))
