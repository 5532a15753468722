import CourseKit

/// The reference's convolutional layers (practical 3): convolution through im2col and one GEMM, pooling,
/// inverted dropout and batch normalisation in training mode, forward and backward. The formulas are in
/// the doc comments of CourseKit's `ConvolutionLayer`, `Pooling`, `Dropout` and `BatchNormalization`.
public struct ReferencePractical3: Sendable {
    /// Creates the reference.
    public init() {}

    // MARK: Convolution

    /// Y = X ⋆ W + b (cross-correlation): the im2col matrix holds every window of the padded input as a
    /// column (C·k·k × N·H_out·W_out), and one GEMM with W (F × C·k·k) gives every output pixel of every
    /// filter; each image's block of columns is then one contiguous plane of Y per filter.
    public func convolutionForward(_ x: ImageBatch, layer: ConvolutionLayer) -> ImageBatch {
        let (columns, height, width) = im2col(x, layer: layer)
        let products = filterMatrix(layer) * columns
        var y = ImageBatch(count: x.count, channels: layer.filters, height: height, width: width)
        let plane = height * width, pixels = x.count * plane
        products.storage.withUnsafeBufferPointer { source in
            y.storage.withUnsafeMutableBufferPointer { target in
                for f in 0..<layer.filters {
                    let bias = layer.bias[f]
                    for n in 0..<x.count {
                        let from = f * pixels + n * plane, to = (n * layer.filters + f) * plane
                        for pixel in 0..<plane { target[to + pixel] = source[from + pixel] + bias }
                    }
                }
            }
        }
        return y
    }

    /// With G (F × N·H_out·W_out) holding ∂L/∂Y one column per output pixel: ∂L/∂W = G · columnsᵀ,
    /// ∂L/∂b = the row sums of G, and ∂L/∂X by scattering Wᵀ · G back to the windows it came from (col2im).
    public func convolutionBackward(_ x: ImageBatch, layer: ConvolutionLayer, outputGradient g: ImageBatch) -> ConvolutionGradient {
        let (columns, height, width) = im2col(x, layer: layer)
        precondition(g.count == x.count && g.channels == layer.filters && g.height == height && g.width == width,
                     "convolutionBackward: ∂L/∂Y of shape \(Tensor.describe(g.shape)) for an output of \(x.count)×\(layer.filters)×\(height)×\(width)")
        let plane = height * width, pixels = x.count * plane
        var gradient = Matrix(rows: layer.filters, columns: pixels)
        var bias = [Double](repeating: 0, count: layer.filters)
        g.storage.withUnsafeBufferPointer { source in
            gradient.storage.withUnsafeMutableBufferPointer { target in
                for n in 0..<x.count {
                    for f in 0..<layer.filters {
                        let from = (n * layer.filters + f) * plane, to = f * pixels + n * plane
                        var sum = 0.0
                        for pixel in 0..<plane {
                            target[to + pixel] = source[from + pixel]
                            sum += source[from + pixel]
                        }
                        bias[f] += sum
                    }
                }
            }
        }
        let filters = filterMatrix(layer)
        let weights = gradient.timesTransposed(columns)
        let columnGradient = filters.transposedTimes(gradient)
        return ConvolutionGradient(input: col2im(columnGradient, like: x, layer: layer, height: height, width: width),
                                   weights: Tensor(shape: layer.weights.shape, storage: weights.storage), bias: Vector(bias))
    }

    /// W as an F × C·k·k matrix (its storage is already in that order).
    private func filterMatrix(_ layer: ConvolutionLayer) -> Matrix {
        Matrix(rows: layer.filters, columns: layer.inputChannels * layer.kernelSize * layer.kernelSize, storage: layer.weights.storage)
    }

    /// The im2col matrix of `x` under `layer`: row (c, p, q), like the columns of W, and column (n, i, j), one
    /// per output pixel, holding X̃[n, c, i·s + p, j·s + q]; pixels of the padding are 0.
    func im2col(_ x: ImageBatch, layer: ConvolutionLayer) -> (columns: Matrix, height: Int, width: Int) {
        precondition(x.channels == layer.inputChannels, "convolution: \(x.channels) input channels for filters of \(layer.inputChannels)")
        guard let (height, width) = layer.outputSize(height: x.height, width: x.width) else {
            preconditionFailure("convolution: a \(layer.kernelSize)×\(layer.kernelSize) kernel does not fit a \(x.height)×\(x.width) image padded by \(layer.padding)")
        }
        var columns = Matrix(rows: x.channels * layer.kernelSize * layer.kernelSize, columns: x.count * height * width)
        x.storage.withUnsafeBufferPointer { image in
            columns.storage.withUnsafeMutableBufferPointer { matrix in
                forEachWindowRun(x, layer: layer, height: height, width: width) { row, source, target, count, step in
                    for j in 0..<count { matrix[target + j] = image[source + j * step] }
                }
            }
        }
        return (columns, height, width)
    }

