"""The result channel's wire format: one length-prefixed JSON header, then raw array bytes.

The child writes one message to a pipe only it and the grader hold; the grader decodes it
without running anything the child sent. Pickle would run code on loading, so the format has
plain values only: None, bool, int, float, str, lists, tuples, dicts with str keys, and numpy
arrays and scalars of bool, integer, float or complex dtype. Every node of the JSON tree says
what it is, so a submission's object can never be mistaken for a result. Text that is not valid
Unicode (a lone surrogate, which JSON can carry) is decoded escaped, so no writer downstream
ever meets it.
"""

from __future__ import annotations

import json
import os
import struct

import numpy as np

MAGIC = b"CLR1"
_PREFIX = struct.Struct(">4sQ")  # magic, header length
MAX_BYTES = 1 << 30  # a larger message is malformed
_MAX_DEPTH = 32
_DTYPE_KINDS = "biufc"


class MalformedResult(ValueError):
    """A message, or a value to be sent, outside the format; the text says what is wrong."""


def encode(message: dict) -> bytes:
    """Encode a message (a dict of plain values and numpy arrays) into one frame."""
    arrays: list[np.ndarray] = []
    header = json.dumps(
        {
            "tree": _encode(message, arrays, 0),
            "arrays": [
                {"dtype": a.dtype.str, "shape": list(a.shape), "nbytes": a.nbytes} for a in arrays
            ],
        }
    ).encode()
    payload = b"".join([_PREFIX.pack(MAGIC, len(header)), header] + [a.tobytes() for a in arrays])
    if len(payload) > MAX_BYTES:
        raise MalformedResult(f"the result is larger than {MAX_BYTES} bytes")
    return payload


def send(fd: int, message: dict) -> None:
    """Write one frame to the file descriptor `fd`."""
    view = memoryview(encode(message))
    while view:
        view = view[os.write(fd, view) :]


def _encode(value, arrays: list[np.ndarray], depth: int):
    if depth > _MAX_DEPTH:
        raise MalformedResult("the result is nested too deeply")
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is np.ndarray or (
        isinstance(value, np.generic) and type(value).__module__ == "numpy"
    ):
        array = np.asarray(value)  # tobytes() below writes C order whatever the layout
        _check_dtype(array.dtype)
        arrays.append(array)
        return {"array" if isinstance(value, np.ndarray) else "scalar": len(arrays) - 1}
    if type(value) in (list, tuple):
        return {type(value).__name__: [_encode(item, arrays, depth + 1) for item in value]}
    if type(value) is dict and all(type(key) is str for key in value):
        items = [[key, _encode(item, arrays, depth + 1)] for key, item in value.items()]
        return {"dict": items}
    return _refuse(value)


def _refuse(value):
    raise MalformedResult(
        f"a result may hold numbers, strings, lists, tuples, dicts and numeric numpy arrays, "
        f"not {type(value).__module__}.{type(value).__qualname__}"
    )


def _check_dtype(dtype: np.dtype) -> None:
    if dtype.kind not in _DTYPE_KINDS or dtype.fields is not None or dtype.hasobject:
        raise MalformedResult(f"arrays of dtype {dtype} are not results (numeric dtypes only)")


def decode(data: bytes) -> dict:
    """Decode one frame, checking every node; raises MalformedResult on anything else."""
    if len(data) < _PREFIX.size:
        raise MalformedResult("the result message is truncated")
    magic, header_length = _PREFIX.unpack_from(data)
    if magic != MAGIC or header_length > len(data) - _PREFIX.size:
        raise MalformedResult("the result message has a bad header")
    try:
        header = json.loads(data[_PREFIX.size : _PREFIX.size + header_length])
        tree, specs = header["tree"], header["arrays"]
    except (ValueError, KeyError, TypeError) as error:
        raise MalformedResult(f"the result header is not valid: {error}") from error
    arrays, offset = [], _PREFIX.size + header_length
    for spec in specs if isinstance(specs, list) else [None]:
        array = _array(spec, data, offset)
        arrays.append(array)
        offset += array.nbytes
    if offset != len(data):
        raise MalformedResult("the result message has trailing bytes")
    message = _decode(tree, arrays, 0)
    if not isinstance(message, dict):
        raise MalformedResult("the result message is not a dict")
    return message


def _array(spec, data: bytes, offset: int) -> np.ndarray:
    try:
        dtype = np.dtype(str(spec["dtype"]))
        shape = tuple(int(n) for n in spec["shape"])
        nbytes = int(spec["nbytes"])
    except (TypeError, KeyError, ValueError) as error:
        raise MalformedResult(f"an array in the result is not described: {error}") from error
    _check_dtype(dtype)
    if any(n < 0 for n in shape) or int(np.prod(shape)) * dtype.itemsize != nbytes:
        raise MalformedResult("an array's shape does not match its size")
    if offset + nbytes > len(data):
        raise MalformedResult("the result message is truncated")
    return (
        np.frombuffer(data, dtype, count=nbytes // dtype.itemsize, offset=offset)
        .reshape(shape)
        .copy()
    )


def _decode(node, arrays: list[np.ndarray], depth: int):
    if depth > _MAX_DEPTH:
        raise MalformedResult("the result is nested too deeply")
    if type(node) is str:
        return _valid_text(node)
    if node is None or type(node) in (bool, int, float):
        return node
    if type(node) is not dict or len(node) != 1:
        raise MalformedResult("the result has a node of unknown form")
    ((tag, content),) = node.items()
    if tag in ("array", "scalar") and type(content) is int and 0 <= content < len(arrays):
        return arrays[content] if tag == "array" else arrays[content][()]
    if tag in ("list", "tuple") and type(content) is list:
        items = [_decode(item, arrays, depth + 1) for item in content]
        return items if tag == "list" else tuple(items)
    if tag == "dict" and type(content) is list:
        pairs = [pair for pair in content if type(pair) is list and len(pair) == 2]
        if len(pairs) != len(content) or any(type(key) is not str for key, _ in pairs):
            raise MalformedResult("the result has a dict of unknown form")
        return {_valid_text(key): _decode(item, arrays, depth + 1) for key, item in pairs}
    raise MalformedResult(f"the result has a node of unknown kind {tag!r}")


def _valid_text(text: str) -> str:
    """`text` with what UTF-8 cannot encode (lone surrogates) written as escapes."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text
