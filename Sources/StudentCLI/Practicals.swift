import Grader

/// The practicals the commands grade and check. The instructor's `grade` runs its commands with the
/// course's drivers (`PracticalRegistry.course`, which holds the reference engine); everywhere else, as in
/// the `grade` of a student's kit, they are the stored public cases (`PracticalRegistry.replaying`).
public enum Practicals {
    /// The registry in effect.
    @TaskLocal public static var registry: PracticalRegistry = .replaying
}
