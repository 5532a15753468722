import CourseKit
import Numerics
import ReferenceEngine
import Testing

/// The six optimisers against their formulas, and the documented mappings to PyTorch's conventions.
@Suite struct OptimizerTests {
    let reference = ReferencePractical2()
    /// f(θ) = ½ θᵀ D θ with D = diag(1, 10): ∇f(θ) = D θ.
    static func gradient(_ theta: Vector) -> Vector { [theta[0], 10 * theta[1]] }

    func run(_ optimizer: Optimizer, steps: Int, from start: Vector = [1, -2]) -> [Vector] {
        var theta = start
        var state = OptimizerState(dimension: 2)
        var path = [theta]
        for _ in 0..<steps {
            (theta, state) = reference.optimizerStep(optimizer, parameters: theta, state: state, gradient: Self.gradient)
            path.append(theta)
        }
        return path
    }

    func close(_ a: Vector, _ b: Vector, _ tolerance: Double = 1e-13) -> Bool {
        zip(a, b).allSatisfy { $0.isApproximatelyEqual(to: $1, absoluteTolerance: tolerance, relativeTolerance: tolerance) }
    }

    @Test func sgdAndMomentumFollowTheirRecursions() {
        let sgd = run(.sgd(learningRate: 0.05), steps: 3)
        #expect(close(sgd[1], [1 - 0.05, -2 + 0.05 * 20]))
        let momentum = run(.momentum(learningRate: 0.1, beta: 0.9), steps: 2)
        // v1 = 0.1 g0; θ1 = θ0 − η v1. v2 = 0.9 v1 + 0.1 g1; θ2 = θ1 − η v2.
        let g0 = Self.gradient([1, -2])
        let v1 = 0.1 * g0
        let theta1 = Vector([1, -2]) - 0.1 * v1
        let v2 = 0.9 * v1 + 0.1 * Self.gradient(theta1)
        #expect(close(momentum[1], theta1))
        #expect(close(momentum[2], theta1 - 0.1 * v2))
    }

    @Test func torchMomentumIsTheCourseMomentumAtLearningRateEtaTimesOneMinusBeta() {
        // torch.optim.SGD(momentum=β): b ← β b + g, θ ← θ − lr b (b₀ = 0, dampening 0).
        let eta = 0.1, beta = 0.9
        var theta: Vector = [1, -2], buffer = Vector.zeros(2)
        let course = run(.momentum(learningRate: eta, beta: beta), steps: 25)
        for k in 1...25 {
            buffer = beta * buffer + Self.gradient(theta)
            theta = theta - (eta * (1 - beta)) * buffer
            #expect(close(theta, course[k], 1e-12), "step \(k)")
        }
    }

    @Test func torchNesterovTracksTheCourseLookAheadPoints() {
        // torch's Nesterov: b ← β b + g(θ'), θ' ← θ' − lr (g(θ') + β b), with lr = η(1 − β).
        let eta = 0.05, beta = 0.8
        var state = OptimizerState(dimension: 2)
        var theta: Vector = [1, -2]
        var torchTheta = theta, buffer = Vector.zeros(2)
        let lr = eta * (1 - beta)
        for k in 1...20 {
            (theta, state) = reference.optimizerStep(.nesterov(learningRate: eta, beta: beta), parameters: theta, state: state, gradient: Self.gradient)
            let g = Self.gradient(torchTheta)
            buffer = beta * buffer + g
            torchTheta = torchTheta - lr * (g + beta * buffer)
            // torch's iterate is the course's look-ahead point θ − η β v, not θ.
            #expect(close(torchTheta, theta - (eta * beta) * state.velocity, 1e-12), "step \(k)")
        }
        #expect(!close(torchTheta, theta, 1e-6))
    }

    @Test func adagradRmspropAndAdamMatchTheirFormulas() {
        let g0 = Self.gradient([1, -2])
        let adagrad = run(.adagrad(learningRate: 0.5, epsilon: 1e-10), steps: 1)
        #expect(close(adagrad[1], Vector([1, -2]) - 0.5 * g0.map { $0 / (abs($0) + 1e-10) }))
        let rmsprop = run(.rmsprop(learningRate: 0.01, beta: 0.9, epsilon: 1e-8), steps: 1)
        #expect(close(rmsprop[1], Vector([1, -2]) - 0.01 * g0.map { $0 / ((0.1 * $0 * $0).squareRoot() + 1e-8) }))
        // Adam's first step: bias correction makes m̂ = g and v̂ = g², so θ moves by η g/(|g| + ε).
        let adam = run(.adam(learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8), steps: 1)
        #expect(close(adam[1], Vector([1, -2]) - 0.1 * g0.map { $0 / (abs($0) + 1e-8) }))
        // Without bias correction the first step would be η · 0.1 g / (√0.001 |g|) ≈ 3.16 η; with it, exactly η.
        let uncorrected: Double = 0.1 * 0.1 / 0.001.squareRoot()
        let taken: Double = abs(adam[1][0] - 1)
        #expect(abs(taken - 0.1) < 1e-6)
        #expect(uncorrected > 3 * taken)
        // All of them approach the minimum.
        for optimizer in [Optimizer.sgd(learningRate: 0.05), .momentum(learningRate: 0.1, beta: 0.9), .nesterov(learningRate: 0.1, beta: 0.9),
                          .adagrad(learningRate: 0.5, epsilon: 1e-8), .rmsprop(learningRate: 0.01, beta: 0.9, epsilon: 1e-8),
                          .adam(learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)] {
            #expect(run(optimizer, steps: 500).last!.norm < 0.05, "\(optimizer)")
        }
    }

    @Test func miniBatchesPartitionTheDataReproducibly() {
        let batches = reference.miniBatches(count: 10, batchSize: 4, seed: 7)
        #expect(batches.map(\.count) == [4, 4, 2])
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<10))
        #expect(batches == reference.miniBatches(count: 10, batchSize: 4, seed: 7))
        #expect(batches != reference.miniBatches(count: 10, batchSize: 4, seed: 8))
        var rng = SeededGenerator(seed: 7)
        #expect(batches.flatMap { $0 } == Array(0..<10).shuffled(using: &rng))
    }

    @Test func trainingLearnsASeparableProblem() {
        // Two Gaussian blobs per class in R⁴, three classes.
        var rng = SeededGenerator(seed: 5)
        let centres = (0..<3).map { _ in rng.gaussianVector(4, standardDeviation: 3) }
        var rows: [Vector] = [], labels: [Int] = []
        for i in 0..<600 {
            labels.append(i % 3)
            rows.append(centres[i % 3] + rng.gaussianVector(4, standardDeviation: 0.5))
        }
        let data = TrainingData(inputs: Matrix(rowVectors: rows), labels: labels)
        let layers = reference.train(data, hints: ArchitectureHints(inputs: 4, classes: 3, hiddenSizes: [16], seed: 1), seconds: 2)
        #expect(ReferencePractical2.accuracy(layers, inputs: data.inputs, labels: labels) > 0.95)
        #expect(layers.last?.activation == .softmax && layers.last?.weights.rows == 3)
    }
}
