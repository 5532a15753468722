import Foundation
import Outcomes
import SafeText

/// When a submission came in against its deadline, and what the late policy makes of it.
public struct SubmissionTiming: Sendable, Hashable {
    /// When it was submitted.
    public var submittedAt: Date
    /// Where that time came from.
    public var source: SubmissionTimeSource
    /// The extra days the student was given.
    public var extensionDays: Int
    /// The lateness under the course's late policy, extension included.
    public var lateness: Lateness
    /// The policy it was assessed under.
    public var policy: LatePolicy
    /// The course's time zone.
    public var timeZone: TimeZone

    /// The timing of work submitted at `submittedAt` for `practical` under `course`'s late policy.
    public init(submittedAt: Date, source: SubmissionTimeSource, practical: PracticalWeight, course: CoursePolicy, extensionDays: Int = 0) {
        self.submittedAt = submittedAt
        self.source = source
        self.extensionDays = extensionDays
        policy = course.late
        timeZone = course.timeZone
        lateness = course.late.assess(submitted: submittedAt, deadline: course.deadline(of: practical), extensionDays: extensionDays,
                                      timeZone: course.timeZone)
    }

    /// The timing of work whose folder gives `submittedAt` from `source`, a `trusted` time (the course
    /// site's) taking precedence; nil when no time is known.
    public init?(trusted: (Date, SubmissionTimeSource)?, folder submittedAt: Date?, source: SubmissionTimeSource?, practical: PracticalWeight,
                 course: CoursePolicy, extensionDays: Int = 0) {
        let folder = submittedAt.flatMap { time in source.map { (time, $0) } }
        guard let (time, chosen) = SubmissionTimeSource.choose(trusted: trusted, folder: folder) else { return nil }
        self.init(submittedAt: time, source: chosen, practical: practical, course: course, extensionDays: extensionDays)
    }

    /// `date` as `YYYY-MM-DD HH:MM` in the course's time zone.
    public func format(_ date: Date) -> String { Self.format(date, in: timeZone) }

    /// `date` as `YYYY-MM-DD HH:MM` in `timeZone`.
    public static func format(_ date: Date, in timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// A short status for tables: "on time", "grace", "2 days late", "9 days late: 0".
    public var summary: String {
        if lateness.scoresZero { return "\(lateness.daysLate) days late: 0" }
        if lateness.isLate { return "\(lateness.daysLate) day\(lateness.daysLate == 1 ? "" : "s") late: −\(Points.text(lateness.penaltyPercent))%" }
        return lateness.withinGrace ? "on time (grace)" : "on time"
    }

    /// The paragraph of a student's feedback: when the work came in, by what evidence, and the penalty, out of `scale`.
    public var feedbackLines: [String] {
        let zone = timeZone.identifier
        var lines = ["Submitted \(format(submittedAt)) (\(zone)), from \(source.explanation)."]
        let extensionNote = extensionDays > 0 ? ", with your extension of \(extensionDays) day\(extensionDays == 1 ? "" : "s")" : ""
        let due = "Due \(format(lateness.deadline))\(extensionNote)"
        if lateness.scoresZero {
            lines.append("\(due): \(lateness.daysLate) started days late, more than the \(policy.zeroAfterDays) the late policy allows, so this practical scores 0.")
        } else if lateness.isLate {
            lines.append("\(due): \(lateness.daysLate) started day\(lateness.daysLate == 1 ? "" : "s") late, so the practical's grade loses \(Points.text(lateness.penaltyPercent))% of the scale (\(Points.text(policy.penaltyPercentPerDay))% per started day).")
        } else if lateness.withinGrace {
            let minutes = Int((lateness.secondsLate / 60).rounded(.up))
            lines.append("\(due): \(minutes) minute\(minutes == 1 ? "" : "s") after the deadline, within the \(policy.graceMinutes)-minute grace: on time, no penalty.")
        } else {
            lines.append("\(due): on time.")
        }
        return lines
    }
}
