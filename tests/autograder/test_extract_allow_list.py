"""The extraction boundary as allow-lists: what a submission may bring, and what it may not.

Each refused case is an attack seen to work against a deny-list design; each accepted case is
ordinary learner code that must keep working. Nothing of the submission runs in these tests.
"""

import os

import pytest

from autograder._notebook import MAX_FILE_BYTES
from autograder.extract import extract

SIMT_HEAD = "import numpy as np\nfrom cudalike import cuda\n"
CANN_HEAD = "import numpy as np\nfrom cudalike import cann\nfrom cudalike.cann import TPipe\n"


def _extract(tmp_path, text, kernels=("k",), track="simt", name="sub.py"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return extract(path, list(kernels), track)


def _messages(extracted):
    return [f.message for f in extracted.findings if f.level == "error"]


KERNEL = "\n@cuda.jit\ndef k(out):\n    out[0] = {use}\n"


@pytest.mark.parametrize(
    "binding",
    [
        "SYS = np.f2py.sys",
        "SYS = np.lib.npyio.os",
        "import cudalike.simt.dispatcher as d\nSYS = d.sys",
        "import cudalike\nSYS = cudalike.model.profiles.Path",
        "from numpy import save as SYS",
        "from numpy import load as SYS",
        "import numpy.f2py as SYS",
        "from numba.core import serialize as SYS",
        "from math import *\nSYS = pi",
        "SYS = (lambda: 1)()",
        "SYS = [1, 2]",
        "SYS = {'a': 1}",
        "SYS = b'\\x80\\x04'",
        "SYS: np.f2py = 3 if np.save('x', 1) else 4",
    ],
)
def test_module_level_names_are_literals_or_allowed_imports_only(tmp_path, binding):
    extracted = _extract(tmp_path, SIMT_HEAD + binding + KERNEL.format(use="SYS"))
    assert not extracted.ok
    assert any("'k' uses 'SYS'" in message for message in _messages(extracted))
    assert {p.name for p in extracted.pieces} <= {"np", "cuda", "k"}


@pytest.mark.parametrize(
    "binding, value",
    [
        ("N = 256", 256),
        ("N = 2 ** 8", 256),
        ("A = 16\nN = A * A", 256),
        ("N: int = 256", 256),
        ("N, M = 256, 3", 256),
        ("N = (1, 2) + (3,)", (1, 2, 3)),
    ],
)
def test_literal_constants_are_computed_by_the_grader(tmp_path, binding, value):
    extracted = _extract(tmp_path, SIMT_HEAD + binding + KERNEL.format(use="N"))
    assert extracted.ok, extracted.findings
    (constant,) = [p for p in extracted.pieces if p.name == "N"]
    assert (constant.kind, constant.value) == ("constant", value)


def test_dtype_names_are_imports_the_grader_makes(tmp_path):
    extracted = _extract(tmp_path, SIMT_HEAD + "DT = np.float32" + KERNEL.format(use="DT(1)"))
    assert extracted.ok, extracted.findings
    (piece,) = [p for p in extracted.pieces if p.name == "DT"]
    assert (piece.kind, piece.module, piece.attribute) == ("import", "numpy", "float32")


def test_shared_tuples_cannot_grow_exponentially(tmp_path):
    chain = "A0 = (1, 1)\n" + "".join(f"A{n} = (A{n - 1}, A{n - 1})\n" for n in range(1, 60))
    extracted = _extract(tmp_path, SIMT_HEAD + chain + KERNEL.format(use="A59[0]"))
    assert not extracted.ok
    assert any("which is not a constant" in m for m in _messages(extracted))


@pytest.mark.parametrize(
    "helper",
    [
        "def helper(x=np.save('pwn', 1)):\n    return x\n",
        "class helper:\n    def m(self, x=print('pwn')):\n        pass\n",
        "helper = lambda x=print('pwn'): x\n",
    ],
)
def test_plain_helpers_never_reach_a_simt_kernel(tmp_path, helper):
    text = SIMT_HEAD + helper + "\n@cuda.jit\ndef k(out):\n    if out.size > 10**9:\n"
    text += "        helper(1)\n    out[0] = 1\n"
    extracted = _extract(tmp_path, text)
    assert not extracted.ok
    assert "helper" not in {p.name for p in extracted.pieces}


@pytest.mark.parametrize(
    "decorator",
    [
        "@cuda.jit(\"void(float32[:], __import__('os').system('touch pwn'))\")",
        "@cuda.jit(print('pwn'))",
        "@cuda.jit(device=print('pwn'))",
        "@cuda.jit(link=['/etc/passwd'])",
        "@cuda.jit\n@staticmethod",
        "@cuda.jit(lambda: 0)",
    ],
)
def test_decorator_arguments_are_signatures_and_literals_only(tmp_path, decorator):
    extracted = _extract(tmp_path, SIMT_HEAD + decorator + "\ndef k(out):\n    out[0] = 1\n")
    assert not extracted.ok
    assert any("decorated with" in message for message in _messages(extracted))


@pytest.mark.parametrize(
    "decorator, signature",
    [
        ("@cuda.jit('void(float32[:])')", "'void(float32[:])'"),
        ("@cuda.jit(void(float32[::1]))", "void(float32[::1])"),
        ("@cuda.jit((float32[::1],))", "(float32[::1],)"),
        ("@cuda.jit(void(f4[:, :]), fastmath=True)", "void(float32[:, :])"),
    ],
)
def test_numba_signatures_are_rewritten_with_numba_names(tmp_path, decorator, signature):
    head = SIMT_HEAD + "from numba import void, float32\nfrom numba import float32 as f4\n"
    extracted = _extract(tmp_path, head + decorator + "\ndef k(out):\n    out[0] = 1\n")
    assert extracted.ok, extracted.findings
    (kernel,) = [p for p in extracted.pieces if p.name == "k"]
    assert dict(kernel.options)["signature"] == signature


def test_default_arguments_are_refused_in_kernels(tmp_path):
    text = SIMT_HEAD + "\n@cuda.jit(device=True)\ndef d(x, y=np.save('pwn', 1)):\n    return x\n"
    text += "\n@cuda.jit\ndef k(out):\n    out[0] = d(1)\n"
    assert any("default argument values in 'd'" in m for m in _messages(_extract(tmp_path, text)))


def test_annotations_are_dropped_not_evaluated(tmp_path):
    text = SIMT_HEAD + "\n@cuda.jit\ndef k(out: np.save('pwn', 1)) -> print('x'):\n"
    text += "    out[0] = 1\n"
    extracted = _extract(tmp_path, text)
    assert extracted.ok, extracted.findings
    assert {p.name for p in extracted.pieces} == {"k"}  # np is not even taken


CANN_KERNEL = "\n@cann.kernel\ndef k(x, y, z, tiling):\n    op = Op()\n    op.Run(x)\n"


@pytest.mark.parametrize(
    "method, phrase",
    [
        ("match x:\n            case object(data=d):\n                pass", "match statement"),
        ("t = '{0.__class__}'.format(x)", "the attribute .format"),
        ("t = (i for i in range(3))", "generator expression"),
        ("t = x.data", "the accessor .data"),
        ("t = x.copy_to_host()", "the accessor .copy_to_host"),
        ("t = self.q.AllocTensor(cann.half).numpy()", "the accessor .numpy"),
        ("t = np.frombuffer(x, np.uint8)", "numpy's .frombuffer"),
        ("t = cann.to_host(x)", "cann.to_host"),
        ("cann.ICPU_SET_TILING_KEY(1)", "cann.ICPU_SET_TILING_KEY"),
        ("cann.SoftMaxTilingFunc(x, 4, 1024, y)", "cann.SoftMaxTilingFunc"),
        ("t = x.tofile", "the attribute .tofile"),
        ("t = getattr(x, 'data')", "the built-in 'getattr'"),
        ("t = x.__class__", "names starting with _"),
        ("import os", "an import inside a function"),
        ("try:\n            pass\n        except Exception:\n            pass", "try/except"),
        ("t = (y := 3)", "the := operator"),
        ("def inner(a=print('pwn')):\n            pass", "a function inside a function"),
        ("t = b'\\x80'", "a bytes literal"),
        ("global G", "a global statement"),
        ("self.data = x", "objects in a kernel already have"),
        ("self.gi_frame = x", "objects in a kernel already have"),
    ],
)
def test_cann_code_is_held_to_its_allow_list(tmp_path, method, phrase):
    text = CANN_HEAD + f"\nclass Op:\n    def Run(self, x):\n        {method}\n" + CANN_KERNEL
    extracted = _extract(tmp_path, text, track="cann")
    assert not extracted.ok
    assert any(phrase in message for message in _messages(extracted)), _messages(extracted)


@pytest.mark.parametrize(
    "class_head",
    [
        "class Op(object):",
        "class Op(metaclass=type):",
        "@print\nclass Op:",
    ],
)
def test_cann_classes_have_no_bases_keywords_or_decorators(tmp_path, class_head):
    text = CANN_HEAD + f"\n{class_head}\n    def Run(self, x):\n        pass\n" + CANN_KERNEL
    assert not _extract(tmp_path, text, track="cann").ok


def test_cann_class_body_holds_methods_only(tmp_path):
    text = CANN_HEAD + "\nclass Op:\n    X = print('pwn')\n    def Run(self, x):\n        pass\n"
    extracted = _extract(tmp_path, text + CANN_KERNEL, track="cann")
    assert any("a statement in a class body" in m for m in _messages(extracted))


def test_ordinary_cann_code_is_accepted(tmp_path):
    text = (
        CANN_HEAD
        + (
            "\nBUFFER_NUM = 2\n\nclass Op:\n"
            "    def Run(self, x):\n"
            "        self.pipe = TPipe()\n"
            "        self.size = x.cast(cann.half).dtype.itemsize * BUFFER_NUM\n"
            "        values = [i * 2 for i in range(4)]\n"
            "        print(f'{len(values)} values, {self.size!r}')\n"
        )
        + CANN_KERNEL
    )
    extracted = _extract(tmp_path, text, track="cann")
    assert extracted.ok, extracted.findings


@pytest.mark.parametrize(
    "content",
    [
        '{"cells": [{"cell_type": "code", "source": 3}]}',
        '{"cells": [{"cell_type": "code", "source": null}], "nbformat": 4}',
        '{"cells": 3}',
        '{"worksheets": []}',
        "[1, 2]",
        '{"cells": [{"cell_type": "code", "source": "x = \\"\\udcff\\""}]}',
        '{"cells": [{"cell_type": "code", "source": "x = 1\\u0000"}]}',
        "",
        "[" * 100_000,
    ],
)
def test_malformed_notebooks_are_findings_never_exceptions(tmp_path, content):
    path = tmp_path / "bad.ipynb"
    path.write_text(content, encoding="utf-8")
    extracted = extract(path, ["k"], "simt")
    assert not extracted.ok
    assert _messages(extracted)


def test_unreadable_and_unsupported_files_are_findings(tmp_path):
    (tmp_path / "binary.py").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "notes.txt").write_text("@cuda.jit\ndef k(out):\n    out[0] = 1\n")
    (tmp_path / "folder.py").mkdir()
    os.symlink(tmp_path / "notes.txt", tmp_path / "link.py")
    with open(tmp_path / "huge.py", "wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)
    expected = {
        "binary.py": "is not UTF-8 text",
        "notes.txt": "is not a notebook (.ipynb) or a Python script (.py)",
        "folder.py": "is not a regular file",
        "link.py": "is not a regular file",
        "huge.py": "is larger than",
    }
    for name, phrase in expected.items():
        messages = _messages(extract(tmp_path / name, ["k"], "simt"))
        assert phrase in messages[0], (name, messages)


def test_surrogates_in_a_script_are_a_finding(tmp_path):
    path = tmp_path / "sub.py"
    path.write_bytes('x = "\udcff"\n'.encode("utf-8", "surrogatepass"))
    assert "is not UTF-8 text" in _messages(extract(path, ["k"], "simt"))[0]


def test_cmath_is_an_allowed_import_as_kernels_support_it(tmp_path):
    text = SIMT_HEAD + "import cmath\n" + KERNEL.format(use="cmath.exp(1j).real")
    extracted = _extract(tmp_path, text)
    assert extracted.ok, extracted.findings
