import Foundation

/// The course-wide policy in `Rubrics/course.yaml`: what makes up the course grade, the late policy,
/// the grade scale and rounding, and the default resource limits of every case and compilation.
///
/// ```yaml
/// name: Optimization for deep learning
/// roster: Submissions/roster.csv      # student_id,name,email (default: this path)
/// time-zone: Europe/Paris             # where deadlines fall (default: Europe/Paris)
/// practicals:                         # the graded practicals, each with its session day and weight (percent)
///   - {id: practical1, session: 2026-10-05, weight: 20}
/// quiz: {weight: 40, bank: Assignments/mcq.yaml}
/// scale: 20                           # grades are out of this (default 20); exports add a percentage
/// late:                               # every key optional; defaults below
///   due-after-days: 14                # a report is due this many days after its session
///   deadline: "23:59"                 # at this time of day, in `time-zone`
///   grace-minutes: 15                 # lateness within the grace is not late
///   penalty-percent-per-day: 10       # of the scale, per started day late
///   zero-after-days: 7                # more started days late than this scores 0
/// rounding: {step: 0.01, mode: nearest}   # the final grade; mode nearest (halves up) | up | down
/// limits: {memory-mib: 1024, ...}     # see LimitSettings
/// moodle:                             # how Moodle's grading worksheet is read (see MoodleSettings)
///   locale: fr_FR
///   date-formats: ["EEEE d MMMM yyyy, HH:mm"]
///   headers: {Identifiant: Identifier, ...}
/// ```
/// Practical weights and the quiz weight must add up to 100.
public struct CoursePolicy: Sendable, Hashable {
    /// The top-level keys the policy accepts.
    static let keys = ["name", "roster", "time-zone", "practicals", "quiz", "scale", "late", "rounding", "limits", "moodle"]

    /// The course's name, shown in reports.
    public var name: String
    /// The roster's path relative to the course folder.
    public var rosterPath: String
    /// Where deadlines fall.
    public var timeZone: TimeZone
    /// The graded practicals, in file order.
    public var practicals: [PracticalWeight]
    /// The quiz's weight and bank, or nil when the course has none.
    public var quiz: QuizWeight?
    /// The maximum grade, 20 by default.
    public var scale: Double
    /// When work is late and what lateness costs.
    public var late: LatePolicy
    /// How the final grade is rounded.
    public var rounding: RoundingRule
    /// The policy's limit settings.
    public var limits: LimitSettings
    /// How the course site's grading worksheet is read.
    public var moodle = MoodleSettings()
    /// Where the policy starts (its file is `location.file`).
    public var location: SourceLocation

    /// The default roster path.
    public static let defaultRosterPath = "Submissions/roster.csv"
    /// The default time zone of deadlines.
    public static let defaultTimeZone = "Europe/Paris"

    /// A policy with the given fields; omitted ones take their documented defaults.
    public init(name: String = "Course", rosterPath: String = CoursePolicy.defaultRosterPath,
                timeZone: TimeZone = TimeZone(identifier: CoursePolicy.defaultTimeZone)!, practicals: [PracticalWeight] = [],
                quiz: QuizWeight? = nil, scale: Double = 20, late: LatePolicy = LatePolicy(), rounding: RoundingRule = RoundingRule(),
                limits: LimitSettings = LimitSettings(), location: SourceLocation = SourceLocation(file: "Rubrics/course.yaml")) {
        self.name = name
        self.rosterPath = rosterPath
        self.timeZone = timeZone
        self.practicals = practicals
        self.quiz = quiz
        self.scale = scale
        self.late = late
        self.rounding = rounding
        self.limits = limits
        self.location = location
    }

    /// The limits of one case before the spec's time limits and a check's overrides.
    public var caseLimits: ResourceLimits { limits.applied(to: ResourceLimits()) }

    /// The limits of one compilation.
    public var compileLimits: ResourceLimits { limits.appliedToCompilation(.compilation) }

