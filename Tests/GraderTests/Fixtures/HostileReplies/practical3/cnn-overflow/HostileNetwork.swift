import CourseKit

// hostile: no filters, a 65,550 × 65,550 kernel and padding 65,536: nothing to count, an overflowing product to score.
func hostileNetwork(_ hints: ImageHints) -> ConvolutionalNetwork {
    var rng = SeededGenerator(seed: hints.seed)
    let empty = ConvolutionLayer(weights: Tensor(shape: [0, hints.channels, 65_550, 65_550], storage: []), bias: Vector([]), padding: 65_536)
    return ConvolutionalNetwork(channels: hints.channels, height: hints.height, width: hints.width, blocks: [ConvolutionalBlock(convolution: empty)],
                                dense: [DenseLayer.random(inputs: 0, outputs: hints.classes, activation: .softmax, using: &rng)])
}
