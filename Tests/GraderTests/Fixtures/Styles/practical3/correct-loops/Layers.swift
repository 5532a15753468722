import CourseKit

// Direct loops over every output pixel and every kernel tap, reading the padded image through bounds tests.

func convolve(_ x: ImageBatch, _ layer: ConvolutionLayer) -> ImageBatch {
    let (height, width) = layer.outputSize(height: x.height, width: x.width)!
    let k = layer.kernelSize, s = layer.stride, pad = layer.padding
    var y = ImageBatch(count: x.count, channels: layer.filters, height: height, width: width)
    for n in 0..<x.count {
        for f in 0..<layer.filters {
            for i in 0..<height {
                for j in 0..<width {
                    var total = layer.bias[f]
                    for c in 0..<x.channels {
                        for p in 0..<k {
                            let row = i * s + p - pad
                            guard row >= 0 && row < x.height else { continue }
                            for q in 0..<k {
                                let column = j * s + q - pad
                                guard column >= 0 && column < x.width else { continue }
                                total += layer.weights.storage[((f * x.channels + c) * k + p) * k + q] * x.storage[x.offset(n, c, row, column)]
                            }
                        }
                    }
                    y.storage[y.offset(n, f, i, j)] = total
                }
            }
        }
    }
    return y
}

func convolveBackward(_ x: ImageBatch, _ layer: ConvolutionLayer, _ g: ImageBatch) -> ConvolutionGradient {
    let k = layer.kernelSize, s = layer.stride, pad = layer.padding
    var dW = [Double](repeating: 0, count: layer.weights.count)
    var db = Vector.zeros(layer.filters)
    var dX = ImageBatch(count: x.count, channels: x.channels, height: x.height, width: x.width)
    for n in 0..<x.count {
        for f in 0..<layer.filters {
            for i in 0..<g.height {
                for j in 0..<g.width {
                    let upstream = g.storage[g.offset(n, f, i, j)]
                    db[f] += upstream
                    for c in 0..<x.channels {
                        for p in 0..<k {
                            let row = i * s + p - pad
                            guard row >= 0 && row < x.height else { continue }
                            for q in 0..<k {
                                let column = j * s + q - pad
                                guard column >= 0 && column < x.width else { continue }
                                let w = ((f * x.channels + c) * k + p) * k + q, pixel = x.offset(n, c, row, column)
                                dW[w] += upstream * x.storage[pixel]
                                dX.storage[pixel] += upstream * layer.weights.storage[w]
                            }
                        }
                    }
                }
            }
        }
    }
    return ConvolutionGradient(input: dX, weights: Tensor(shape: layer.weights.shape, storage: dW), bias: db)
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
