import CourseKit
import Testing

/// Vector and Matrix arithmetic, the linear solve and the seeded generator.
@Suite struct LinearAlgebraTests {
    /// Entrywise closeness for values computed in floating point.
    func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-12) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }

    @Test func vectorArithmetic() {
        let x: Vector = [1, 2, 3]
        let y: Vector = [4, -5, 6]
        #expect(x + y == [5, -3, 9])
        #expect(x - y == [-3, 7, -3])
        #expect(2 * x == [2, 4, 6])
        #expect(x / 2 == [0.5, 1, 1.5])
        #expect(-x == [-1, -2, -3])
        #expect(x.dot(y) == 12)
        #expect(x.hadamard(y) == [4, -10, 18])
        #expect(Vector([3, 4]).norm == 5)
        #expect(y.normInfinity == 6)
        #expect(x.sum == 6)
        #expect(Vector.basis(1, count: 3) == [0, 1, 0])
        #expect(x.description == "[1.0, 2.0, 3.0]")
    }

    @Test func matrixProductsAndTranspose() {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        let b = Matrix([[1, 0], [0, 1], [2, -1]])
        #expect(a * b == Matrix([[7, -1], [16, -1]]))
        #expect(a * Vector([1, 1, 1]) == [6, 15])
        #expect(a.transposed == Matrix([[1, 4], [2, 5], [3, 6]]))
        #expect(a.row(1) == [4, 5, 6])
        #expect(a.column(2) == [3, 6])
        #expect(Matrix.identity(2) * Matrix([[1, 2], [3, 4]]) == Matrix([[1, 2], [3, 4]]))
        #expect(Matrix.outer([1, 2], [3, 4]) == Matrix([[3, 4], [6, 8]]))
        #expect(a[1, 2] == 6)
        #expect(2 * a - a == a)
    }

    @Test func solveNeedsPivotingAndDetectsSingularMatrices() throws {
        // A zero leading entry requires a row exchange.
        #expect(try Matrix([[0, 1], [1, 0]]).solve([2, 3]) == [3, 2])
        let a = Matrix([[4, 1, 2], [1, 5, 3], [2, 3, 6]])
        let x = try a.solve([1, 2, 3])
        #expect(close((a * x).storage, [1, 2, 3]))
        #expect(throws: LinearSolveError.singular(pivotColumn: 1)) { try Matrix([[1, 2], [2, 4]]).solve([1, 1]) }
        #expect(throws: LinearSolveError.shapeMismatch(rows: 2, columns: 3, rightHandSide: 2)) {
            try Matrix([[1, 2, 3], [4, 5, 6]]).solve([1, 1])
        }
    }

    @Test func theSeededGeneratorIsDeterministicAndWellDistributed() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        var c = SeededGenerator(seed: 43)
        let first = (0..<5).map { _ in a.next() }
        #expect(first == (0..<5).map { _ in b.next() })
        #expect(first != (0..<5).map { _ in c.next() })
        var rng = SeededGenerator(seed: 7)
        let uniforms = (0..<20_000).map { _ in rng.nextUniform() }
        #expect(uniforms.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(uniforms.reduce(0, +) / 20_000 - 0.5) < 0.01)
        let normals = (0..<20_000).map { _ in rng.nextGaussian() }
        let mean = normals.reduce(0, +) / 20_000
        let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 19_999
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.05)
        // Shuffles with the same seed agree.
        var s1 = SeededGenerator(seed: 9), s2 = SeededGenerator(seed: 9)
        #expect(Array(0..<50).shuffled(using: &s1) == Array(0..<50).shuffled(using: &s2))
    }
}
