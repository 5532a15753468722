import Foundation

/// When work is late and what lateness costs.
///
/// Work is due `dueAfterDays` after its session at `deadline` (course time zone), plus any extension
/// the student was given. Work handed in up to `graceMinutes` after that is on time. Later work
/// loses `penaltyPercentPerDay` percent of the scale for every day or part of a day after the
/// deadline, and scores 0 when it is more than `zeroAfterDays` started days late.
public struct LatePolicy: Sendable, Hashable {
    /// Days from a session to its due date (14).
    public var dueAfterDays: Int
    /// The time of day work is due, in minutes after midnight (23:59 → 1439).
    public var deadlineMinutes: Int
    /// Minutes after the deadline that still count as on time (15).
    public var graceMinutes: Int
    /// Percent of the scale lost per started day late (10).
    public var penaltyPercentPerDay: Double
    /// Work more started days late than this scores 0 (7).
    public var zeroAfterDays: Int

    /// A policy with the given values; omitted ones are the documented defaults.
    public init(dueAfterDays: Int = 14, deadlineMinutes: Int = 23 * 60 + 59, graceMinutes: Int = 15,
                penaltyPercentPerDay: Double = 10, zeroAfterDays: Int = 7) {
        self.dueAfterDays = dueAfterDays
        self.deadlineMinutes = deadlineMinutes
        self.graceMinutes = graceMinutes
        self.penaltyPercentPerDay = penaltyPercentPerDay
        self.zeroAfterDays = zeroAfterDays
    }

    /// `deadline` moved `days` calendar days later in `timeZone` (the same wall-clock time, across a change
    /// of daylight saving time): the one rule of an extension.
    public static func extended(_ deadline: Date, byDays days: Int, in timeZone: TimeZone) -> Date {
        guard days != 0 else { return deadline }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(byAdding: .day, value: days, to: deadline)!
    }

    /// `HH:MM` of the deadline.
    public var deadlineText: String {
        String(format: "%02d:%02d", deadlineMinutes / 60, deadlineMinutes % 60)
    }

    /// How late work handed in at `submitted` is, against `deadline` moved `extensionDays` calendar days later in `timeZone`.
    public func assess(submitted: Date, deadline: Date, extensionDays: Int = 0, timeZone: TimeZone) -> Lateness {
        let due = Self.extended(deadline, byDays: extensionDays, in: timeZone)
        let seconds = submitted.timeIntervalSince(due)
        guard seconds > 0 else { return Lateness(deadline: due, secondsLate: 0, daysLate: 0, withinGrace: false, penaltyPercent: 0, scoresZero: false) }
        guard seconds > Double(graceMinutes) * 60 else {
            return Lateness(deadline: due, secondsLate: seconds, daysLate: 0, withinGrace: true, penaltyPercent: 0, scoresZero: false)
        }
        let days = Int((seconds / 86_400).rounded(.up))
        let zero = days > zeroAfterDays
        return Lateness(deadline: due, secondsLate: seconds, daysLate: days, withinGrace: false,
                        penaltyPercent: zero ? 100 : min(100, Double(days) * penaltyPercentPerDay), scoresZero: zero)
    }
}

/// How late one piece of work is under a ``LatePolicy``.
public struct Lateness: Sendable, Hashable {
    /// The deadline that applied, extension included.
    public var deadline: Date
    /// Seconds after the deadline; 0 when on time.
    public var secondsLate: Double
    /// Started days late, counted from the deadline; 0 when on time or within the grace.
    public var daysLate: Int
    /// Whether the work came after the deadline but within the grace.
    public var withinGrace: Bool
    /// Percent of the scale lost (100 when the work scores 0).
    public var penaltyPercent: Double
    /// Whether the work is so late it scores 0.
    public var scoresZero: Bool

    /// Whether any penalty applies.
    public var isLate: Bool { daysLate > 0 }

    /// `grade` (out of `scale`) after the penalty: 0 when the work scores zero, else the grade less the penalty, never below 0.
    public func applied(to grade: Double, scale: Double) -> Double {
        scoresZero ? 0 : max(0, grade - penaltyPercent / 100 * scale)
    }
}

/// How the final grade is rounded: to a multiple of `step`, to the nearest (halves up), up or down.
public struct RoundingRule: Sendable, Hashable {
    /// Which way to round.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// The nearest multiple; a value halfway between goes up.
        case nearest
        /// The multiple at or above.
        case up
        /// The multiple at or below.
        case down
    }

    /// The grade is a multiple of this (0.01 by default; 0.5 rounds to half points).
    public var step: Double
    /// The direction.
    public var mode: Mode

    /// A rule with the given step and mode.
    public init(step: Double = 0.01, mode: Mode = .nearest) {
        self.step = step
        self.mode = mode
    }

    /// `value` rounded by the rule.
    ///
    /// The quotient by the step is first cleaned to nine decimals, so that binary noise (13.75 / 0.25
    /// = 54.99999999…) never moves a grade across a multiple.
    public func apply(_ value: Double) -> Double {
        let quotient = ((value / step) * 1e9).rounded() / 1e9
        let multiple: Double = switch mode {
        case .nearest: (quotient + 0.5).rounded(.down)
        case .up: quotient.rounded(.up)
        case .down: quotient.rounded(.down)
        }
        return ((multiple * step) * 1e9).rounded() / 1e9
    }
}
