import CourseKit

extension ReferencePractical1 {
    /// The step function H(t) = 1 if t ≥ 0, else 0.
    static func heaviside(_ t: Double) -> Double { t >= 0 ? 1 : 0 }

    /// The perceptron rule w ← w + η(y − H(w·x + b))x, b ← b + η(y − H(w·x + b)), from w = 0, b = 0.
    public func perceptron(inputs: Matrix, labels: Vector, learningRate: Double, epochs: Int) -> LinearUnit {
        var unit = LinearUnit(weights: .zeros(inputs.columns), bias: 0)
        for _ in 0..<max(0, epochs) {
            for i in 0..<inputs.rows {
                let x = inputs.row(i)
                let error = labels[i] - Self.heaviside(unit.weights.dot(x) + unit.bias)
                unit.weights = unit.weights + (learningRate * error) * x
                unit.bias += learningRate * error
            }
        }
        return unit
    }

    /// Full-batch gradient descent on the mean binary cross-entropy of σ(w·x + b), from w = 0, b = 0.
    public func sigmoidPerceptron(inputs: Matrix, labels: Vector, learningRate: Double, iterations: Int) -> LinearUnit {
        let m = Double(inputs.rows)
        var unit = LinearUnit(weights: .zeros(inputs.columns), bias: 0)
        for _ in 0..<max(0, iterations) {
            let probabilities = (inputs * unit.weights).map { LogisticLoss.sigmoid($0 + unit.bias) }
            let residual = probabilities - labels
            let weightGradient = (1 / m) * inputs.transposedTimes(residual)
            let biasGradient = residual.sum / m
            unit.weights = unit.weights - learningRate * weightGradient
            unit.bias -= learningRate * biasGradient
        }
        return unit
    }
}
