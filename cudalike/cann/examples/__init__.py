"""Reference kernels written as Ascend C is: read them side by side with the vendor's samples."""
