/// One practical as the grader sees it: its tasks, their checks and the cases each check runs.
///
/// Loaded from `Assignments/<id>.yaml` by ``SpecLoader``; see that type for the file format.
public struct AssignmentSpec: Sendable, Hashable {
    /// The assignment's id, such as `practical1`; it names the rubric and the submissions folder.
    public var id: String
    /// The title shown to students.
    public var title: String
    /// The CourseKit protocol a submission implements, such as `Practical1`.
    public var protocolName: String
    /// The day of the practical session.
    public var session: CourseDate
    /// The day the report and code are due (normally the session plus 14 days).
    public var due: CourseDate
    /// Tolerance and timeout for checks that do not set their own.
    public var defaults: CheckDefaults
    /// The tasks, in the order of the file.
    public var tasks: [TaskSpec]
    /// Where the spec starts in its file; `location.file` is the spec's path.
    public var location: SourceLocation

    /// A spec with the given fields.
    public init(id: String, title: String, protocolName: String, session: CourseDate, due: CourseDate,
                defaults: CheckDefaults, tasks: [TaskSpec], location: SourceLocation) {
        self.id = id
        self.title = title
        self.protocolName = protocolName
        self.session = session
        self.due = due
        self.defaults = defaults
        self.tasks = tasks
        self.location = location
    }

    /// Every check of every task, in file order, with the task it belongs to.
    public var allChecks: [(task: TaskSpec, check: CheckSpec)] {
        tasks.flatMap { task in task.checks.map { (task: task, check: $0) } }
    }

    /// The spec with only the checks `keep` accepts, and without the tasks left empty: what a benchmark or
    /// a sweep grades when it leaves the training checks out, or keeps only them.
    public func keepingChecks(where keep: (CheckSpec) -> Bool) -> AssignmentSpec {
        var spec = self
        spec.tasks = tasks.map { task in
            var task = task
            task.checks.removeAll { !keep($0) }
            return task
        }.filter { !$0.checks.isEmpty }
        return spec
    }

    /// The check whose id is `id`, if any (check ids are unique across the spec).
    public func check(id: String) -> CheckSpec? {
        for task in tasks {
            if let check = task.checks.first(where: { $0.id == id }) { return check }
        }
        return nil
    }
}

/// The tolerance and timeout that apply to every check that does not override them.
public struct CheckDefaults: Sendable, Hashable {
    /// The tolerance used when the spec's `defaults` block does not give one.
    public static let builtInTolerance = Tolerance(absolute: 1.0e-9, relative: 1.0e-6)
    /// The per-case wall-time limit, in seconds, used when the spec's `defaults` block does not give one.
    public static let builtInTimeoutSeconds = 10.0

    /// The tolerance of checks without their own.
    public var tolerance: Tolerance
    /// The per-case wall-time limit of checks without their own, in seconds.
    public var timeoutSeconds: Double
    /// Where the `defaults` block is, or the spec's start when the file has none.
    public var location: SourceLocation

    /// Defaults with the given values; omitted values are the built-in ones.
    public init(tolerance: Tolerance = CheckDefaults.builtInTolerance,
                timeoutSeconds: Double = CheckDefaults.builtInTimeoutSeconds, location: SourceLocation) {
        self.tolerance = tolerance
        self.timeoutSeconds = timeoutSeconds
        self.location = location
    }
}

/// A task of a practical, such as "numerical gradient", graded by one or more checks.
public struct TaskSpec: Sendable, Hashable {
    /// The task's id, unique among the spec's tasks.
    public var id: String
    /// The title shown to students.
    public var title: String
    /// The task's checks, in file order.
    public var checks: [CheckSpec]
    /// Where the task starts in its file.
    public var location: SourceLocation

    /// A task with the given fields.
    public init(id: String, title: String, checks: [CheckSpec], location: SourceLocation) {
        self.id = id
        self.title = title
        self.checks = checks
        self.location = location
    }
}