    /// The practical whose id is `id`, if the policy lists it.
    public func practical(_ id: String) -> PracticalWeight? {
        practicals.first { $0.id == id }
    }

    /// The moment `practical`'s work is due: its session plus `late.dueAfterDays`, at `late.deadline` in `timeZone`.
    public func deadline(of practical: PracticalWeight) -> Date {
        let due = practical.session.adding(days: late.dueAfterDays)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: due.year, month: due.month, day: due.day,
                                        hour: late.deadlineMinutes / 60, minute: late.deadlineMinutes % 60)
        return calendar.date(from: components)!
    }

    /// The deadline of `practical` for a student with an extension of `extensionDays` calendar days.
    public func deadline(of practical: PracticalWeight, extensionDays: Int) -> Date {
        LatePolicy.extended(deadline(of: practical), byDays: extensionDays, in: timeZone)
    }

    /// The policy of `layout`'s course: `Rubrics/course.yaml` when present, else the built-in defaults.
    public static func load(from layout: CourseLayout) throws -> CoursePolicy {
        let url = layout.coursePolicyURL
        guard FileManager.default.fileExists(atPath: url.path) else { return CoursePolicy() }
        return try SpecLoader.diagnoseCoursePolicy(at: url).get()
    }
}

/// How Moodle's grading worksheet is read: Moodle writes its column headers and dates in the language of
/// the account that downloads it. English is read as it is; for another language the policy maps its
/// headers to the English ones and gives the locale and the patterns of its dates.
public struct MoodleSettings: Sendable, Hashable {
    /// The English headers the grader reads, as Moodle's English language pack writes them.
    public static let englishHeaders = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                                        "Grade can be changed", "Last modified (submission)", "Last modified (grade)", "Feedback comments"]
    /// The date patterns of Moodle's English worksheets (`userdate` with `strftimedatetime` and
    /// `strftimedaydatetime`), in Unicode's date pattern syntax.
    public static let englishDateFormats = ["EEEE, d MMMM yyyy, h:mm a", "d MMMM yyyy, h:mm a", "EEEE, d MMMM yyyy, HH:mm", "d MMMM yyyy, HH:mm"]

    /// The locale of the worksheet's dates (month and day names).
    public var locale = "en_US_POSIX"
    /// The patterns its dates may follow, tried in order.
    public var dateFormats = MoodleSettings.englishDateFormats
    /// Its headers, by the English header each stands for (empty: English).
    public var headers: [String: String] = [:]

    /// Settings for English worksheets.
    public init() {}

    /// The English header `header` stands for (itself when not mapped).
    public func english(_ header: String) -> String { headers[header] ?? header }

    /// The worksheet's header for `english` (itself when not mapped).
    public func localised(_ english: String) -> String { headers.first { $0.value == english }?.key ?? english }
}

/// A practical's place in the course grade.
public struct PracticalWeight: Sendable, Hashable {
    /// The assignment id, such as `practical1`.
    public var id: String
    /// The day of its session; its work is due `LatePolicy.dueAfterDays` later.
    public var session: CourseDate
    /// Its share of the final grade, in percent.
    public var weight: Double
    /// Where the entry is in the course file.
    public var location: SourceLocation

    /// An entry with the given fields.
    public init(id: String, session: CourseDate, weight: Double, location: SourceLocation) {
        self.id = id
        self.session = session
        self.weight = weight
        self.location = location
    }
}

/// The quiz's place in the course grade.
public struct QuizWeight: Sendable, Hashable {
    /// Its share of the final grade, in percent.
    public var weight: Double
    /// The question bank's path relative to the course folder.
    public var bankPath: String
    /// Where the entry is in the course file.
    public var location: SourceLocation

    /// The default bank path.
    public static let defaultBankPath = "Assignments/mcq.yaml"

    /// An entry with the given fields.
    public init(weight: Double, bankPath: String = QuizWeight.defaultBankPath, location: SourceLocation) {
        self.weight = weight
        self.bankPath = bankPath
        self.location = location
    }
}
