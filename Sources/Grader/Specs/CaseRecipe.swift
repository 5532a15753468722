/// How to draw one case: a problem family, its parameters, and (for a public case) its seed.
public struct CaseRecipe: Sendable, Hashable {
    /// The problem family, such as `quadratic`, `rosenbrock` or `logistic`.
    public var problem: String
    /// The seed of a public case; nil in a hidden recipe, whose seeds come from the instructor secret.
    public var seed: UInt64?
    /// Every other key of the recipe: fixed numbers, ranges to draw from, or text.
    public var parameters: [String: ParameterValue]
    /// Where the recipe is in its file.
    public var location: SourceLocation

    /// A recipe with the given fields.
    public init(problem: String, seed: UInt64? = nil, parameters: [String: ParameterValue] = [:], location: SourceLocation) {
        self.problem = problem
        self.seed = seed
        self.parameters = parameters
        self.location = location
    }
}

/// A recipe or settings parameter: a number, a range `[low, high]` to draw from, or text.
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
    /// A fixed number, such as `dimension: 3`.
    case number(Double)
    /// A closed range `[low, high]` with low ≤ high, drawn from per case.
    case range(Double, Double)
    /// Text, such as a variant name.
    case text(String)

    /// The value as the spec writes it: `3`, `[2, 8]` or `"name"`.
    public var description: String {
        switch self {
        case let .number(value): return SpecNumber.format(value)
        case let .range(low, high): return "[\(SpecNumber.format(low)), \(SpecNumber.format(high))]"
        case let .text(text): return "\"\(text)\""
        }
    }
}

/// How a check's hidden cases are drawn: how many, and from which recipes.
public struct HiddenCases: Sendable, Hashable {
    /// How many hidden cases each student gets, at least 1.
    public var count: Int
    /// The recipes, used in turn (case i uses recipe i mod `recipes.count`); never empty, never seeded.
    public var recipes: [CaseRecipe]
    /// Where the `hidden` block is in its file.
    public var location: SourceLocation

    /// Hidden cases with the given fields.
    public init(count: Int, recipes: [CaseRecipe], location: SourceLocation) {
        self.count = count
        self.recipes = recipes
        self.location = location
    }
}

/// Formatting of numbers in messages as a spec writes them.
enum SpecNumber {
    /// `20` for a whole number, otherwise the shortest text that reads back the same, such as `2.5` or `1e-09`.
    static func format(_ value: Double) -> String {
        if value.isFinite, value.rounded() == value, abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }
}
