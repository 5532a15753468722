/// What a grading run covered.
public enum GradingMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every submission of the assignment.
    case full
    /// One student's submission (`grade <assignment> --student <id>`).
    case student
}
