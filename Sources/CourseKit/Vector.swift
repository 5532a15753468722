/// A dense column vector of `Double`s, stored contiguously.
///
/// `Vector` is a value type: copies are independent. It supports the arithmetic the course
/// uses (`+`, `-`, scalar `*` and `/`), the dot product, norms and elementwise maps.
///
/// ```swift
/// let x: Vector = [1, 2, 3]
/// let y = 2 * x - Vector(repeating: 1, count: 3)   // [1, 3, 5]
/// x.dot(y)                                         // 22
/// ```
public struct Vector: Sendable, Hashable, Codable, ExpressibleByArrayLiteral, RandomAccessCollection,
    MutableCollection, CustomStringConvertible
{
    /// The entries, in order.
    public var storage: [Double]

    /// Creates a vector holding `entries`.
    public init(_ entries: [Double]) { storage = entries }

    /// Creates a vector from any sequence of doubles.
    public init<S: Sequence>(_ entries: S) where S.Element == Double { storage = Array(entries) }

    /// Creates a vector of `count` copies of `value`.
    public init(repeating value: Double, count: Int) { storage = Array(repeating: value, count: count) }

    /// Creates the zero vector of dimension `count`.
    public static func zeros(_ count: Int) -> Vector { Vector(repeating: 0, count: count) }

    /// Creates the `index`-th standard basis vector e_index of dimension `count`.
    public static func basis(_ index: Int, count: Int) -> Vector {
        var e = Vector.zeros(count)
        e[index] = 1
        return e
    }

    /// Creates a vector from an array literal, for example `[1, 2, 3]`.
    public init(arrayLiteral elements: Double...) { storage = elements }

    /// Decodes a vector from a plain JSON/YAML array of numbers.
    public init(from decoder: Decoder) throws {
        storage = try decoder.singleValueContainer().decode([Double].self)
    }

    /// Encodes the vector as a plain array of numbers.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(storage)
    }

    /// The index of the first entry (always 0).
    public var startIndex: Int { 0 }
    /// One past the index of the last entry (the dimension).
    public var endIndex: Int { storage.count }
    /// Reads or writes the entry at `index`.
    public subscript(index: Int) -> Double {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// The entries in brackets, for example `[1.0, 2.0]`.
    public var description: String { "[" + storage.map { "\($0)" }.joined(separator: ", ") + "]" }

    /// The dot product Σ_i x_i y_i. Both vectors must have the same dimension.
    public func dot(_ other: Vector) -> Double {
        precondition(count == other.count, "dot: dimensions \(count) and \(other.count) differ")
        var sum = 0.0
        for i in 0..<storage.count { sum += storage[i] * other.storage[i] }
        return sum
    }

    /// The Euclidean norm ‖x‖₂ = √(Σ x_i²).
    public var norm: Double { dot(self).squareRoot() }

    /// The infinity norm ‖x‖∞ = max_i |x_i| (0 for an empty vector).
    public var normInfinity: Double { storage.reduce(0) { Swift.max($0, Swift.abs($1)) } }

    /// The sum of the entries.
    public var sum: Double { storage.reduce(0, +) }

    /// Applies `transform` to every entry.
    public func map(_ transform: (Double) throws -> Double) rethrows -> Vector {
        Vector(try storage.map(transform))
    }

    /// The elementwise (Hadamard) product x ⊙ y.
    public func hadamard(_ other: Vector) -> Vector {
        precondition(count == other.count, "hadamard: dimensions \(count) and \(other.count) differ")
        return Vector(zip(storage, other.storage).map { $0 * $1 })
    }

    /// x + y, entry by entry.
    public static func + (lhs: Vector, rhs: Vector) -> Vector {
        precondition(lhs.count == rhs.count, "+: dimensions \(lhs.count) and \(rhs.count) differ")
        return Vector(zip(lhs.storage, rhs.storage).map { $0 + $1 })
    }

    /// x − y, entry by entry.
    public static func - (lhs: Vector, rhs: Vector) -> Vector {
        precondition(lhs.count == rhs.count, "-: dimensions \(lhs.count) and \(rhs.count) differ")
        return Vector(zip(lhs.storage, rhs.storage).map { $0 - $1 })
    }

    /// −x.
    public static prefix func - (vector: Vector) -> Vector { vector.map { -$0 } }

    /// The scalar multiple a·x.
    public static func * (scalar: Double, vector: Vector) -> Vector { vector.map { scalar * $0 } }

    /// The scalar multiple x·a.
    public static func * (vector: Vector, scalar: Double) -> Vector { vector.map { $0 * scalar } }

    /// x / a, entry by entry.
    public static func / (vector: Vector, scalar: Double) -> Vector { vector.map { $0 / scalar } }

    /// x += y.
    public static func += (lhs: inout Vector, rhs: Vector) { lhs = lhs + rhs }

    /// x −= y.
    public static func -= (lhs: inout Vector, rhs: Vector) { lhs = lhs - rhs }

    /// x *= a.
    public static func *= (lhs: inout Vector, scalar: Double) { lhs = lhs * scalar }
}
