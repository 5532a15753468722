/// A dense matrix of `Double`s, stored contiguously in row-major order.
///
/// Entry (i, j) lives at `storage[i * columns + j]`. Products with vectors and matrices,
/// the transpose, elementwise maps and a linear solve (`solve(_:)`) are provided.
///
/// ```swift
/// let A = Matrix([[2, 0], [0, 4]])
/// A * Vector([1, 1])          // [2, 4]
/// try A.solve(Vector([2, 4])) // [1, 1]
/// ```
public struct Matrix: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let columns: Int
    /// The entries in row-major order: `rows * columns` of them.
    public var storage: [Double]

    /// Creates a `rows`×`columns` matrix from row-major `storage`.
    public init(rows: Int, columns: Int, storage: [Double]) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative shape \(rows)x\(columns)")
        precondition(storage.count == rows * columns, "Matrix: \(storage.count) entries for shape \(rows)x\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// Decodes a matrix, holding it to the same invariants as `init(rows:columns:storage:)`: a shape of
    /// non-negative numbers whose product `storage` matches exactly. Anything else is a decoding error
    /// that says what is wrong, so no decoded matrix can disagree with its own shape.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let rows = try container.decode(Int.self, forKey: .rows)
        let columns = try container.decode(Int.self, forKey: .columns)
        guard rows >= 0, columns >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .rows, in: container, debugDescription: "a matrix cannot have the shape \(rows)×\(columns)")
        }
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow else {
            throw DecodingError.dataCorruptedError(forKey: .rows, in: container, debugDescription: "a \(rows)×\(columns) matrix is too large")
        }
        let storage = try container.decode([Double].self, forKey: .storage)
        guard storage.count == count else {
            throw DecodingError.dataCorruptedError(forKey: .storage, in: container,
                                                   debugDescription: "a \(rows)×\(columns) matrix needs \(count) entries in storage, not \(storage.count)")
        }
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// Creates a `rows`×`columns` matrix with every entry equal to `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        self.init(rows: rows, columns: columns, storage: Array(repeating: value, count: rows * columns))
    }

    /// Creates a matrix from its rows; every row must have the same length.
    public init(_ rowArrays: [[Double]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "Matrix: rows of different lengths")
        self.init(rows: rowArrays.count, columns: columns, storage: rowArrays.flatMap { $0 })
    }

    /// Creates a matrix whose rows are the given vectors (all of one dimension).
    public init(rowVectors: [Vector]) { self.init(rowVectors.map(\.storage)) }

    /// The n×n identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// The square matrix with `diagonal` on its diagonal and zeros elsewhere.
    public static func diagonal(_ diagonal: Vector) -> Matrix {
        var m = Matrix(rows: diagonal.count, columns: diagonal.count)
        for i in 0..<diagonal.count { m[i, i] = diagonal[i] }
        return m
    }

    /// The outer product u vᵀ.
    public static func outer(_ u: Vector, _ v: Vector) -> Matrix {
        var m = Matrix(rows: u.count, columns: v.count)
        for i in 0..<u.count { for j in 0..<v.count { m[i, j] = u[i] * v[j] } }
        return m
    }

    /// Reads or writes entry (row, column).
    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix: index (\(row), \(column)) out of \(rows)x\(columns)")
            return storage[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix: index (\(row), \(column)) out of \(rows)x\(columns)")
            storage[row * columns + column] = newValue
        }
    }

    /// Row `index` as a vector.
    public func row(_ index: Int) -> Vector { Vector(storage[(index * columns)..<((index + 1) * columns)]) }

    /// Column `index` as a vector.
    public func column(_ index: Int) -> Vector { Vector((0..<rows).map { storage[$0 * columns + index] }) }

    /// All rows as vectors.
    public var rowVectors: [Vector] { (0..<rows).map(row) }

    /// The transpose Aᵀ.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t.storage[j * rows + i] = storage[i * columns + j] } }
        return t
    }

    /// The Frobenius norm √(Σ a_ij²).
    public var frobeniusNorm: Double { storage.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// The rows, one per line.
    public var description: String { rowVectors.map(\.description).joined(separator: "\n") }

    /// Applies `transform` to every entry.
    public func map(_ transform: (Double) throws -> Double) rethrows -> Matrix {
        Matrix(rows: rows, columns: columns, storage: try storage.map(transform))
    }

    /// The matrix-vector product A x (BLAS dgemv).
    public static func * (matrix: Matrix, vector: Vector) -> Vector {
        precondition(matrix.columns == vector.count, "A*x: \(matrix.rows)x\(matrix.columns) times dimension \(vector.count)")
        return Vector(BLAS.gemv(matrix, vector, transposed: false))
    }

    /// The matrix product A B (BLAS dgemm).
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.columns == rhs.rows, "A*B: \(lhs.rows)x\(lhs.columns) times \(rhs.rows)x\(rhs.columns)")
        return BLAS.gemm(lhs, transposeLeft: false, rhs, transposeRight: false)
    }

    /// Aᵀ x without forming Aᵀ (BLAS dgemv), as backpropagation needs for W_{l+1}ᵀ δ_{l+1}.
    public func transposedTimes(_ vector: Vector) -> Vector {
        precondition(rows == vector.count, "Aᵀx: \(rows)x\(columns) transposed times dimension \(vector.count)")
        return Vector(BLAS.gemv(self, vector, transposed: true))
    }

    /// Aᵀ B without forming Aᵀ (BLAS dgemm).
    public func transposedTimes(_ other: Matrix) -> Matrix {
        precondition(rows == other.rows, "AᵀB: \(rows)x\(columns) transposed times \(other.rows)x\(other.columns)")
        return BLAS.gemm(self, transposeLeft: true, other, transposeRight: false)
    }

    /// A Bᵀ without forming Bᵀ (BLAS dgemm).
    public func timesTransposed(_ other: Matrix) -> Matrix {
        precondition(columns == other.columns, "ABᵀ: \(rows)x\(columns) times \(other.rows)x\(other.columns) transposed")
        return BLAS.gemm(self, transposeLeft: false, other, transposeRight: true)
    }

    /// A + B, entry by entry.
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "A+B: shapes differ")
        return Matrix(rows: lhs.rows, columns: lhs.columns, storage: zip(lhs.storage, rhs.storage).map { $0 + $1 })
    }

    /// A − B, entry by entry.
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "A-B: shapes differ")
        return Matrix(rows: lhs.rows, columns: lhs.columns, storage: zip(lhs.storage, rhs.storage).map { $0 - $1 })
    }

    /// The scalar multiple a·A.
    public static func * (scalar: Double, matrix: Matrix) -> Matrix { matrix.map { scalar * $0 } }
}
