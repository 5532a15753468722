import CourseKit
import Numerics
import ReferenceEngine
import Testing

/// The reference engine against closed forms and hand computations.
@Suite struct ClosedFormTests {
    let reference = ReferencePractical1()
    let quadratic = Quadratic(A: Matrix([[3, 1], [1, 2]]), b: [1, -1])

    func close(_ a: Vector, _ b: Vector, tolerance: Double = 1e-12) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.isApproximatelyEqual(to: $1, absoluteTolerance: tolerance, relativeTolerance: tolerance) }
    }

    @Test func gradientDescentOnAQuadraticFollowsTheRecursion() {
        let eta = 0.2
        let iterates = reference.gradientDescent(on: quadratic, from: [2, 2], stepSize: eta, tolerance: 1e-9, maxIterations: 40)
        var x: Vector = [2, 2]
        #expect(iterates[0] == x)
        for k in 1..<iterates.count {
            // x_{k+1} = x_k − η(A x_k − b), written out by hand.
            x = [x[0] - eta * (3 * x[0] + x[1] - 1), x[1] - eta * (x[0] + 2 * x[1] + 1)]
            #expect(close(iterates[k], x), "iterate \(k)")
        }
        #expect(iterates.count == 41, "not converged to 1e-9 in 40 steps at this step size")
    }

    @Test func newtonSolvesAnSPDQuadraticInOneStep() throws {
        let iterates = reference.newton(on: quadratic, from: [5, -7], tolerance: 1e-10, maxIterations: 10)
        #expect(iterates.count == 2)
        #expect(close(iterates[1], try quadratic.A.solve(quadratic.b)))
        #expect(close(iterates[1], [0.6, -0.8]))
    }

    @Test func newtonAndArmijoDescentReachRosenbrocksMinimum() {
        let rosenbrock = Rosenbrock(dimension: 2)
        let newton = reference.newton(on: rosenbrock, from: [-1.2, 1], tolerance: 1e-10, maxIterations: 50)
        #expect(close(newton.last!, [1, 1], tolerance: 1e-9))
        #expect(newton.count < 10)
        let armijo = reference.gradientDescentArmijo(on: rosenbrock, from: [-1.2, 1], initialStep: 1, c: 1e-4, rho: 0.5,
                                                     tolerance: 1e-6, maxIterations: 50_000)
        #expect(close(armijo.last!, [1, 1], tolerance: 1e-5))
        #expect(rosenbrock.gradient(at: armijo.last!).norm <= 1e-6)
        let five = Rosenbrock(dimension: 5)
        #expect(close(reference.newton(on: five, from: [0.8, 0.9, 1.1, 1.2, 0.9], tolerance: 1e-10, maxIterations: 50).last!,
                      Vector(repeating: 1, count: 5), tolerance: 1e-9))
    }

    /// The three descent methods, which share the stopping rule.
    enum DescentMethod: String, CaseIterable, Sendable {
        case gradientDescent, gradientDescentArmijo, newton

        /// Runs the method; `stepSize` is gradient descent's fixed η (the others ignore it).
        func run(_ f: any Objective, from x0: Vector, stepSize: Double = 1e-4, tolerance: Double, maxIterations: Int) -> [Vector] {
            let reference = ReferencePractical1()
            switch self {
            case .gradientDescent:
                return reference.gradientDescent(on: f, from: x0, stepSize: stepSize, tolerance: tolerance, maxIterations: maxIterations)
            case .gradientDescentArmijo:
                return reference.gradientDescentArmijo(on: f, from: x0, initialStep: 1, c: 1e-4, rho: 0.5,
                                                       tolerance: tolerance, maxIterations: maxIterations)
            case .newton:
                return reference.newton(on: f, from: x0, tolerance: tolerance, maxIterations: maxIterations)
            }
        }
    }

    @Test(arguments: DescentMethod.allCases) func theStoppingRuleEdgeCases(method: DescentMethod) {
        // x₀ already optimal: [x₀].
        let minimizer: Vector = [0.6, -0.8]
        #expect(quadratic.gradient(at: minimizer).norm <= 1e-9)
        #expect(method.run(quadratic, from: minimizer, tolerance: 1e-9, maxIterations: 10) == [minimizer])
        // No iterations allowed: [x₀].
        let rosenbrock = Rosenbrock(dimension: 2)
        #expect(method.run(rosenbrock, from: [-1.2, 1], tolerance: 1e-9, maxIterations: 0) == [[-1.2, 1]])
        // Not converged: x₀ … x_maxIterations.
        #expect(method.run(rosenbrock, from: [-1.2, 1], tolerance: 1e-12, maxIterations: 3).count == 4)
        // Converged: the last iterate is the first within the tolerance.
        let path = method.run(quadratic, from: [2, 2], stepSize: 0.2, tolerance: 1e-6, maxIterations: 1000)
        #expect(path.count >= 2 && path.count <= 1000)
        #expect(quadratic.gradient(at: path.last!).norm <= 1e-6)
        #expect(path.dropLast().allSatisfy { quadratic.gradient(at: $0).norm > 1e-6 })
    }

    @Test func armijoGivesUpAfterItsSafetyBound() {
        // Along the ascent direction d = ∇f(0) of f(x) = ½‖x‖² − (x₁ + x₂), f(t d) = t² + 2t never
        // falls below f(0) + c t ∇f(0)ᵀd = 2ct, so every one of the 200 reductions happens.
        let f = Quadratic(A: .identity(2), b: [1, 1])
        let ascent = f.gradient(at: [0, 0])
        #expect(ReferencePractical1.maximumBacktracks == 200)
        let t = reference.armijoStep(on: f, at: [0, 0], direction: ascent, initialStep: 1, c: 1e-4, rho: 0.5)
        #expect(t.isApproximatelyEqual(to: 0x1p-200, relativeTolerance: 1e-15))
    }

    /// f(x) = x³/3 + x in one dimension: f′(x) = x² + 1 never vanishes and f″(x) = 2x vanishes at 0.
    struct Cubic: Objective {
        var dimension: Int { 1 }
        func value(at x: Vector) -> Double { x[0] * x[0] * x[0] / 3 + x[0] }
        func gradient(at x: Vector) -> Vector { [x[0] * x[0] + 1] }
        func hessian(at x: Vector) -> Matrix { Matrix([[2 * x[0]]]) }
    }

    @Test func newtonStopsWhereTheHessianIsSingular() {
        // Singular at x₀: only x₀.
        let flat = Quadratic(A: Matrix([[1, 0], [0, 0]]), b: [1, 1])
        #expect(reference.newton(on: flat, from: [0, 0], tolerance: 1e-9, maxIterations: 10) == [[0, 0]])
        // From x₀ = 1 the Newton step −f′/f″ = −2/2 lands on x₁ = 0, where f″ = 0: x₀ and x₁.
        #expect(reference.newton(on: Cubic(), from: [1], tolerance: 1e-9, maxIterations: 10) == [[1], [0]])
    }

    @Test func armijoReturnsTheFirstStepSatisfyingSufficientDecrease() {
        let f = Rosenbrock(dimension: 2)
        let x: Vector = [-1.2, 1]
        let d = -f.gradient(at: x)
        let slope = f.gradient(at: x).dot(d)
        let t = reference.armijoStep(on: f, at: x, direction: d, initialStep: 1, c: 1e-4, rho: 0.5)
        #expect(f.value(at: x + t * d) <= f.value(at: x) + 1e-4 * t * slope)
        #expect(f.value(at: x + (2 * t) * d) > f.value(at: x) + 1e-4 * (2 * t) * slope, "the previous, larger step was rejected")
        // The step for a quadratic along −g with c = 0.4 halves until t ≤ 2(1−c)/r, r = gᵀAg/gᵀg.
        let g = quadratic.gradient(at: [2, 2])
        let r = g.dot(quadratic.A * g) / g.dot(g)
        let step = reference.armijoStep(on: quadratic, at: [2, 2], direction: -g, initialStep: 10, c: 0.4, rho: 0.5)
        #expect(step <= 2 * 0.6 / r && 2 * step > 2 * 0.6 / r)
    }

    @Test func thePerceptronFollowsAHandComputedTrace() {
        // Two samples in R², labels 1 and 0, η = 1, from w = 0, b = 0.
        let inputs = Matrix([[1, 2], [2, 1]])
        let labels: Vector = [1, 0]
        // Epoch 1: x1: w·x+b = 0 ≥ 0 → ŷ = 1 = y, no change. x2: ŷ = 1, y = 0 → w = (−2, −1), b = −1.
        // Epoch 2: x1: −2−2−1 = −5 → ŷ = 0, y = 1 → w = (−1, 1), b = 0. x2: −2+1+0 = −1 → ŷ = 0 = y.
        let unit = reference.perceptron(inputs: inputs, labels: labels, learningRate: 1, epochs: 2)
        #expect(unit.weights == [-1, 1])
        #expect(unit.bias == 0)
        // It now separates the two samples.
        #expect(unit.weights.dot(inputs.row(0)) + unit.bias >= 0)
        #expect(unit.weights.dot(inputs.row(1)) + unit.bias < 0)
    }

    @Test func thePerceptronSeparatesALinearlySeparableSet() {
        // Integer points labelled by the side of 2x − y + 3 = 0, at least 2 away from it in score:
        // with η = 1 every weight is an integer, so equality below is exact.
        var rng = SeededGenerator(seed: 11)
        var points: [[Double]] = []
        while points.count < 40 {
            let point = [Double(Int.random(in: -10...10, using: &rng)), Double(Int.random(in: -10...10, using: &rng))]
            if abs(2 * point[0] - point[1] + 3) >= 2 { points.append(point) }
        }
        let inputs = Matrix(points)
        let labels = Vector(points.map { 2 * $0[0] - $0[1] + 3 > 0 ? 1 : 0 })
        #expect(labels.sum > 5 && labels.sum < 35, "both classes are present")
        let unit = reference.perceptron(inputs: inputs, labels: labels, learningRate: 1, epochs: 1000)
        for i in 0..<inputs.rows {
            #expect((unit.weights.dot(inputs.row(i)) + unit.bias >= 0 ? 1 : 0) == labels[i], "sample \(i)")
        }
        // Once every sample is classified correctly, another epoch changes nothing.
        #expect(reference.perceptron(inputs: inputs, labels: labels, learningRate: 1, epochs: 1001) == unit)
    }

    @Test func theSigmoidPerceptronTakesGradientStepsOnTheCrossEntropy() {
        let inputs = Matrix([[1, 0], [0, 1], [1, 1], [-1, -1]])
        let labels: Vector = [1, 0, 1, 0]
        // First step from w = 0, b = 0: p = 1/2 everywhere, residual p − y = (−½, ½, −½, ½),
        // ∂L/∂w = (1/4) Xᵀ r = (1/4)(−½ − ½ − ½, ½ − ½ − ½) = (−3/8, −1/8), ∂L/∂b = 0, so with η = 2, w = (3/4, 1/4).
        let one = reference.sigmoidPerceptron(inputs: inputs, labels: labels, learningRate: 2, iterations: 1)
        #expect(close(one.weights, [0.75, 0.25]))
        #expect(one.bias.isApproximatelyEqual(to: 0, absoluteTolerance: 1e-15))
        func loss(_ unit: LinearUnit) -> Double {
            let p = (inputs * unit.weights).map { 1 / (1 + .exp(-($0 + unit.bias))) }
            return -zip(p, labels).map { $1 * .log($0) + (1 - $1) * .log(1 - $0) }.reduce(0, +) / 4
        }
        var previous = loss(LinearUnit(weights: .zeros(2), bias: 0))
        for iterations in [1, 5, 20, 100] {
            let current = loss(reference.sigmoidPerceptron(inputs: inputs, labels: labels, learningRate: 0.5, iterations: iterations))
            #expect(current < previous)
            previous = current
        }
    }

    @Test func numericalGradientIsSecondOrderAccurate() {
        let f = Rosenbrock(dimension: 3)
        let x: Vector = [0.3, -0.4, 1.2]
        let exact = f.gradient(at: x)
        let coarse = (reference.numericalGradient(of: { f.value(at: $0) }, at: x, step: 1e-2) - exact).normInfinity
        let fine = (reference.numericalGradient(of: { f.value(at: $0) }, at: x, step: 1e-3) - exact).normInfinity
        // Dividing h by 10 divides the error by about 100.
        #expect(coarse / fine > 90 && coarse / fine < 110)
    }
}
