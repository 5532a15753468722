import CourseDrivers
import Foundation
import Testing
@testable import Grader

/// `Rubrics/course.yaml`: what makes up the course grade, validated with file:line errors.
@Suite struct CoursePolicyTests {
    static func diagnostics(_ yaml: String) -> [String] {
        SpecLoader.diagnoseCoursePolicy(yaml: yaml, file: "course.yaml").diagnostics.map(\.description)
    }

    @Test func theDemoPolicyListsThreePracticalsAndTheQuiz() throws {
        let policy = try CoursePolicy.load(from: TestSupport.course)
        #expect(policy.name == "Optimization for deep learning")
        #expect(policy.rosterPath == "Submissions/roster.csv")
        #expect(policy.practicals.map(\.id) == ["practical1", "practical2", "practical3"])
        #expect(policy.practicals.map(\.weight) == [20, 20, 20])
        #expect(policy.practicals.map(\.session.description) == ["2026-10-05", "2026-10-19", "2026-11-02"])
        #expect(policy.quiz?.weight == 40 && policy.quiz?.bankPath == "Assignments/mcq.yaml")
        #expect(policy.scale == 20 && policy.timeZone.identifier == "Europe/Paris")
        #expect(policy.late == LatePolicy(dueAfterDays: 14, deadlineMinutes: 23 * 60 + 59, graceMinutes: 15, penaltyPercentPerDay: 10, zeroAfterDays: 7))
        #expect(policy.rounding == RoundingRule(step: 0.01, mode: .nearest))
        for id in ["practical1", "practical2"] {
            let spec = try SpecLoader.loadAssignment(at: TestSupport.course.specURL(id))
            #expect(policy.diagnose(against: spec).isEmpty)
        }
    }

    @Test func omittedKeysTakeTheDocumentedDefaults() throws {
        let policy = try SpecLoader.diagnoseCoursePolicy(yaml: "practicals: [{id: p1, session: 2026-01-05, weight: 100}]", file: "course.yaml").get()
        #expect(policy.late.dueAfterDays == 14 && policy.late.deadlineText == "23:59" && policy.late.graceMinutes == 15)
        #expect(policy.late.penaltyPercentPerDay == 10 && policy.late.zeroAfterDays == 7)
        #expect(policy.scale == 20 && policy.rounding == RoundingRule(step: 0.01, mode: .nearest) && policy.quiz == nil)
        #expect(policy.rosterPath == "Submissions/roster.csv" && policy.timeZone.identifier == "Europe/Paris")
    }

    @Test func everyProblemIsReportedAtItsLine() {
        let yaml = """
            name: Course
            roster: ../roster.csv
            time-zone: Europe/Pariss
            practicals:
              - {id: p1, session: 2026-01-05, weight: 20}
              - {id: p1, session: 2026-01-12, weight: 20}
              - {id: p3, session: 2026-02-30, weight: -5}
            quiz: {weight: 40}
            late:
              deadline: "24:00"
              grace-minute: 10
              penalty-percent-per-day: 150
              zero-after-days: 2.5
            rounding: {step: 0, mode: nearst}
            """
        #expect(Self.diagnostics(yaml) == [
            "course.yaml:2:9: error: 'roster' must be a path inside the course folder (relative, without '..'), not '../roster.csv'",
            "course.yaml:3:12: error: unknown time zone 'Europe/Pariss'; use an IANA name such as Europe/Paris",
            "course.yaml:6:10: error: practical 'p1' is already listed at line 5",
            "course.yaml:7:23: error: 'session' must be a date written YYYY-MM-DD, not '2026-02-30'",
            "course.yaml:7:43: error: 'weight' must be at least 0, not -5",
            "course.yaml:10:13: error: 'deadline' must be a time of day written HH:MM (24-hour), not '24:00'",
            "course.yaml:11:3: error: unknown key 'grace-minute' in late policy; did you mean 'grace-minutes'?",
            "course.yaml:12:28: error: 'penalty-percent-per-day' is a percentage and must be at most 100, not 150",
            "course.yaml:13:20: error: 'zero-after-days' must be a whole number, not 2.5",
            "course.yaml:14:18: error: 'step' must be greater than 0, not 0",
            "course.yaml:14:27: error: unknown mode 'nearst'; did you mean 'nearest'? (use one of: nearest, up, down)",
        ])
    }

    @Test func weightsMustAddUpToAHundred() {
        let yaml = """
            practicals:
              - {id: p1, session: 2026-01-05, weight: 20}
              - {id: p2, session: 2026-01-19, weight: 20}
            quiz: {weight: 50}
            """
        #expect(Self.diagnostics(yaml) == ["course.yaml:4:1: error: weights add up to 90, not 100 (practicals 40 + quiz 50)"])
    }

    @Test func aSpecWhoseSessionOrDueDateDisagreesIsAnError() throws {
        let policy = try SpecLoader.diagnoseCoursePolicy(yaml: """
            practicals:
              - {id: practical1, session: 2026-10-12, weight: 100}
            """, file: "course.yaml").get()
        let spec = try SpecLoader.loadAssignment(at: TestSupport.course.specURL("practical1"))
        #expect(policy.diagnose(against: spec).map(\.description) == [
            "course.yaml:2:5: error: practical 'practical1' has session 2026-10-12 here but 2026-10-05 in practical1.yaml; make them agree",
        ])
        var shorter = try SpecLoader.diagnoseCoursePolicy(yaml: """
            practicals:
              - {id: practical1, session: 2026-10-05, weight: 100}
            late: {due-after-days: 7}
            """, file: "course.yaml").get()
        #expect(shorter.diagnose(against: spec).map(\.description) == [
            "course.yaml:2:5: error: practical 'practical1' is due 2026-10-12 under the late policy (session + due-after-days) but 2026-10-19 in practical1.yaml; make them agree",
        ])
        shorter.practicals = []
        #expect(shorter.diagnose(against: spec).isEmpty)
    }
}

