import CourseKit

// Convolution as one matrix product per image: the windows of the padded image are unrolled into the
// columns of a (C·k·k) × (H_out·W_out) matrix ("im2col"), so Y_n = W · columns + b.

/// The unrolled windows of image `n` of `x`: row (c, p, q), column (i, j).
func windows(_ x: ImageBatch, image n: Int, layer: ConvolutionLayer, height: Int, width: Int) -> Matrix {
    let k = layer.kernelSize, s = layer.stride, pad = layer.padding
    var columns = Matrix(rows: x.channels * k * k, columns: height * width)
    for c in 0..<x.channels {
        for p in 0..<k {
            for q in 0..<k {
                let row = (c * k + p) * k + q
                for i in 0..<height {
                    let y = i * s + p - pad
                    if y < 0 || y >= x.height { continue }
                    for j in 0..<width {
                        let xx = j * s + q - pad
                        if xx < 0 || xx >= x.width { continue }
                        columns.storage[row * height * width + i * width + j] = x.storage[x.offset(n, c, y, xx)]
                    }
                }
            }
        }
    }
    return columns
}

/// Adds the unrolled gradient `columns` back into image `n` of `gradient` (the inverse of `windows`).
func addWindows(_ columns: Matrix, into gradient: inout ImageBatch, image n: Int, layer: ConvolutionLayer, height: Int, width: Int) {
    let k = layer.kernelSize, s = layer.stride, pad = layer.padding
    for c in 0..<gradient.channels {
        for p in 0..<k {
            for q in 0..<k {
                let row = (c * k + p) * k + q
                for i in 0..<height {
                    let y = i * s + p - pad
                    if y < 0 || y >= gradient.height { continue }
                    for j in 0..<width {
                        let xx = j * s + q - pad
                        if xx < 0 || xx >= gradient.width { continue }
                        gradient.storage[gradient.offset(n, c, y, xx)] += columns.storage[row * height * width + i * width + j]
                    }
                }
            }
        }
    }
}

/// The filters as an F × (C·k·k) matrix.
func filterMatrix(_ layer: ConvolutionLayer) -> Matrix {
    Matrix(rows: layer.filters, columns: layer.weights.count / layer.filters, storage: layer.weights.storage)
}

func convolve(_ x: ImageBatch, _ layer: ConvolutionLayer) -> ImageBatch {
    let (height, width) = layer.outputSize(height: x.height, width: x.width)!
    let w = filterMatrix(layer)
    var y = ImageBatch(count: x.count, channels: layer.filters, height: height, width: width)
    let plane = height * width
    for n in 0..<x.count {
        let product = w * windows(x, image: n, layer: layer, height: height, width: width)
        for f in 0..<layer.filters {
            for index in 0..<plane {
                y.storage[(n * layer.filters + f) * plane + index] = product.storage[f * plane + index] + layer.bias[f]
            }
        }
    }
    return y
}

func convolveBackward(_ x: ImageBatch, _ layer: ConvolutionLayer, _ g: ImageBatch) -> ConvolutionGradient {
    let height = g.height, width = g.width, plane = height * width
    let w = filterMatrix(layer)
    var dW = Matrix(rows: w.rows, columns: w.columns)
    var db = Vector.zeros(layer.filters)
    var dX = ImageBatch(count: x.count, channels: x.channels, height: x.height, width: x.width)
    for n in 0..<x.count {
        let gn = Matrix(rows: layer.filters, columns: plane, storage: Array(g.storage[(n * layer.filters * plane)..<((n + 1) * layer.filters * plane)]))
        let columns = windows(x, image: n, layer: layer, height: height, width: width)
        dW = dW + gn.timesTransposed(columns)
        for f in 0..<layer.filters {
            for index in 0..<plane { db[f] += gn.storage[f * plane + index] }
        }
        addWindows(w.transposedTimes(gn), into: &dX, image: n, layer: layer, height: height, width: width)
    }
    return ConvolutionGradient(input: dX, weights: Tensor(shape: layer.weights.shape, storage: dW.storage), bias: db)
}

/// Pooling, and for max pooling the index (in x) of each output's first maximum.
func poolWithArgmax(_ x: ImageBatch, _ pooling: Pooling) -> (ImageBatch, [Int]) {
    let (height, width) = pooling.outputSize(height: x.height, width: x.width)!
    var y = ImageBatch(count: x.count, channels: x.channels, height: height, width: width)
    var argmax = [Int](repeating: 0, count: y.storage.count)
    let area = Double(pooling.window * pooling.window)
    for n in 0..<x.count {
        for c in 0..<x.channels {
            for i in 0..<height {
                for j in 0..<width {
                    var best = -Double.infinity, bestIndex = -1, sum = 0.0
                    for p in 0..<pooling.window {
                        for q in 0..<pooling.window {
                            let index = x.offset(n, c, i * pooling.stride + p, j * pooling.stride + q)
                            let value = x.storage[index]
                            sum += value
                            if bestIndex < 0 || value > best { best = value; bestIndex = index }
                        }
                    }
                    let out = y.offset(n, c, i, j)
                    y.storage[out] = pooling.kind == .max ? best : sum / area
                    argmax[out] = bestIndex
                }
            }
        }
    }
    return (y, argmax)
}

func poolBackwardPass(_ x: ImageBatch, _ pooling: Pooling, _ g: ImageBatch) -> ImageBatch {
    var dX = ImageBatch(count: x.count, channels: x.channels, height: x.height, width: x.width)
    if pooling.kind == .max {
        let (_, argmax) = poolWithArgmax(x, pooling)
        for out in g.storage.indices { dX.storage[argmax[out]] += g.storage[out] }
        return dX
    }
    let area = Double(pooling.window * pooling.window)
    for n in 0..<g.count {
        for c in 0..<g.channels {
            for i in 0..<g.height {
                for j in 0..<g.width {
                    let share = g.storage[g.offset(n, c, i, j)] / area
                    for p in 0..<pooling.window {
                        for q in 0..<pooling.window { dX.storage[dX.offset(n, c, i * pooling.stride + p, j * pooling.stride + q)] += share }
                    }
                }
            }
        }
    }
    return dX
}

/// Per channel: the mean and 1/√(σ² + ε) over the batch and the image.
func channelStatistics(_ x: ImageBatch, epsilon: Double) -> [(mean: Double, inverse: Double)] {
    let m = Double(x.count * x.height * x.width), plane = x.height * x.width
    return (0..<x.channels).map { c in
        var sum = 0.0
        for n in 0..<x.count { for k in 0..<plane { sum += x.storage[(n * x.channels + c) * plane + k] } }
        let mean = sum / m
        var squares = 0.0
        for n in 0..<x.count { for k in 0..<plane { let d = x.storage[(n * x.channels + c) * plane + k] - mean; squares += d * d } }
        return (mean, 1 / (squares / m + epsilon).squareRoot())
    }
}
