/// One automatic check: which protocol requirement it calls, how it judges the answer, and on which cases.
public struct CheckSpec: Sendable, Hashable {
    /// The check's id, unique across the whole spec; the rubric and hidden seeds refer to it.
    public var id: String
    /// The title shown to students, if the spec gives one.
    public var title: String?
    /// How the answer is judged.
    public var kind: CheckKind
    /// The name of the protocol requirement the check calls, such as `numericalGradient`.
    ///
    /// The loader only checks it is non-empty; the practical's driver checks it exists.
    public var call: String
    /// Where the `call` value is, for diagnostics about an unknown requirement.
    public var callLocation: SourceLocation
    /// The check's own tolerance, if it overrides the spec's defaults.
    public var tolerance: Tolerance?
    /// The check's own per-case wall-time limit in seconds, if it overrides the spec's defaults.
    public var timeoutSeconds: Double?
    /// The check's overrides of the course's resource limits (`limits:`), applied after `timeout`.
    public var limits: LimitSettings
    /// Parameters passed to the call (such as a finite-difference `step`); a case recipe's
    /// parameters take precedence over these.
    public var settings: [String: ParameterValue]
    /// Named numbers a check kind uses as its target, such as a convergence check's `gradientNorm` and `maxSteps`.
    public var expect: [String: Double]
    /// The public cases, each with its own seed, in file order.
    public var publicCases: [CaseRecipe]
    /// How hidden cases are drawn, if the check has any.
    public var hidden: HiddenCases?
    /// Where the check starts in its file.
    public var location: SourceLocation

    /// A check with the given fields.
    public init(id: String, title: String? = nil, kind: CheckKind, call: String, callLocation: SourceLocation,
                tolerance: Tolerance? = nil, timeoutSeconds: Double? = nil, limits: LimitSettings = LimitSettings(),
                settings: [String: ParameterValue] = [:],
                expect: [String: Double] = [:], publicCases: [CaseRecipe] = [], hidden: HiddenCases? = nil,
                location: SourceLocation) {
        self.id = id
        self.title = title
        self.kind = kind
        self.call = call
        self.callLocation = callLocation
        self.tolerance = tolerance
        self.timeoutSeconds = timeoutSeconds
        self.limits = limits
        self.settings = settings
        self.expect = expect
        self.publicCases = publicCases
        self.hidden = hidden
        self.location = location
    }

    /// The tolerance this check uses: its own, else the spec's default.
    public func effectiveTolerance(_ defaults: CheckDefaults) -> Tolerance {
        tolerance ?? defaults.tolerance
    }

    /// The per-case wall-time limit this check uses, in seconds: its own, else the spec's default.
    public func effectiveTimeout(_ defaults: CheckDefaults) -> Double {
        timeoutSeconds ?? defaults.timeoutSeconds
    }
}

/// How far an answer may be from the reference: an absolute and a relative allowance.
///
/// Just data here; the one rule that applies it is `Tolerance.accepts(_:_:scale:)`.
public struct Tolerance: Sendable, Hashable {
    /// The absolute allowance, at least 0.
    public var absolute: Double
    /// The relative allowance, at least 0.
    public var relative: Double

    /// A tolerance with the given allowances.
    public init(absolute: Double, relative: Double) {
        self.absolute = absolute
        self.relative = relative
    }
}
