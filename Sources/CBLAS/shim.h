// OpenBLAS's C interface to BLAS (Debian: libopenblas-dev).
#include <cblas.h>
