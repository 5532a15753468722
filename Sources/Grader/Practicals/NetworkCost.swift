import CourseKit

/// What evaluating a returned convolutional network on one image costs, counted before any of it is
/// evaluated: the one rule that bounds the grader's work on a model a submission sends.
///
/// Every layer's work counts (a convolution's multiply-adds, its ReLU, a pooling window's comparisons or
/// additions at each output, a dense layer's multiply-adds), and so does the largest array one image
/// needs (the padded input, the im2col columns, a layer's output). Sizes come from the submission, so
/// every product and sum is checked: a figure that would overflow is reported as too large, never trapped on.
public struct NetworkCost: Sendable, Equatable {
    /// Multiply-adds, comparisons and additions of one image's forward pass.
    public var operations: Int
    /// The entries of the largest array one image's forward pass builds.
    public var largestArray: Int
    /// The values the last block gives one image (the first dense layer's inputs).
    public var flattened: Int

    /// Why the cost of `network` cannot be counted, or its cost: the layers' shapes must chain (each
    /// block's filters take the channels they are given, every kernel and window fits), each block has
    /// at least one filter, and no figure overflows.
    public static func of(_ network: ConvolutionalNetwork) -> Result<NetworkCost, NetworkCostProblem> {
        var shape = (channels: network.channels, height: network.height, width: network.width)
        var cost = Counter()
        cost.array(shape.channels, shape.height, shape.width)
        for (index, block) in network.blocks.enumerated() {
            let number = index + 1
            let convolution = block.convolution
            guard convolution.filters >= 1 else { return .failure(.init("block \(number) has no filters")) }
            guard convolution.inputChannels == shape.channels else {
                return .failure(.init("block \(number)'s filters take \(convolution.inputChannels) channels, but its input has \(shape.channels)"))
            }
            let k = convolution.kernelSize, p = convolution.padding
            guard let padding = Counter.product([2, p]), let paddedHeight = Counter.sum(shape.height, padding),
                  let paddedWidth = Counter.sum(shape.width, padding), paddedHeight >= k, paddedWidth >= k else {
                return .failure(.init("block \(number)'s \(k)×\(k) kernel does not fit its \(shape.height)×\(shape.width) input padded by \(p)"))
            }
            let outHeight = (paddedHeight - k) / convolution.stride + 1, outWidth = (paddedWidth - k) / convolution.stride + 1
            cost.array(shape.channels, paddedHeight, paddedWidth)
            cost.array(shape.channels, k, k, outHeight, outWidth)
            cost.array(convolution.filters, outHeight, outWidth)
            cost.work(convolution.filters, shape.channels, k, k, outHeight, outWidth)
            cost.work(convolution.filters, outHeight, outWidth)
            shape = (convolution.filters, outHeight, outWidth)
            if let pooling = block.pooling {
                guard let pooled = pooling.outputSize(height: shape.height, width: shape.width) else {
                    return .failure(.init("block \(number)'s \(pooling.window)×\(pooling.window) pooling window does not fit its \(shape.height)×\(shape.width) feature maps"))
                }
                cost.work(shape.channels, pooling.window, pooling.window, pooled.height, pooled.width)
                cost.array(shape.channels, pooled.height, pooled.width)
                shape = (shape.channels, pooled.height, pooled.width)
            }
        }
        for layer in network.dense {
            cost.work(layer.weights.rows, layer.weights.columns)
            cost.array(layer.weights.rows)
        }
        guard !cost.overflowed, let flattened = Counter.product([shape.channels, shape.height, shape.width]) else {
            return .failure(.init("the network's layers are too large to count (their sizes overflow)"))
        }
        return .success(NetworkCost(operations: cost.operations, largestArray: cost.largest, flattened: flattened))
    }

    /// Sums and products that report overflow instead of trapping.
    struct Counter {
        var operations = 0, largest = 0, overflowed = false

        mutating func work(_ factors: Int...) {
            guard let product = Self.product(factors), let total = Self.sum(operations, product) else { overflowed = true; return }
            operations = total
        }

        mutating func array(_ factors: Int...) {
            guard let product = Self.product(factors) else { overflowed = true; return }
            largest = max(largest, product)
        }

        static func product(_ factors: [Int]) -> Int? {
            var total = 1
            for factor in factors {
                guard factor >= 0 else { return nil }
                let (product, overflow) = total.multipliedReportingOverflow(by: factor)
                if overflow { return nil }
                total = product
            }
            return total
        }

        static func sum(_ a: Int, _ b: Int) -> Int? {
            let (total, overflow) = a.addingReportingOverflow(b)
            return overflow ? nil : total
        }
    }
}

/// Why a network's cost cannot be counted: said to the student.
public struct NetworkCostProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in words.
    public let description: String

    init(_ description: String) { self.description = description }
}
