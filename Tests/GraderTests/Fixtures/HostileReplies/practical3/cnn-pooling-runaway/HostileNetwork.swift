import CourseKit

// hostile: 4.89 M multiply-adds of convolution, then a 1,106 × 1,106 max pooling at stride 1 on the 2,212 × 2,212 map it makes.
func hostileNetwork(_ hints: ImageHints) -> ConvolutionalNetwork {
    var rng = SeededGenerator(seed: hints.seed)
    let wide = ConvolutionLayer(weights: Tensor(shape: [1, hints.channels, 1, 1], storage: Array(repeating: 1, count: hints.channels)), bias: Vector([0]), padding: 1092)
    let shrink = ConvolutionLayer(weights: Tensor(shape: [1, 1, 1, 1], storage: [1]), bias: Vector([0]), stride: 1106)
    return ConvolutionalNetwork(channels: hints.channels, height: hints.height, width: hints.width,
                                blocks: [ConvolutionalBlock(convolution: wide, pooling: Pooling(.max, window: 1106, stride: 1)),
                                         ConvolutionalBlock(convolution: shrink)],
                                dense: [DenseLayer.random(inputs: 4, outputs: hints.classes, activation: .softmax, using: &rng)])
}
