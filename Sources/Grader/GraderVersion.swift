/// The version of the grading logic, stored with every grading run.
///
/// Bump it whenever a change could alter a verdict or a score: a submission graded by an older
/// version is then regraded even when its sources and the spec are unchanged.
public enum GraderVersion {
    /// The current version.
    public static let current = "1.0.0"
}
