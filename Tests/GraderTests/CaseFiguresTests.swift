import CourseDrivers
import CourseKit
import Figures
import Foundation
import Grader
import SubmissionRuntime
import Testing

/// What each practical draws of a public case: the data of every figure is the answers' own.
struct CaseFiguresTests {
    static let quadratic = ObjectiveDescription.quadratic(Quadratic(A: Matrix(rows: 2, columns: 2, storage: [3, 0.5, 0.5, 1]), b: Vector([1, -1]), c: 0))

    static func path(_ f: any Objective, from x0: Vector, step: Double, count: Int) -> [Vector] {
        var x = x0, path = [x0]
        for _ in 0..<count {
            x = x - step * f.gradient(at: x)
            path.append(x)
        }
        return path
    }

    @Test func gradientDescentIsDrawnOverContoursAndItsGradientNormOnALogScale() throws {
        let f = Self.quadratic.objective
        let reference = Self.path(f, from: Vector([2, 2]), step: 0.2, count: 40)
        let student = Self.path(f, from: Vector([2, 2]), step: 0.3, count: 40)
        let call = Practical1Call.gradientDescent(objective: Self.quadratic, x0: Vector([2, 2]), stepSize: 0.2, tolerance: 1e-8, maxIterations: 40)
        let figures = Practical1Rules.figures(for: call, answer: .iterates(student), reference: .iterates(reference))
        #expect(figures.count == 2)
        guard case let .chart(contours) = figures[0], case let .chart(norms) = figures[1] else { Issue.record("not charts"); return }
        #expect(contours.equalAspect && contours.layers.contains { if case .contours = $0 { return true } else { return false } })
        let paths = contours.layers.compactMap { layer -> Series? in if case let .path(series) = layer { return series } else { return nil } }
        #expect(paths.map(\.name) == ["your iterates", "reference"], "the student's path under the reference's")
        #expect(paths[0].points == student.map { Point($0[0], $0[1]) } && paths[1].points == reference.map { Point($0[0], $0[1]) })
        let normSeries = norms.layers.compactMap { layer -> Series? in if case let .path(series) = layer { return series } else { return nil } }
        #expect(norms.y.isLogarithmic)
        #expect(normSeries[0].points.enumerated().allSatisfy { k, point in point.x == Double(k) && point.y == f.gradient(at: student[k]).norm })
        // In three dimensions there is no contour plot: the path of the first two coordinates, and the norms.
        let f3 = ObjectiveDescription.quadratic(Quadratic(A: Matrix.identity(3), b: Vector([1, 0, 0]), c: 0))
        let three = Self.path(f3.objective, from: Vector([1, 1, 1]), step: 0.5, count: 5)
        let projected = Practical1Rules.figures(for: .newton(objective: f3, x0: Vector([1, 1, 1]), tolerance: 1e-8, maxIterations: 5),
                                                answer: .iterates(three), reference: .iterates(three))
        #expect(projected.map(\.title) == ["newton: the path of (x₁, x₂)", "newton: ‖∇f(x_k)‖ against k"])
    }

    @Test func aLongRunIsThinnedButKeepsItsStartAndEnd() {
        let indices = OptimisationFigures.drawnIndices(10_001)
        #expect(indices.count == OptimisationFigures.pointLimit && indices.first == 0 && indices.last == 10_000)
        #expect(zip(indices, indices.dropFirst()).allSatisfy { $0 < $1 })
        #expect(OptimisationFigures.drawnIndices(12) == Array(0..<12))
    }

    @Test func aDivergingStudentIsDrawnWithoutTrapping() throws {
        let f = Self.quadratic.objective
        let reference = Self.path(f, from: Vector([2, 2]), step: 0.2, count: 10)
        var student = Self.path(f, from: Vector([2, 2]), step: 1.5, count: 10)
        student.append(Vector([.nan, .infinity]))
        let figures = OptimisationFigures.figures(of: "gradientDescent", on: f, student: student, reference: reference,
                                                  captions: OptimisationFigures.Captions(path: "", gradientNorms: ""))
        #expect(figures.count == 2)
        // The contour window follows the reference: the diverging iterates leave it.
        guard case let .chart(contours) = figures[0], case let .contours(grid) = contours.layers[0] else { Issue.record("no contours"); return }
        #expect(grid.x.upperBound < 10 && grid.x.lowerBound > -10)
        for figure in figures { _ = FigureSVG.render(figure, id: "d") }
    }

