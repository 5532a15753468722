/// An array of `Double`s of any rank, stored contiguously in row-major order: the last index varies
/// fastest, as in PyTorch and NumPy (C order).
///
/// An image batch is a tensor of shape N × C × H × W (sample, channel, row, column); a convolution's
/// filters are F × C × k × k. Entry (i₀, …, i_{r−1}) lives at `storage[((i₀·d₁ + i₁)·d₂ + …)·d_{r−1} + i_{r−1}]`.
///
/// ```swift
/// var x = Tensor(zeros: [2, 1, 3, 3])   // two 3×3 single-channel images
/// x[1, 0, 2, 2] = 1                     // the last pixel of the second image
/// x.storage.count                       // 18
/// ```
public struct Tensor: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The size of each dimension, outermost first.
    public let shape: [Int]
    /// The entries in row-major order: the product of `shape` of them.
    public var storage: [Double]

    /// Creates a tensor of `shape` from row-major `storage`.
    public init(shape: [Int], storage: [Double]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative shape \(shape)")
        precondition(storage.count == shape.reduce(1, *), "Tensor: \(storage.count) entries for shape \(shape)")
        self.shape = shape
        self.storage = storage
    }

    /// A tensor of `shape` filled with `value`.
    public init(repeating value: Double, shape: [Int]) {
        self.init(shape: shape, storage: [Double](repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor of `shape` filled with zeros.
    public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

    /// The matrix as a tensor of shape rows × columns.
    public init(_ matrix: Matrix) { self.init(shape: [matrix.rows, matrix.columns], storage: matrix.storage) }

    /// The vector as a tensor of shape n.
    public init(_ vector: Vector) { self.init(shape: [vector.count], storage: vector.storage) }

    private enum CodingKeys: String, CodingKey { case shape, storage }

    /// Decodes a tensor, holding it to the invariants of `init(shape:storage:)`: non-negative dimensions
    /// whose product does not overflow and equals the number of entries. Anything else is a decoding error
    /// that says what is wrong, so no decoded tensor disagrees with its own shape.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let shape = try container.decode([Int].self, forKey: .shape)
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw DecodingError.dataCorruptedError(forKey: .shape, in: container, debugDescription: "a tensor cannot have the shape \(Self.describe(shape))")
        }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw DecodingError.dataCorruptedError(forKey: .shape, in: container, debugDescription: "a \(Self.describe(shape)) tensor is too large")
            }
            count = product
        }
        let storage = try container.decode([Double].self, forKey: .storage)
        guard storage.count == count else {
            throw DecodingError.dataCorruptedError(forKey: .storage, in: container,
                                                   debugDescription: "a \(Self.describe(shape)) tensor needs \(count) entries in storage, not \(storage.count)")
        }
        self.shape = shape
        self.storage = storage
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The number of entries.
    public var count: Int { storage.count }

    /// The offset in `storage` of the entry at `indices` (one per dimension, each in range).
    public func offset(_ indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "Tensor: \(indices.count) indices for rank \(shape.count)")
        var offset = 0
        for (index, dimension) in zip(indices, shape) {
            precondition(index >= 0 && index < dimension, "Tensor: index \(indices) out of range for shape \(shape)")
            offset = offset * dimension + index
        }
        return offset
    }

    /// The indices of the entry at `offset` in `storage`: the inverse of `offset(_:)`.
    public func indices(ofOffset offset: Int) -> [Int] {
        precondition(offset >= 0 && offset < storage.count, "Tensor: offset \(offset) out of range for \(storage.count) entries")
        var rest = offset
        var indices = [Int](repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() {
            indices[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return indices
    }

    /// The entry at `indices`, one per dimension.
    public subscript(_ indices: Int...) -> Double {
        get { storage[offset(indices)] }
        set { storage[offset(indices)] = newValue }
    }

    /// The same entries under another shape with as many of them.
    public func reshaped(_ shape: [Int]) -> Tensor { Tensor(shape: shape, storage: storage) }

    /// The largest absolute entry (0 for an empty tensor).
    public var normInfinity: Double { storage.reduce(0) { Swift.max($0, abs($1)) } }

    /// `N×C×H×W`, `3`, or `scalar` for rank 0.
    public static func describe(_ shape: [Int]) -> String {
        shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: "×")
    }

    public var description: String { "Tensor(\(Self.describe(shape)))" }
}