/// The late policy and the rounding rule, against hand-computed deadlines, penalties and grades.
@Suite struct LatePolicyTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    let policy = CoursePolicy(practicals: [
        PracticalWeight(id: "practical1", session: CourseDate("2026-10-05")!, weight: 20, location: SourceLocation(file: "c")),
        PracticalWeight(id: "practical2", session: CourseDate("2026-10-19")!, weight: 20, location: SourceLocation(file: "c")),
    ])

    @Test func theDeadlineIsTwoWeeksAfterTheSessionAt2359InParis() {
        // 2026-10-19 is summer time (UTC+2); 2026-11-02 is winter time (UTC+1).
        #expect(policy.deadline(of: policy.practicals[0]) == Self.instant("2026-10-19T21:59:00Z"))
        #expect(policy.deadline(of: policy.practicals[1]) == Self.instant("2026-11-02T22:59:00Z"))
    }

    @Test func lateDaysAreStartedDaysAfterTheDeadlineOnceTheGraceIsOver() {
        let deadline = Self.instant("2026-11-02T22:59:00Z")
        func assess(_ submitted: String, extension days: Int = 0) -> Lateness {
            policy.late.assess(submitted: Self.instant(submitted), deadline: deadline, extensionDays: days, timeZone: Self.paris)
        }
        let early = assess("2026-11-01T19:00:00Z")
        #expect(!early.isLate && !early.withinGrace && early.penaltyPercent == 0)
        let grace = assess("2026-11-02T23:14:00Z")            // 15 minutes: the last minute of the grace
        #expect(grace.withinGrace && grace.daysLate == 0 && grace.penaltyPercent == 0)
        let justLate = assess("2026-11-02T23:14:01Z")         // 15 min 1 s: one started day
        #expect(justLate.daysLate == 1 && justLate.penaltyPercent == 10)
        #expect(assess("2026-11-03T22:59:00Z").daysLate == 1)    // exactly 24 h
        #expect(assess("2026-11-03T22:59:01Z").daysLate == 2)    // 24 h 1 s
        let dmitri = assess("2026-11-04T08:30:00Z")           // 1 day 9 h 31 min
        #expect(dmitri.daysLate == 2 && dmitri.penaltyPercent == 20 && !dmitri.scoresZero)
        let seven = assess("2026-11-09T22:59:00Z")
        #expect(seven.daysLate == 7 && seven.penaltyPercent == 70 && !seven.scoresZero)
        let eight = assess("2026-11-09T22:59:01Z")
        #expect(eight.daysLate == 8 && eight.scoresZero && eight.penaltyPercent == 100)
        // Emma: 22 h late, but two extra days make her on time.
        #expect(assess("2026-11-03T20:00:00Z").daysLate == 1)
        let extended = assess("2026-11-03T20:00:00Z", extension: 2)
        #expect(!extended.isLate && extended.deadline == Self.instant("2026-11-04T22:59:00Z"))
    }

    @Test func anExtensionMovesTheDeadlineByCalendarDaysAcrossTheClockChange() {
        // 2026-10-24 23:59 is summer time; two days later, after the change of 25 October, it is winter time.
        let deadline = Self.instant("2026-10-24T21:59:00Z")
        let lateness = policy.late.assess(submitted: Self.instant("2026-10-26T22:00:00Z"), deadline: deadline, extensionDays: 2, timeZone: Self.paris)
        #expect(lateness.deadline == Self.instant("2026-10-26T22:59:00Z") && !lateness.isLate)
    }

    @Test func thePenaltyComesOffTheGradeAndNeverBelowZero() {
        let twoDays = Lateness(deadline: Date(), secondsLate: 100_000, daysLate: 2, withinGrace: false, penaltyPercent: 20, scoresZero: false)
        #expect(twoDays.applied(to: 18.5, scale: 20) == 14.5)
        #expect(twoDays.applied(to: 3, scale: 20) == 0)
        let zero = Lateness(deadline: Date(), secondsLate: 800_000, daysLate: 10, withinGrace: false, penaltyPercent: 100, scoresZero: true)
        #expect(zero.applied(to: 19, scale: 20) == 0)
    }

    @Test func theFeedbackSaysWhenWhereFromAndWhatItCosts() {
        let practical = policy.practicals[1]
        let late = SubmissionTiming(submittedAt: Self.instant("2026-11-04T08:30:00Z"), source: .submissionYAML, practical: practical, course: policy)
        #expect(late.feedbackLines == [
            "Submitted 2026-11-04 09:30 (Europe/Paris), from submitted_at in submission.yaml.",
            "Due 2026-11-02 23:59: 2 started days late, so the practical's grade loses 20% of the scale (10% per started day).",
        ])
        #expect(late.summary == "2 days late: −20%")
        let files = SubmissionTiming(submittedAt: Self.instant("2026-11-03T20:00:00Z"), source: .fileTime, practical: practical, course: policy,
                                     extensionDays: 2)
        #expect(files.feedbackLines == [
            "Submitted 2026-11-03 21:00 (Europe/Paris), from the newest file's modification time (submission.yaml gives no submitted_at).",
            "Due 2026-11-04 23:59, with your extension of 2 days: on time.",
        ])
        let grace = SubmissionTiming(submittedAt: Self.instant("2026-11-02T23:10:00Z"), source: .submissionYAML, practical: practical, course: policy)
        #expect(grace.feedbackLines.last == "Due 2026-11-02 23:59: 11 minutes after the deadline, within the 15-minute grace: on time, no penalty.")
        let zero = SubmissionTiming(submittedAt: Self.instant("2026-11-12T08:00:00Z"), source: .submissionYAML, practical: practical, course: policy)
        #expect(zero.feedbackLines.last == "Due 2026-11-02 23:59: 10 started days late, more than the 7 the late policy allows, so this practical scores 0.")
    }

    @Test func roundingGoesToTheStepInTheChosenDirection() {
        let hundredth = RoundingRule(step: 0.01, mode: .nearest)
        #expect(hundredth.apply(12.618181) == 12.62)
        #expect(hundredth.apply(13.745) == 13.75)       // 13.745 is 13.74499… in binary; halves still go up
        #expect(hundredth.apply(13.744) == 13.74)
        let half = RoundingRule(step: 0.5, mode: .nearest)
        #expect(half.apply(13.25) == 13.5 && half.apply(13.24) == 13 && half.apply(13.75) == 14)
        #expect(RoundingRule(step: 0.5, mode: .up).apply(13.01) == 13.5)
        #expect(RoundingRule(step: 0.5, mode: .up).apply(13.5) == 13.5)
        #expect(RoundingRule(step: 0.25, mode: .down).apply(13.74) == 13.5)
        #expect(RoundingRule(step: 0.1, mode: .down).apply(0.3) == 0.3)    // 0.3 / 0.1 = 2.9999999999999996
    }
}
