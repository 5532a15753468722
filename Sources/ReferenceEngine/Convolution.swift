import CourseKit

/// The reference's convolutional layers (practical 3): convolution through im2col and one GEMM, pooling,
/// inverted dropout and batch normalisation in training mode, forward and backward. The formulas are in
/// the doc comments of CourseKit's `ConvolutionLayer`, `Pooling`, `Dropout` and `BatchNormalization`.
public struct ReferencePractical3: Sendable {
    /// Creates the reference.
    public init() {}

    // MARK: Convolution

    /// Y = X ⋆ W + b (cross-correlation): every window of the padded input becomes a row of the im2col
    /// matrix (N·H_out·W_out × C·k·k), which one GEMM with Wᵀ (C·k·k × F) turns into every output pixel.
    public func convolutionForward(_ x: ImageBatch, layer: ConvolutionLayer) -> ImageBatch {
        let (columns, height, width) = im2col(x, layer: layer)
        let filters = Matrix(rows: layer.filters, columns: layer.inputChannels * layer.kernelSize * layer.kernelSize, storage: layer.weights.storage)
        let products = columns.timesTransposed(filters)
        var y = ImageBatch(count: x.count, channels: layer.filters, height: height, width: width)
        let pixels = height * width
        for n in 0..<x.count {
            for f in 0..<layer.filters {
                let bias = layer.bias[f]
                let target = (n * layer.filters + f) * pixels
                for pixel in 0..<pixels { y.storage[target + pixel] = products.storage[(n * pixels + pixel) * layer.filters + f] + bias }
            }
        }
        return y
    }

    /// ∂L/∂W = Gᵀ · columns, ∂L/∂b = the sums of G per filter, and ∂L/∂X by scattering G · W back to
    /// the windows it came from (col2im), where G (N·H_out·W_out × F) is ∂L/∂Y with one row per output pixel.
    public func convolutionBackward(_ x: ImageBatch, layer: ConvolutionLayer, outputGradient g: ImageBatch) -> ConvolutionGradient {
        let (columns, height, width) = im2col(x, layer: layer)
        precondition(g.count == x.count && g.channels == layer.filters && g.height == height && g.width == width,
                     "convolutionBackward: ∂L/∂Y of shape \(Tensor.describe(g.shape)) for an output of \(x.count)×\(layer.filters)×\(height)×\(width)")
        let pixels = height * width
        var rows = Matrix(rows: x.count * pixels, columns: layer.filters)
        var bias = Vector.zeros(layer.filters)
        for n in 0..<x.count {
            for f in 0..<layer.filters {
                let source = (n * layer.filters + f) * pixels
                for pixel in 0..<pixels {
                    let value = g.storage[source + pixel]
                    rows.storage[(n * pixels + pixel) * layer.filters + f] = value
                    bias[f] += value
                }
            }
        }
        let window = layer.inputChannels * layer.kernelSize * layer.kernelSize
        let filters = Matrix(rows: layer.filters, columns: window, storage: layer.weights.storage)
        let weights = rows.transposedTimes(columns)
        let columnGradient = rows * filters
        return ConvolutionGradient(input: col2im(columnGradient, like: x, layer: layer, height: height, width: width),
                                   weights: Tensor(shape: layer.weights.shape, storage: weights.storage), bias: bias)
    }

    /// The im2col matrix of `x` under `layer`: row (n, i, j) holds the window of output pixel (i, j) of
    /// image n, its columns ordered (c, p, q) like the rows of W; pixels of the padding are 0.
    func im2col(_ x: ImageBatch, layer: ConvolutionLayer) -> (columns: Matrix, height: Int, width: Int) {
        precondition(x.channels == layer.inputChannels, "convolution: \(x.channels) input channels for filters of \(layer.inputChannels)")
        guard let (height, width) = layer.outputSize(height: x.height, width: x.width) else {
            preconditionFailure("convolution: a \(layer.kernelSize)×\(layer.kernelSize) kernel does not fit a \(x.height)×\(x.width) image padded by \(layer.padding)")
        }
        let k = layer.kernelSize, s = layer.stride, padding = layer.padding
        let window = x.channels * k * k
        var columns = [Double](repeating: 0, count: x.count * height * width * window)
        x.storage.withUnsafeBufferPointer { source in
            columns.withUnsafeMutableBufferPointer { target in
                var row = 0
                for n in 0..<x.count {
                    for i in 0..<height {
                        for j in 0..<width {
                            var column = row * window
                            for c in 0..<x.channels {
                                let plane = (n * x.channels + c) * x.height
                                for p in 0..<k {
                                    let r = i * s + p - padding
                                    for q in 0..<k {
                                        let t = j * s + q - padding
                                        if r >= 0, r < x.height, t >= 0, t < x.width { target[column] = source[(plane + r) * x.width + t] }
                                        column += 1
                                    }
                                }
                            }
                            row += 1
                        }
                    }
                }
            }
        }
        return (Matrix(rows: x.count * height * width, columns: window, storage: columns), height, width)
    }

