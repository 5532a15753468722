/// How an assignment's points are shared out: automatic points per check and manual points for the rest.
///
/// Loaded from `Rubrics/<id>.yaml` by ``SpecLoader`` against the assignment's spec.
public struct Rubric: Sendable, Hashable {
    /// The id of the assignment the rubric grades.
    public var assignmentID: String
    /// The total, equal to ``automaticPoints`` plus ``manualPoints``.
    public var total: Double
    /// One entry per check of the spec, in file order.
    public var checks: [RubricCheck]
    /// Points given by hand, such as the written report.
    public var manual: [ManualItem]
    /// Where the rubric starts in its file; `location.file` is the rubric's path.
    public var location: SourceLocation

    /// A rubric with the given fields.
    public init(assignmentID: String, total: Double, checks: [RubricCheck], manual: [ManualItem], location: SourceLocation) {
        self.assignmentID = assignmentID
        self.total = total
        self.checks = checks
        self.manual = manual
        self.location = location
    }

    /// The entry for the check whose id is `checkID`, if the rubric has one.
    public func entry(forCheck checkID: String) -> RubricCheck? {
        checks.first { $0.checkID == checkID }
    }

    /// The points available from automatic checks.
    public var automaticPoints: Double { checks.reduce(0) { $0 + $1.points } }

    /// The points available from manual items.
    public var manualPoints: Double { manual.reduce(0) { $0 + $1.points } }
}

/// The points of one automatic check.
public struct RubricCheck: Sendable, Hashable {
    /// The id of the spec's check.
    public var checkID: String
    /// The points the check is worth, more than 0.
    public var points: Double
    /// How passed cases turn into points.
    public var credit: CreditRule
    /// Where the entry is in the rubric.
    public var location: SourceLocation

    /// An entry with the given fields.
    public init(checkID: String, points: Double, credit: CreditRule = .proportional, location: SourceLocation) {
        self.checkID = checkID
        self.points = points
        self.credit = credit
        self.location = location
    }
}

/// How a check's passed cases turn into points.
public enum CreditRule: String, Sendable, Hashable, CaseIterable, Codable {
    /// The points times the fraction of cases passed (the default).
    case proportional
    /// All the points when every case passes, none otherwise.
    case allOrNothing = "all-or-nothing"

    /// The points of each case of a check worth `available` points, from the cases' credits (each in 0…1):
    /// proportional, available × credit / cases; all or nothing, available / cases each when every case is
    /// accepted (credit 1), else 0. The one formula the grade, the feedback and the gradebook all use: the
    /// cases' points add up to the check's (to the last bit of rounding).
    public func casePoints(credits: [Double], available: Double) -> [Double] {
        casePointsAndTotal(credits: credits, available: available).cases
    }

    /// The cases' points and the check's, the latter computed whole (available × Σ credit / cases) so that
    /// a check whose every case passes earns exactly its points, not a sum of shares off by a rounding.
    public func casePointsAndTotal(credits: [Double], available: Double) -> (cases: [Double], total: Double) {
        let cases = shares(credits: credits, available: available)
        guard !credits.isEmpty else { return ([], 0) }
        switch self {
        case .proportional: return (cases, available * credits.map { min(1, max(0, $0)) }.reduce(0, +) / Double(credits.count))
        case .allOrNothing: return (cases, credits.allSatisfy { $0 >= 1 } ? available : 0)
        }
    }

    /// What one case of a check worth `available` points over `cases` cases is worth.
    public static func share(of available: Double, cases: Int) -> Double { available / Double(max(1, cases)) }

    private func shares(credits: [Double], available: Double) -> [Double] {
        guard !credits.isEmpty else { return [] }
        let share = Self.share(of: available, cases: credits.count)
        switch self {
        case .proportional: return credits.map { share * min(1, max(0, $0)) }
        case .allOrNothing:
            let all = credits.allSatisfy { $0 >= 1 }
            return credits.map { _ in all ? share : 0 }
        }
    }
}

/// Points given by hand, such as the written report.
public struct ManualItem: Sendable, Hashable {
    /// The item's id, unique in the rubric and distinct from every check id.
    public var id: String
    /// The title shown to students.
    public var title: String
    /// The points the item is worth, more than 0.
    public var points: Double
    /// Where the item is in the rubric.
    public var location: SourceLocation

    /// An item with the given fields.
    public init(id: String, title: String, points: Double, location: SourceLocation) {
        self.id = id
        self.title = title
        self.points = points
        self.location = location
    }
}
