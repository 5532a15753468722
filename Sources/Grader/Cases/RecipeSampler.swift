import CourseKit
import Foundation

/// Draws a case's parameters from a recipe: fixed numbers stay, ranges are sampled with the case's seed.
///
/// Recipe parameters override the check's `settings`. Integer parameters are drawn uniformly
/// from their range; parameters whose range spans more than a factor of 100 (such as a
/// condition number 10…10⁴) are drawn log-uniformly.
public struct RecipeSampler {
    private let parameters: [String: ParameterValue]
    /// The generator every draw of this case uses, in order.
    public var rng: SeededGenerator

    public init(recipe: CaseRecipe, settings: [String: ParameterValue], seed: UInt64) {
        parameters = settings.merging(recipe.parameters) { _, recipeValue in recipeValue }
        rng = SeededGenerator(seed: seed)
    }

    /// A problem with a recipe parameter, naming it.
    public struct ParameterError: Error, CustomStringConvertible {
        /// What is wrong.
        public let description: String
        /// A problem described by `description`.
        public init(description: String) { self.description = description }
    }

    /// The real parameter `name`, or `fallback` when absent.
    public mutating func real(_ name: String, default fallback: Double) throws -> Double {
        switch parameters[name] {
        case nil: return fallback
        case let .number(value): return value
        case let .range(low, high):
            if low > 0 && high / low > 100 { return exp(rng.nextUniform(in: log(low), log(high))) }
            return rng.nextUniform(in: low, high)
        case .text: throw ParameterError(description: "parameter '\(name)' must be a number or a range")
        }
    }

    /// The largest magnitude of an integer parameter: beyond it a number is no size, count or seed a case can use.
    public static let integerMagnitude = 1e15

    /// The integer parameter `name`, or `fallback` when absent.
    public mutating func integer(_ name: String, default fallback: Int) throws -> Int {
        let limit = Self.integerMagnitude
        switch parameters[name] {
        case nil: return fallback
        case let .number(value):
            guard value.rounded() == value else { throw ParameterError(description: "parameter '\(name)' must be a whole number") }
            guard abs(value) <= limit else { throw ParameterError(description: "parameter '\(name)' must be a whole number of magnitude at most 10^15") }
            return Int(value)
        case let .range(low, high):
            guard abs(low) <= limit, abs(high) <= limit else { throw ParameterError(description: "parameter '\(name)' must be a range within ±10^15") }
            let lo = Int(low.rounded(.up)), hi = Int(high.rounded(.down))
            guard lo <= hi else { throw ParameterError(description: "parameter '\(name)' has no whole number in its range") }
            return lo + Int(rng.next() % UInt64(hi - lo + 1))
        case .text: throw ParameterError(description: "parameter '\(name)' must be a number or a range")
        }
    }

    /// The text parameter `name`, or `fallback` when absent.
    public func text(_ name: String, default fallback: String) throws -> String {
        switch parameters[name] {
        case nil: return fallback
        case let .text(value): return value
        default: throw ParameterError(description: "parameter '\(name)' must be text")
        }
    }
}