    /// The inverse scatter of `im2col`: each entry of `columns` is added to the input pixel it was read from.
    func col2im(_ columns: Matrix, like x: ImageBatch, layer: ConvolutionLayer, height: Int, width: Int) -> ImageBatch {
        let k = layer.kernelSize, s = layer.stride, padding = layer.padding
        var result = ImageBatch(count: x.count, channels: x.channels, height: x.height, width: x.width)
        columns.storage.withUnsafeBufferPointer { source in
            result.storage.withUnsafeMutableBufferPointer { target in
                var index = 0
                for n in 0..<x.count {
                    for i in 0..<height {
                        for j in 0..<width {
                            for c in 0..<x.channels {
                                let plane = (n * x.channels + c) * x.height
                                for p in 0..<k {
                                    let r = i * s + p - padding
                                    for q in 0..<k {
                                        let t = j * s + q - padding
                                        if r >= 0, r < x.height, t >= 0, t < x.width { target[(plane + r) * x.width + t] += source[index] }
                                        index += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    // MARK: Pooling

    /// Max or average pooling, channel by channel.
    public func pool(_ x: ImageBatch, _ pooling: Pooling) -> ImageBatch {
        guard let (height, width) = pooling.outputSize(height: x.height, width: x.width) else {
            preconditionFailure("pooling: a \(pooling.window)×\(pooling.window) window does not fit a \(x.height)×\(x.width) image")
        }
        var y = ImageBatch(count: x.count, channels: x.channels, height: height, width: width)
        for n in 0..<x.count {
            for c in 0..<x.channels {
                for i in 0..<height {
                    for j in 0..<width {
                        y[n, c, i, j] = switch pooling.kind {
                        case .max: x.storage[firstMaximum(x, n: n, c: c, i: i, j: j, pooling: pooling)]
                        case .average: windowSum(x, n: n, c: c, i: i, j: j, pooling: pooling) / Double(pooling.window * pooling.window)
                        }
                    }
                }
            }
        }
        return y
    }

    /// ∂L/∂X of pooling: each output's gradient to its window's first maximum (max), or spread evenly over
    /// its window (average); overlapping windows add up.
    public func poolBackward(_ x: ImageBatch, _ pooling: Pooling, outputGradient g: ImageBatch) -> ImageBatch {
        guard let (height, width) = pooling.outputSize(height: x.height, width: x.width),
              g.count == x.count, g.channels == x.channels, g.height == height, g.width == width else {
            preconditionFailure("poolBackward: ∂L/∂Y of shape \(Tensor.describe(g.shape)) does not match the pooled \(Tensor.describe(x.shape))")
        }
        var result = ImageBatch(count: x.count, channels: x.channels, height: x.height, width: x.width)
        let area = Double(pooling.window * pooling.window)
        for n in 0..<x.count {
            for c in 0..<x.channels {
                for i in 0..<height {
                    for j in 0..<width {
                        let gradient = g[n, c, i, j]
                        switch pooling.kind {
                        case .max:
                            result.storage[firstMaximum(x, n: n, c: c, i: i, j: j, pooling: pooling)] += gradient
                        case .average:
                            for p in 0..<pooling.window {
                                for q in 0..<pooling.window { result[n, c, i * pooling.stride + p, j * pooling.stride + q] += gradient / area }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// The storage offset of the first largest pixel of window (i, j), in row-major order.
    private func firstMaximum(_ x: ImageBatch, n: Int, c: Int, i: Int, j: Int, pooling: Pooling) -> Int {
        var best = x.offset(n, c, i * pooling.stride, j * pooling.stride)
        for p in 0..<pooling.window {
            for q in 0..<pooling.window {
                let offset = x.offset(n, c, i * pooling.stride + p, j * pooling.stride + q)
                if x.storage[offset] > x.storage[best] { best = offset }
            }
        }
        return best
    }

    private func windowSum(_ x: ImageBatch, n: Int, c: Int, i: Int, j: Int, pooling: Pooling) -> Double {
        var sum = 0.0
        for p in 0..<pooling.window {
            for q in 0..<pooling.window { sum += x[n, c, i * pooling.stride + p, j * pooling.stride + q] }
        }
        return sum
    }

    // MARK: Dropout

    /// X ⊙ M / (1 − p).
    public func dropout(_ x: ImageBatch, _ dropout: Dropout, mask: [Double]) -> ImageBatch {
        precondition(mask.count == x.storage.count, "dropout: a mask of \(mask.count) for \(x.storage.count) units")
        let scale = dropout.scale
        return ImageBatch(count: x.count, channels: x.channels, height: x.height, width: x.width,
                          storage: zip(x.storage, mask).map { $0 * $1 * scale })
    }

    /// ∂L/∂X = ∂L/∂Y ⊙ M / (1 − p): the same units dropped, the same scale.
    public func dropoutBackward(_ dropout: Dropout, mask: [Double], outputGradient g: ImageBatch) -> ImageBatch {
        self.dropout(g, dropout, mask: mask)
    }

    // MARK: Batch normalisation

    /// y = γ x̂ + β per channel, with the batch's mean and biased variance.
    public func batchNormalization(_ x: ImageBatch, _ layer: BatchNormalization) -> ImageBatch {
        let statistics = channelStatistics(x, epsilon: layer.epsilon)
        var y = x
        forEachValue(of: x) { c, offset in
            y.storage[offset] = layer.gamma[c] * (x.storage[offset] - statistics[c].mean) / statistics[c].deviation + layer.beta[c]
        }
        return y
    }

    /// ∂L/∂x = γ/(m √(σ² + ε)) (m g − Σ g − x̂ Σ g x̂), ∂L/∂γ = Σ g x̂, ∂L/∂β = Σ g, per channel.
    public func batchNormalizationBackward(_ x: ImageBatch, _ layer: BatchNormalization, outputGradient g: ImageBatch) -> BatchNormalizationGradient {
        precondition(g.shape == x.shape, "batchNormalizationBackward: ∂L/∂Y of shape \(Tensor.describe(g.shape)) for an input of \(Tensor.describe(x.shape))")
        let statistics = channelStatistics(x, epsilon: layer.epsilon)
        var gamma = Vector.zeros(x.channels), beta = Vector.zeros(x.channels)
        forEachValue(of: x) { c, offset in
            let normalized = (x.storage[offset] - statistics[c].mean) / statistics[c].deviation
            gamma[c] += g.storage[offset] * normalized
            beta[c] += g.storage[offset]
        }
        let m = Double(x.count * x.height * x.width)
        var input = x
        forEachValue(of: x) { c, offset in
            let normalized = (x.storage[offset] - statistics[c].mean) / statistics[c].deviation
            input.storage[offset] = layer.gamma[c] / (m * statistics[c].deviation) * (m * g.storage[offset] - beta[c] - normalized * gamma[c])
        }
        return BatchNormalizationGradient(input: input, gamma: gamma, beta: beta)
    }

    /// Each channel's mean and √(biased variance + ε), over the N·H·W values of the channel.
    private func channelStatistics(_ x: ImageBatch, epsilon: Double) -> [(mean: Double, deviation: Double)] {
        var sums = [Double](repeating: 0, count: x.channels)
        forEachValue(of: x) { c, offset in sums[c] += x.storage[offset] }
        let m = Double(x.count * x.height * x.width)
        let means = sums.map { $0 / m }
        var squares = [Double](repeating: 0, count: x.channels)
        forEachValue(of: x) { c, offset in
            let d = x.storage[offset] - means[c]
            squares[c] += d * d
        }
        return (0..<x.channels).map { (means[$0], (squares[$0] / m + epsilon).squareRoot()) }
    }

    /// Calls `body` with the channel and storage offset of every value of `x`.
    private func forEachValue(of x: ImageBatch, _ body: (_ channel: Int, _ offset: Int) -> Void) {
        let plane = x.height * x.width
        for n in 0..<x.count {
            for c in 0..<x.channels {
                let start = (n * x.channels + c) * plane
                for offset in start..<(start + plane) { body(c, offset) }
            }
        }
    }
}