    @Test func aPerceptronsBoundaryIsDrawnOverItsPoints() throws {
        let inputs = Matrix(rows: 4, columns: 2, storage: [0, 0, 1, 0, 0, 1, 1, 1])
        let labels = Vector([-1, -1, -1, 1])
        let call = Practical1Call.perceptron(inputs: inputs, labels: labels, learningRate: 1, epochs: 5)
        let figures = Practical1Rules.figures(for: call, answer: .linearUnit(LinearUnit(weights: Vector([1, 1]), bias: -1.5)),
                                              reference: .linearUnit(LinearUnit(weights: Vector([2, 1]), bias: -2.5)))
        guard case let .chart(chart) = try #require(figures.first) else { Issue.record("not a chart"); return }
        guard case let .points(set) = chart.layers[0], case let .line(yours) = chart.layers[1], case let .line(theirs) = chart.layers[2] else {
            Issue.record("not points and two lines"); return
        }
        #expect(set.classes == [0, 0, 0, 1] && set.classNames == ["label −1", "label +1"])
        #expect([yours.a, yours.b, yours.c] == [1, 1, -1.5] && [theirs.a, theirs.b, theirs.c] == [2, 1, -2.5] && yours.role == .student)
    }

    @Test func anOptimiserAndABackwardPassDrawTheirPathAndTheirErrorByLayer() throws {
        let f = Self.quadratic
        let path = Self.path(f.objective, from: Vector([1, 1]), step: 0.1, count: 8)
        let optimiser = Practical2Call.optimizer(optimizer: .adam(learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8), objective: f,
                                                 start: Vector([1, 1]), steps: 8)
        let figures = Practical2Rules.figures(for: optimiser, answer: .iterates(path), reference: .iterates(path))
        #expect(figures.map(\.title) == ["Adam: iterates over the level lines of f", "Adam: ‖∇f(x_k)‖ against k"])

        // Layer 2's weight gradient is off by a tenth; layer 1's only by rounding.
        let reference = [(weights: [1.0, 2, 3, 4], bias: [1.0, 1]), (weights: [0.5, -0.5], bias: [2.0])]
        let student = [(weights: [1.0, 2, 3, 4 + 1e-14], bias: [1.0, 1]), (weights: [0.55, -0.5], bias: [2.0])]
        guard case let .chart(chart) = try #require(LayerErrorFigure.figure(student: student, reference: reference)),
              case let .path(weights) = chart.layers[0], case let .path(biases) = chart.layers[1] else { Issue.record("not a chart of two series"); return }
        #expect(weights.points.map(\.x) == [1, 2])
        #expect(abs(weights.points[0].y - 2.5e-15) < 1e-15 && abs(weights.points[1].y - 0.1) < 1e-12)
        #expect(biases.points.map(\.y) == [1e-16, 1e-16], "an exact match sits at a double's precision")
        #expect(LayerErrorFigure.figure(student: [student[0]], reference: reference) == nil)
    }

    @Test func captionsSpeakOfTheMethodsOfTheirOwnPractical() throws {
        let f = Self.quadratic
        let path = Self.path(f.objective, from: Vector([1, 1]), step: 0.1, count: 8)
        let optimisers: [Optimizer] = [.sgd(learningRate: 0.1), .momentum(learningRate: 0.1, beta: 0.9), .nesterov(learningRate: 0.1, beta: 0.9),
                                       .adagrad(learningRate: 0.1, epsilon: 1e-8), .rmsprop(learningRate: 0.1, beta: 0.9, epsilon: 1e-8),
                                       .adam(learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)]
        var captions: [[String]] = []
        for optimiser in optimisers {
            let call = Practical2Call.optimizer(optimizer: optimiser, objective: f, start: Vector([1, 1]), steps: 8)
            let figures = Practical2Rules.figures(for: call, answer: .iterates(path), reference: .iterates(path))
            #expect(figures.count == 2)
            for figure in figures {
                #expect(!figure.caption.isEmpty && !figure.caption.contains("Newton"), "practical 2's \(figure.title): \(figure.caption)")
            }
            captions.append(figures.map(\.caption))
        }
        #expect(captions[0] != captions[1] && captions[1] != captions[5] && captions[0] != captions[5], "plain, momentum and adaptive steps are told apart")
        // Practical 1: Newton's figures speak of Newton's method, gradient descent's of gradient steps alone.
        let x0 = Vector([1, 1])
        let newton = Practical1Rules.figures(for: .newton(objective: f, x0: x0, tolerance: 1e-8, maxIterations: 8), answer: .iterates(path), reference: .iterates(path))
        let descent = Practical1Rules.figures(for: .gradientDescent(objective: f, x0: x0, stepSize: 0.1, tolerance: 1e-8, maxIterations: 8),
                                              answer: .iterates(path), reference: .iterates(path))
        #expect(newton.count == 2 && newton.allSatisfy { $0.caption.contains("Newton") }, "\(newton.map(\.caption))")
        #expect(descent.count == 2 && descent.allSatisfy { !$0.caption.contains("Newton") && !$0.caption.isEmpty }, "\(descent.map(\.caption))")
    }

