import CourseKit
import Testing

/// Every objective's gradient and Hessian agree with central differences of its value and gradient.
@Suite struct ObjectiveTests {
    static let objectives: [(String, any Objective, Vector)] = {
        var rng = SeededGenerator(seed: 5)
        let m = rng.gaussianMatrix(rows: 3, columns: 3)
        let spd = m.transposed * m + Matrix.identity(3)
        let x = rng.gaussianMatrix(rows: 25, columns: 3)
        let y = Vector((0..<25).map { _ in rng.nextUniform() < 0.5 ? 0 : 1 })
        return [
            ("quadratic", Quadratic(A: spd, b: [1, -2, 0.5], c: 3), [0.3, -1.1, 2]),
            ("rosenbrock", Rosenbrock(dimension: 4), [-1.2, 1, 0.5, 0.8]),
            ("rosenbrock alpha beta", Rosenbrock(dimension: 3, alpha: 2, beta: 10), [0.1, 0.2, 0.3]),
            ("logistic", LogisticLoss(X: x, y: y, lambda: 0.1), [0.5, -0.25, 1]),
        ]
    }()

    @Test(arguments: 0..<4) func gradientAndHessianMatchFiniteDifferences(index: Int) {
        let (name, f, x) = Self.objectives[index]
        let h = 1e-5
        let g = f.gradient(at: x)
        let hessian = f.hessian(at: x)
        for i in 0..<x.count {
            let e = h * Vector.basis(i, count: x.count)
            let numerical = (f.value(at: x + e) - f.value(at: x - e)) / (2 * h)
            #expect(abs(numerical - g[i]) <= 1e-6 * max(1, abs(g[i])), "\(name) ∂f/∂x\(i)")
            let column = (f.gradient(at: x + e) - f.gradient(at: x - e)) / (2 * h)
            for j in 0..<x.count {
                #expect(abs(column[j] - hessian[j, i]) <= 1e-5 * max(1, abs(hessian[j, i])), "\(name) H[\(j),\(i)]")
            }
        }
    }

    @Test func knownValues() {
        #expect(Rosenbrock(dimension: 3).value(at: [1, 1, 1]) == 0)
        #expect(Rosenbrock(dimension: 2).gradient(at: [1, 1]) == [0, 0])
        #expect(Quadratic(A: .identity(2), b: [1, 1], c: 0).value(at: [1, 1]) == -1)
        // log(1 + e^0) = log 2 per sample at w = 0, whatever the labels.
        let loss = LogisticLoss(X: Matrix([[1, 2], [3, 4]]), y: [0, 1], lambda: 0)
        #expect(abs(loss.value(at: [0, 0]) - 0.6931471805599453) < 1e-15)
        // No overflow for huge scores.
        #expect(LogisticLoss(X: Matrix([[1000]]), y: [0], lambda: 0).value(at: [1]) == 1000)
        #expect(LogisticLoss.sigmoid(-1000) == 0)
        #expect(LogisticLoss.sigmoid(1000) == 1)
    }
}
