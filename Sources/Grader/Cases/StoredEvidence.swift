import CourseKit
import SubmissionRuntime

/// A case's evidence in a form that can be written to a file and read back (`StoredCase`), so that a
/// public case can be judged where the case cannot be generated (no reference engine): every kind of
/// evidence a driver attaches, with what only the grader has left out.
///
/// Two things are never stored: a training case's scorer (it holds held-out data and scores with the
/// reference's forward pass) and an attack case's target network (the grader's own). Whoever reads the
/// evidence back supplies them, or nothing (`EvidenceSubstitutes`).
public enum StoredEvidence: Codable, Sendable {
    /// `GradientCheck.NumericalGradient`.
    case numericalGradient(objective: ObjectiveDescription, x: Vector, step: Double)
    /// `StoppingRule`.
    case stoppingRule(objective: ObjectiveDescription, tolerance: Double, maxIterations: Int)
    /// `ConvergenceCheck.Rule.contraction`.
    case contraction(objective: ObjectiveDescription, start: Vector, minimizer: Vector, mu: Double, smoothness: Double,
                     tolerance: Double, maxIterations: Int)
    /// `ConvergenceCheck.Rule.reaches`.
    case reaches(objective: ObjectiveDescription, start: Vector, maxIterations: Int)
    /// `CompareCheck.SubgradientsAtKinks`.
    case subgradientsAtKinks(CompareCheck.SubgradientsAtKinks)
    /// `BackpropagationCheck.Subject`.
    case backpropagation(BackpropagationCheck.Subject)
    /// `PartGradients`.
    case partGradients(PartGradients)
    /// `AttackCheck.Evidence` without its target; `hasTarget` says whether the case had one.
    case attack(original: ImageBatch, epsilon: Double, stepSize: Double, ties: [Int], divergence: Double, hasTarget: Bool)
    /// `TrainingCheck.Evidence` without its scorer: the budget and what the scorer measures.
    case training(seconds: Double, metric: TrainingMetric)

    /// Evidence a driver attached that has no stored form: a new kind of evidence must be given one here.
    public struct Unstorable: Error, CustomStringConvertible {
        /// The evidence's type.
        public let type: String
        public var description: String { "evidence of type \(type) has no stored form" }
    }

    /// The stored form of `item`, one of the evidence types judges read.
    public init(_ item: any Sendable) throws {
        switch item {
        case let subject as GradientCheck.NumericalGradient:
            self = .numericalGradient(objective: try Self.describe(subject.objective), x: subject.x, step: subject.step)
        case let rule as StoppingRule:
            self = .stoppingRule(objective: try Self.describe(rule.objective), tolerance: rule.tolerance, maxIterations: rule.maxIterations)
        case let rule as ConvergenceCheck.Rule:
            switch rule {
            case let .contraction(objective, start, minimizer, mu, smoothness, tolerance, maxIterations):
                self = .contraction(objective: try Self.describe(objective), start: start, minimizer: minimizer, mu: mu, smoothness: smoothness,
                                    tolerance: tolerance, maxIterations: maxIterations)
            case let .reaches(objective, start, maxIterations):
                self = .reaches(objective: try Self.describe(objective), start: start, maxIterations: maxIterations)
            }
        case let rule as CompareCheck.SubgradientsAtKinks:
            self = .subgradientsAtKinks(rule)
        case let subject as BackpropagationCheck.Subject:
            self = .backpropagation(subject)
        case let subject as PartGradients:
            self = .partGradients(subject)
        case let attack as AttackCheck.Evidence:
            self = .attack(original: attack.original, epsilon: attack.epsilon, stepSize: attack.stepSize, ties: attack.ties.sorted(),
                           divergence: attack.divergence, hasTarget: attack.target != nil)
        case let training as TrainingCheck.Evidence:
            self = .training(seconds: training.seconds, metric: training.scorer.metric)
        default:
            throw Unstorable(type: String(reflecting: type(of: item)))
        }
    }

    /// The evidence judges read, with `substitutes` in place of what was not stored.
    public func restored(with substitutes: EvidenceSubstitutes) -> any Sendable {
        switch self {
        case let .numericalGradient(objective, x, step):
            return GradientCheck.NumericalGradient(objective: objective.objective, x: x, step: step)
        case let .stoppingRule(objective, tolerance, maxIterations):
            return StoppingRule(objective: objective.objective, tolerance: tolerance, maxIterations: maxIterations)
        case let .contraction(objective, start, minimizer, mu, smoothness, tolerance, maxIterations):
            return ConvergenceCheck.Rule.contraction(objective: objective.objective, start: start, minimizer: minimizer, mu: mu, smoothness: smoothness,
                                                     tolerance: tolerance, maxIterations: maxIterations)
        case let .reaches(objective, start, maxIterations):
            return ConvergenceCheck.Rule.reaches(objective: objective.objective, start: start, maxIterations: maxIterations)
        case let .subgradientsAtKinks(rule):
            return rule
        case let .backpropagation(subject):
            return subject
        case let .partGradients(subject):
            return subject
        case let .attack(original, epsilon, stepSize, ties, divergence, hasTarget):
            return AttackCheck.Evidence(original: original, epsilon: epsilon, stepSize: stepSize, ties: Set(ties),
                                        target: hasTarget ? substitutes.attackTarget : nil, divergence: divergence)
        case let .training(seconds, metric):
            return TrainingCheck.Evidence(seconds: seconds, scorer: substitutes.scorer(metric))
        }
    }

    /// The description of one of the objectives cases are drawn from.
    static func describe(_ objective: any Objective) throws -> ObjectiveDescription {
        switch objective {
        case let q as Quadratic: return .quadratic(q)
        case let r as Rosenbrock: return .rosenbrock(r)
        case let l as LogisticLoss: return .logistic(l)
        default: throw Unstorable(type: String(reflecting: type(of: objective)))
        }
    }
}

/// What takes the place of the evidence a stored case leaves out: the scorer of a training case and the
/// target network of an attack case.
public struct EvidenceSubstitutes: Sendable {
    /// The scorer of a training case whose score measures `metric`.
    public var scorer: @Sendable (TrainingMetric) -> any TrainedModelScorer
    /// The network an attack's harm is measured on, or nil to leave the harm unjudged.
    public var attackTarget: (any AttackTarget)?

    /// Substitutes made of `scorer` and `attackTarget`.
    public init(scorer: @escaping @Sendable (TrainingMetric) -> any TrainedModelScorer, attackTarget: (any AttackTarget)? = nil) {
        self.scorer = scorer
        self.attackTarget = attackTarget
    }
}
