"""numba-cuda kernel tests left out of the conformance count, each with its reason.

Only four kinds of test may be left out: tests of numba's internals (its IR, type inference,
bytecode analysis, compilation cache), tests that inspect the PTX, LLVM IR or debug info numba
generates, tests that link C or CUDA C sources, and tests that pass raw device addresses
(cudalike's arrays are checked objects, not addresses). Everything else in numba-cuda's
`tests/cudapy` and `tests/doc_examples` (named "doc_examples.test_x") counts, including what
cudalike does not support yet.
"""

from __future__ import annotations

INTERNALS = "tests numba's internals, not what a kernel does"
GENERATED_CODE = "inspects the PTX, LLVM IR or debug info numba generates"
LINKING = "links C or CUDA C sources into a kernel"
RAW_POINTERS = "passes a raw device address to a kernel"

# A whole test module (its file name without .py) or one test ("module.Class.test_name").
EXCLUDED: dict[str, str] = {
    "test_analysis": f"{INTERNALS}: IR analysis passes",
    "test_byteflow": f"{INTERNALS}: the bytecode flow analysis",
    "test_caching": f"{INTERNALS}: the on-disk cache of compiled code",
    "test_cffi": f"{LINKING}: C functions through cffi",
    "test_compiler": f"{GENERATED_CODE}: compile_ptx and the compiler's outputs",
    "test_copy_propagate": f"{INTERNALS}: an IR optimisation pass",
    "test_debuginfo": f"{GENERATED_CODE}: DWARF debug info",
    "test_debuginfo_types": f"{GENERATED_CODE}: DWARF debug info of types",
    "test_fastmath": f"{GENERATED_CODE}: the fast-math flags in the PTX",
    "test_flow_control": f"{INTERNALS}: IR control-flow analysis",
    "test_gufunc_scheduling": f"{INTERNALS}: the gufunc scheduler's shape arithmetic",
    "test_inspect": f"{GENERATED_CODE}: inspect_llvm, inspect_asm, inspect_sass",
    "test_ir": f"{INTERNALS}: numba's IR classes",
    "test_ir_utils": f"{INTERNALS}: IR utilities",
    "test_lineinfo": f"{GENERATED_CODE}: line info in the PTX",
    "test_optimization": f"{GENERATED_CODE}: optimisation levels seen in the PTX",
    "test_tracing": f"{INTERNALS}: the compiler's event tracing",
    "test_typeconv": f"{INTERNALS}: the type-conversion rules of the type system",
    "test_typeinfer": f"{INTERNALS}: type inference",
    "doc_examples.test_cpointer": f"{RAW_POINTERS}: a CPointer(uint8) argument",
    "doc_examples.test_ffi": f"{LINKING}: CUDA C device functions linked into kernels",
    **{
        f"test_warp_ops.TestCudaWarpOperations.test_{name}": (
            f"{GENERATED_CODE}: the shuffle or vote intrinsic's mode operand in the LLVM IR or PTX"
        )
        for name in (
            "shfl_sync_const_mode_val",
            "shfl_sync_const_mode_val_sm100",
            "vote_sync_const_mode_val",
            "vote_sync_const_mode_val_sm100",
        )
    },
    "test_sm.TestSharedMemoryIssue.test_issue_953_sm_linkage_conflict": (
        f"{GENERATED_CODE}: the linkage of shared arrays in the generated module"
    ),
}


def module_of(test_id: str) -> str:
    """The module of "module.Class.test" or "module (import)" ("doc_examples.test_x" kept whole)."""
    parts = test_id.split(" ")[0].split(".")
    return ".".join(parts[:2]) if parts[0] == "doc_examples" else parts[0]


def is_excluded(test_id: str) -> bool:
    """Whether a test ("module.Class.test" or "module (import)") is left out of the count."""
    return module_of(test_id) in EXCLUDED or test_id in EXCLUDED
