import Foundation

/// The course-wide policy in `Rubrics/course.yaml`: for now, the default resource limits of every case and compilation.
public struct CoursePolicy: Sendable, Hashable {
    /// The top-level keys the policy accepts.
    static let keys = ["limits"]

    /// The policy's limit settings.
    public var limits: LimitSettings

    /// A policy with `limits`.
    public init(limits: LimitSettings = LimitSettings()) { self.limits = limits }

    /// The limits of one case before the spec's time limits and a check's overrides.
    public var caseLimits: ResourceLimits { limits.applied(to: ResourceLimits()) }

    /// The limits of one compilation.
    public var compileLimits: ResourceLimits { limits.appliedToCompilation(.compilation) }

    /// The policy of `layout`'s course: `Rubrics/course.yaml` when present, else the built-in defaults.
    public static func load(from layout: CourseLayout) throws -> CoursePolicy {
        let url = layout.root.appendingPathComponent("Rubrics/course.yaml")
        guard FileManager.default.fileExists(atPath: url.path) else { return CoursePolicy() }
        return try SpecLoader.diagnoseCoursePolicy(at: url).get()
    }
}
