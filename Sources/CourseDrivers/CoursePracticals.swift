import CourseKit
import Grader
import ReferenceEngine

extension PracticalRegistry {
    /// This course's practicals, drawn and answered by the reference engine: the instructor's grader.
    /// Each has its rules in `CourseRules.all`, in the same order.
    public static let course = PracticalRegistry([
        Practical1Driver.self,
        Practical2Driver.self,
        Practical3Driver.self,
    ])
}

/// The reference engine's forward passes, which score trained models (`ModelEvaluator`).
public struct ReferenceModels: ModelEvaluator {
    /// The reference's forward passes.
    public init() {}

    public func outputs(of layers: [DenseLayer], on input: Matrix) -> Matrix {
        ReferencePractical2().forward(layers, input: input).output
    }

    public func accuracy(of layers: [DenseLayer], on inputs: Matrix, labels: [Int]) -> Double {
        ReferencePractical2.accuracy(layers, inputs: inputs, labels: labels)
    }

    public func outputs(of network: ConvolutionalNetwork, on images: ImageBatch) -> Matrix {
        ReferencePractical3().predict(network, input: images)
    }
}
