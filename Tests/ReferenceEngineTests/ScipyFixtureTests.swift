import CourseKit
import Foundation
import Numerics
import ReferenceEngine
import Testing

/// CourseKit's objectives and the reference Newton method against values from SciPy (see Fixtures/make_fixtures.py).
@Suite struct ScipyFixtureTests {
    struct RosenbrockPoint: Decodable {
        let x: [Double]
        let value: Double
        let gradient: [Double]
        let hessian: [[Double]]
    }

    struct LogisticProblem: Decodable {
        let X: [[Double]]
        let y: [Double]
        let lambda: Double
        let w: [Double]
        let value: Double
        let gradient: [Double]
        let hessian: [[Double]]
        let minima: [Minimum]
    }

    /// A minimiser found by `scipy.optimize.minimize`, within `distance_bound` of the true one.
    struct Minimum: Decodable {
        let method: String
        let x: [Double]
        let distanceBound: Double
    }

    struct Fixtures: Decodable {
        let rosenbrock: [RosenbrockPoint]
        let logistic: [LogisticProblem]
    }

    static let fixtures: Fixtures = {
        let url = Bundle.module.url(forResource: "scipy_fixtures", withExtension: "json", subdirectory: "Fixtures")!
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try! decoder.decode(Fixtures.self, from: Data(contentsOf: url))
    }()

    func close(_ a: [Double], _ b: [Double], relative: Double = 1e-12, absolute: Double = 1e-12) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.isApproximatelyEqual(to: $1, absoluteTolerance: absolute, relativeTolerance: relative) }
    }

    @Test func rosenbrockMatchesScipysRosenRosenDerAndRosenHess() {
        #expect(Self.fixtures.rosenbrock.count == 6)
        for point in Self.fixtures.rosenbrock {
            let f = Rosenbrock(dimension: point.x.count)
            let x = Vector(point.x)
            #expect(f.value(at: x).isApproximatelyEqual(to: point.value, absoluteTolerance: 1e-12, relativeTolerance: 1e-13), "\(point.x)")
            #expect(close(f.gradient(at: x).storage, point.gradient), "\(point.x)")
            #expect(close(f.hessian(at: x).storage, point.hessian.flatMap { $0 }), "\(point.x)")
        }
    }

    @Test func logisticLossMatchesNumpy() {
        for problem in Self.fixtures.logistic {
            let f = LogisticLoss(X: Matrix(problem.X), y: Vector(problem.y), lambda: problem.lambda)
            let w = Vector(problem.w)
            #expect(f.value(at: w).isApproximatelyEqual(to: problem.value, relativeTolerance: 1e-12))
            #expect(close(f.gradient(at: w).storage, problem.gradient))
            #expect(close(f.hessian(at: w).storage, problem.hessian.flatMap { $0 }))
        }
    }

    /// Both ends are certified: the loss is λ-strongly convex, so ‖x − x*‖ ≤ ‖∇f(x)‖/λ for SciPy's x
    /// (the fixture's `distance_bound`) and for Newton's last iterate alike.
    @Test func referenceNewtonFindsScipysMinimiser() {
        #expect(Self.fixtures.logistic.map { $0.minima.map(\.method) }.allSatisfy { $0 == ["Newton-CG", "BFGS"] })
        for problem in Self.fixtures.logistic {
            let f = LogisticLoss(X: Matrix(problem.X), y: Vector(problem.y), lambda: problem.lambda)
            let iterates = ReferencePractical1().newton(on: f, from: .zeros(f.dimension), tolerance: 1e-12, maxIterations: 50)
            #expect(iterates.count <= 10, "Newton converges quadratically")
            let newton = iterates.last!
            let newtonBound = f.gradient(at: newton).norm / problem.lambda
            for minimum in problem.minima {
                let distance = (newton - Vector(minimum.x)).norm
                #expect(distance <= minimum.distanceBound + newtonBound + 1e-13,
                        "\(minimum.method): |x_newton − x_scipy| = \(distance), allowed \(minimum.distanceBound) + \(newtonBound)")
            }
        }
    }
}
