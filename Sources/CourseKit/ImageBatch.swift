/// A batch of images: N samples of C channels of H × W pixels, stored contiguously in row-major order
/// (N × C × H × W, as PyTorch's `NCHW`): pixel (n, c, i, j) lives at `storage[((n·C + c)·H + i)·W + j]`.
///
/// Sample n is one row of `rows` (a matrix of N rows and C·H·W columns), which is how batches of
/// practical 2 hold their samples: `ImageBatch(rows: x, channels: 1, height: 28, width: 28)` reads MNIST
/// rows as single-channel images, and `flattened` gives the rows back for the dense layers that follow.
///
/// ```swift
/// var x = ImageBatch(count: 2, channels: 1, height: 3, width: 3)
/// x[1, 0, 2, 2] = 1       // the last pixel of the second image
/// x.flattened.row(1)      // [0, 0, 0, 0, 0, 0, 0, 0, 1]
/// ```
public struct ImageBatch: Sendable, Hashable, Codable, CustomStringConvertible {
    /// N, the number of images.
    public let count: Int
    /// C, the channels of each image.
    public let channels: Int
    /// H, the rows of pixels.
    public let height: Int
    /// W, the columns of pixels.
    public let width: Int
    /// The N·C·H·W pixels in row-major order.
    public var storage: [Double]

    /// A batch of the given shape from row-major `storage`.
    public init(count: Int, channels: Int, height: Int, width: Int, storage: [Double]) {
        precondition(count >= 0 && channels >= 0 && height >= 0 && width >= 0, "ImageBatch: negative shape \(count)×\(channels)×\(height)×\(width)")
        precondition(storage.count == count * channels * height * width,
                     "ImageBatch: \(storage.count) pixels for shape \(count)×\(channels)×\(height)×\(width)")
        self.count = count
        self.channels = channels
        self.height = height
        self.width = width
        self.storage = storage
    }

    /// A batch of the given shape with every pixel `value`.
    public init(count: Int, channels: Int, height: Int, width: Int, repeating value: Double = 0) {
        self.init(count: count, channels: channels, height: height, width: width,
                  storage: [Double](repeating: value, count: count * channels * height * width))
    }

    /// The rows of `rows` as images of `channels` × `height` × `width` (each row holds C·H·W pixels).
    public init(rows: Matrix, channels: Int, height: Int, width: Int) {
        precondition(rows.columns == channels * height * width, "ImageBatch: rows of \(rows.columns) values are not \(channels)×\(height)×\(width) images")
        self.init(count: rows.rows, channels: channels, height: height, width: width, storage: rows.storage)
    }

    /// A rank-4 tensor as a batch.
    public init(_ tensor: Tensor) {
        precondition(tensor.rank == 4, "ImageBatch: a tensor of shape \(Tensor.describe(tensor.shape)) is not N×C×H×W")
        self.init(count: tensor.shape[0], channels: tensor.shape[1], height: tensor.shape[2], width: tensor.shape[3], storage: tensor.storage)
    }

    private enum CodingKeys: String, CodingKey { case count, channels, height, width, storage }

    /// Decodes a batch, holding it to the invariants of `init(count:channels:height:width:storage:)`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let shape = [try container.decode(Int.self, forKey: .count), try container.decode(Int.self, forKey: .channels),
                     try container.decode(Int.self, forKey: .height), try container.decode(Int.self, forKey: .width)]
        let storage = try container.decode([Double].self, forKey: .storage)
        var pixels = 1
        for dimension in shape {
            let (product, overflow) = pixels.multipliedReportingOverflow(by: dimension)
            guard dimension >= 0, !overflow else {
                throw DecodingError.dataCorruptedError(forKey: .count, in: container, debugDescription: "an image batch cannot have the shape \(Tensor.describe(shape))")
            }
            pixels = product
        }
        guard storage.count == pixels else {
            throw DecodingError.dataCorruptedError(forKey: .storage, in: container,
                                                   debugDescription: "a \(Tensor.describe(shape)) image batch needs \(pixels) pixels in storage, not \(storage.count)")
        }
        self.init(count: shape[0], channels: shape[1], height: shape[2], width: shape[3], storage: storage)
    }

    /// [N, C, H, W].
    public var shape: [Int] { [count, channels, height, width] }

    /// The batch as a rank-4 tensor.
    public var tensor: Tensor { Tensor(shape: shape, storage: storage) }

    /// One row per image, C·H·W pixels each (channel, then row, then column): what a dense layer takes.
    public var flattened: Matrix { Matrix(rows: count, columns: channels * height * width, storage: storage) }

    /// The offset of pixel (n, c, i, j) in `storage`.
    @inlinable public func offset(_ n: Int, _ c: Int, _ i: Int, _ j: Int) -> Int { ((n * channels + c) * height + i) * width + j }

    /// Pixel (n, c, i, j).
    public subscript(n: Int, c: Int, i: Int, j: Int) -> Double {
        get {
            precondition(n >= 0 && n < count && c >= 0 && c < channels && i >= 0 && i < height && j >= 0 && j < width,
                         "ImageBatch: pixel (\(n), \(c), \(i), \(j)) outside \(Tensor.describe(shape))")
            return storage[offset(n, c, i, j)]
        }
        set {
            precondition(n >= 0 && n < count && c >= 0 && c < channels && i >= 0 && i < height && j >= 0 && j < width,
                         "ImageBatch: pixel (\(n), \(c), \(i), \(j)) outside \(Tensor.describe(shape))")
            storage[offset(n, c, i, j)] = newValue
        }
    }

    /// The batch with `transform` applied to every pixel.
    public func map(_ transform: (Double) throws -> Double) rethrows -> ImageBatch {
        ImageBatch(count: count, channels: channels, height: height, width: width, storage: try storage.map(transform))
    }

    public var description: String { "ImageBatch(\(Tensor.describe(shape)))" }
}