    @Test func anAttackShowsEachImageItsPerturbationAndBothAdversarialImages() throws {
        let input = ImageBatch(count: 2, channels: 1, height: 2, width: 2, storage: [0.5, 0.5, 0.5, 0.5, 0, 1, 0, 1])
        let yours = [0.6, 0.4, 0.6, 0.4, 0.1, 1, 0.1, 1], theirs = [0.6, 0.6, 0.4, 0.4, 0.1, 1, 0, 1]
        guard case let .images(grid) = try #require(AttackFigure.figure(name: "fgsm", epsilon: 0.1, input: input, student: yours, reference: theirs)) else {
            Issue.record("not an image grid"); return
        }
        #expect(grid.images.map(\.caption) == ["image 1", "your perturbation", "your fgsm", "reference fgsm", "image 2", "your perturbation", "your fgsm", "reference fgsm"])
        #expect(grid.perRow == 4 && grid.width == 2 && grid.height == 2)
        #expect(grid.images[1].isSigned && zip(grid.images[1].pixels, [0.1, -0.1, 0.1, -0.1]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(grid.images[3].pixels == Array(theirs[0..<4]))
        #expect(AttackFigure.figure(name: "fgsm", epsilon: 0.1, input: input, student: Array(yours.prefix(4)), reference: theirs) == nil)
    }

    @Test func aConfusionMatrixCountsEachPairOfTrueAndPredictedClass() throws {
        guard case let .heatMap(map) = TrainingFigures.confusion(predicted: [0, 1, 1, 2, -1, 2], labels: [0, 1, 2, 2, 1, 2], classes: 3) else {
            Issue.record("not a heat map"); return
        }
        #expect(map.values == [1, 0, 0, 0, 1, 0, 0, 1, 2], "rows are the true class; an unknown prediction is left out")
        #expect(map.rowLabels == ["0", "1", "2"] && map.title == "Confusion matrix on 6 held-out images")
    }

    @Test func aGeneratorsSamplesAreDrawnOverTheModes() throws {
        let mixture = MixtureOfGaussians(modes: 8, radius: 2, sigma: 0.05, angle: 0.3)
        let samples = Matrix(rows: 3, columns: 2, storage: [2, 0, 0, 2, 9, 9])
        guard case let .chart(chart) = TrainingFigures.samples(samples, over: mixture), case let .points(set) = chart.layers[0] else {
            Issue.record("not a chart of points"); return
        }
        #expect(set.points.prefix(3) == [Point(2, 0), Point(0, 2), Point(9, 9)])
        #expect(set.classes == [0, 0, 0] + Array(repeating: 1, count: 8))
        #expect(chart.layers.count == 1 + 8, "a 3σ circle around each mode")
    }
}

/// The course's own specs read well: every check says in words what it checks, and no two checks of a
/// practical say the same.
struct BundledSpecTitlesTests {
    @Test(arguments: ["practical1", "practical2", "practical3"])
    func everyCheckHasATitle(_ assignment: String) throws {
        let spec = try SpecLoader.loadAssignment(at: TestSupport.course.specURL(assignment), kinds: CourseRules.checkKinds)
        let untitled = spec.allChecks.map(\.check).filter { ($0.title ?? "").trimmingCharacters(in: .whitespaces).isEmpty }.map(\.id)
        #expect(untitled.isEmpty, "\(assignment): checks without a title: \(untitled)")
    }

    @Test func everyPracticalOfTheCourseIsTested() throws {
        #expect(try CoursePolicy.load(from: TestSupport.course).practicals.map(\.id) == ["practical1", "practical2", "practical3"])
    }

    @Test(arguments: ["practical1", "practical2", "practical3"])
    func noTwoChecksShareATitle(_ assignment: String) throws {
        let spec = try SpecLoader.loadAssignment(at: TestSupport.course.specURL(assignment), kinds: CourseRules.checkKinds)
        let titles = Dictionary(grouping: spec.allChecks.map(\.check), by: { ($0.title ?? $0.id).trimmingCharacters(in: .whitespaces).lowercased() })
        let shared = titles.filter { $0.value.count > 1 }.mapValues { $0.map(\.id) }
        #expect(shared.isEmpty, "\(assignment): checks that share a title: \(shared)")
    }
}

/// Figures are drawn for public cases only: a hidden case's picture would show its expected values.
struct HiddenCaseFiguresTests {
    @Test func aHiddenCaseGetsNoFigureAndAPublicOneDoes() throws {
        let spec = try SpecLoader.loadAssignment(at: TestSupport.course.specURL("practical1"), kinds: CourseRules.checkKinds)
        let check = try #require(spec.allChecks.first { $0.check.id == "gd-trajectory" }?.check)
        let driver = Practical1Driver(context: DriverContext())
        let prepared = try driver.prepareCase(for: check, recipe: check.publicCases[0], seed: check.publicCases[0].seed ?? 0)
        let reference = driver.referenceAnswer(for: prepared)
        let payload = try WireFormat.encoder().encode(Reply(id: 1, answer: reference))
        func verdict(_ disclosure: Disclosure) -> CaseVerdict {
            ReplyEvaluator(driver: driver).evaluate(payload, requestID: 1, prepared: prepared, reference: reference, check: check,
                                                    tolerance: check.effectiveTolerance(spec.defaults), disclosure: disclosure)
        }
        #expect(verdict(.full).verdict == .accepted && verdict(.full).figures.count == 2)
        #expect(verdict(.positionOnly).verdict == .accepted && verdict(.positionOnly).figures.isEmpty)
    }
}