    /// The inverse scatter of `im2col`: each entry of `columns` is added to the input pixel it was read from.
    func col2im(_ columns: Matrix, like x: ImageBatch, layer: ConvolutionLayer, height: Int, width: Int) -> ImageBatch {
        var result = ImageBatch(count: x.count, channels: x.channels, height: x.height, width: x.width)
        columns.storage.withUnsafeBufferPointer { matrix in
            result.storage.withUnsafeMutableBufferPointer { image in
                forEachWindowRun(x, layer: layer, height: height, width: width) { row, source, target, count, step in
                    for j in 0..<count { image[source + j * step] += matrix[target + j] }
                }
            }
        }
        return result
    }

    /// Calls `body` once per run of im2col entries that read consecutive windows of one input row: for row
    /// (c, p, q) of the im2col matrix, image n and output row i, the output columns j whose pixel
    /// (i·s + p − padding, j·s + q − padding) lies inside the image, as `count` entries from im2col offset
    /// `target` reading input offsets `source`, `source + step`, …
    private func forEachWindowRun(_ x: ImageBatch, layer: ConvolutionLayer, height: Int, width: Int,
                                  _ body: (_ row: Int, _ source: Int, _ target: Int, _ count: Int, _ step: Int) -> Void) {
        let k = layer.kernelSize, s = layer.stride, padding = layer.padding
        let pixels = x.count * height * width
        for c in 0..<x.channels {
            for p in 0..<k {
                for q in 0..<k {
                    let row = (c * k + p) * k + q
                    // Output columns j with 0 ≤ j·s + q − padding < W.
                    let span = x.width - 1 + padding - q
                    guard span >= 0 else { continue }
                    let first = max(0, (padding - q + s - 1) / s)
                    let last = min(width - 1, span / s)
                    guard first <= last else { continue }
                    for n in 0..<x.count {
                        for i in 0..<height {
                            let r = i * s + p - padding
                            guard r >= 0, r < x.height else { continue }
                            body(row, ((n * x.channels + c) * x.height + r) * x.width + first * s + q - padding,
                                 row * pixels + (n * height + i) * width + first, last - first + 1, s)
                        }
                    }
                }
            }
        }
    }

    // MARK: Pooling

    /// Max or average pooling, channel by channel.
    public func pool(_ x: ImageBatch, _ pooling: Pooling) -> ImageBatch {
        guard let (height, width) = pooling.outputSize(height: x.height, width: x.width) else {
            preconditionFailure("pooling: a \(pooling.window)×\(pooling.window) window does not fit a \(x.height)×\(x.width) image")
        }
        var y = ImageBatch(count: x.count, channels: x.channels, height: height, width: width)
        let area = Double(pooling.window * pooling.window)
        x.storage.withUnsafeBufferPointer { source in
            y.storage.withUnsafeMutableBufferPointer { target in
                forEachWindow(x, pooling, height: height, width: width) { output, corner in
                    switch pooling.kind {
                    case .max: target[output] = source[Self.firstMaximum(source, corner: corner, rowLength: x.width, window: pooling.window)]
                    case .average:
                        var sum = 0.0
                        for p in 0..<pooling.window {
                            for q in 0..<pooling.window { sum += source[corner + p * x.width + q] }
                        }
                        target[output] = sum / area
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
        x.storage.withUnsafeBufferPointer { source in
            g.storage.withUnsafeBufferPointer { gradient in
                result.storage.withUnsafeMutableBufferPointer { target in
                    forEachWindow(x, pooling, height: height, width: width) { output, corner in
                        switch pooling.kind {
                        case .max:
                            target[Self.firstMaximum(source, corner: corner, rowLength: x.width, window: pooling.window)] += gradient[output]
                        case .average:
                            let share = gradient[output] / area
                            for p in 0..<pooling.window {
                                for q in 0..<pooling.window { target[corner + p * x.width + q] += share }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Calls `body` with the offset of each output pixel and of its window's top-left pixel in the input.
    private func forEachWindow(_ x: ImageBatch, _ pooling: Pooling, height: Int, width: Int, _ body: (_ output: Int, _ corner: Int) -> Void) {
        var output = 0
        for plane in 0..<(x.count * x.channels) {
            for i in 0..<height {
                for j in 0..<width {
                    body(output, (plane * x.height + i * pooling.stride) * x.width + j * pooling.stride)
                    output += 1
                }
            }
        }
    }

    /// The offset of the first largest pixel of the window at `corner`, in row-major order.
    private static func firstMaximum(_ x: UnsafeBufferPointer<Double>, corner: Int, rowLength: Int, window: Int) -> Int {
        var best = corner
        for p in 0..<window {
            for q in 0..<window {
                let offset = corner + p * rowLength + q
                if x[offset] > x[best] { best = offset }
            }
        }
        return best
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
