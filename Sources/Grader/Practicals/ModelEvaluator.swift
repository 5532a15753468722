import CourseKit

extension Matrix {
    /// The class of each row of scores: the index of its largest entry, the first of equal ones (−1 for an empty row).
    public var rowClasses: [Int] {
        (0..<rows).map { row in
            let scores = self.row(row).storage
            return scores.indices.max(by: { scores[$0] < scores[$1] }) ?? -1
        }
    }
}

/// The forward passes the grader scores a trained model with (`HeldOutDigits`, `HeldOutImages`,
/// `GeneratorOnMixture`, the harm of an attack): the reference engine's, which the course's drivers give
/// the scorers they make. Never the submission's own, which could flatter itself.
public protocol ModelEvaluator: Sendable {
    /// The outputs of the dense network `layers` on `input`, one row per sample.
    func outputs(of layers: [DenseLayer], on input: Matrix) -> Matrix
    /// The fraction of `inputs` (one per row) whose largest output under `layers` is at the index `labels` gives.
    func accuracy(of layers: [DenseLayer], on inputs: Matrix, labels: [Int]) -> Double
    /// The outputs of the CNN `network` on `images`, one row of class scores per image.
    func outputs(of network: ConvolutionalNetwork, on images: ImageBatch) -> Matrix
}
