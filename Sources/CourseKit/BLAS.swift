internal import CBLAS

/// The two BLAS kernels CourseKit's products use, on row-major contiguous storage.
enum BLAS {
    /// op(A) x, with op(A) = A or Aᵀ.
    static func gemv(_ a: Matrix, _ x: Vector, transposed: Bool) -> [Double] {
        let count = transposed ? a.columns : a.rows
        var result = [Double](repeating: 0, count: count)
        guard a.rows > 0, a.columns > 0 else { return result }
        a.storage.withUnsafeBufferPointer { aPointer in
            x.storage.withUnsafeBufferPointer { xPointer in
                result.withUnsafeMutableBufferPointer { yPointer in
                    cblas_dgemv(CblasRowMajor, transposed ? CblasTrans : CblasNoTrans, Int32(a.rows), Int32(a.columns), 1,
                                aPointer.baseAddress, Int32(a.columns), xPointer.baseAddress, 1, 0, yPointer.baseAddress, 1)
                }
            }
        }
        return result
    }

    /// op(A) op(B), with op(X) = X or Xᵀ.
    static func gemm(_ a: Matrix, transposeLeft: Bool, _ b: Matrix, transposeRight: Bool) -> Matrix {
        let m = transposeLeft ? a.columns : a.rows
        let k = transposeLeft ? a.rows : a.columns
        let n = transposeRight ? b.rows : b.columns
        var result = [Double](repeating: 0, count: m * n)
        if m > 0, n > 0, k > 0 {
            a.storage.withUnsafeBufferPointer { aPointer in
                b.storage.withUnsafeBufferPointer { bPointer in
                    result.withUnsafeMutableBufferPointer { cPointer in
                        cblas_dgemm(CblasRowMajor, transposeLeft ? CblasTrans : CblasNoTrans, transposeRight ? CblasTrans : CblasNoTrans,
                                    Int32(m), Int32(n), Int32(k), 1, aPointer.baseAddress, Int32(a.columns),
                                    bPointer.baseAddress, Int32(b.columns), 0, cPointer.baseAddress, Int32(n))
                    }
                }
            }
        }
        return Matrix(rows: m, columns: n, storage: result)
    }
}
