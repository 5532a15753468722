import Foundation
import Testing
@testable import Grader

/// The course grade from practicals, report marks, lateness, the quiz and overrides, against hand-computed grades.
@Suite struct CourseGradesTests {
    static func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
    static let here = SourceLocation(file: "test")

    /// Practical 1 and 2 at 20% each (p2 due 2026-11-02 23:59 Paris), practical 3 at 20% never graded, the quiz at 40%.
    static let policy = CoursePolicy(practicals: [
        PracticalWeight(id: "p1", session: CourseDate("2026-10-05")!, weight: 20, location: here),
        PracticalWeight(id: "p2", session: CourseDate("2026-10-19")!, weight: 20, location: here),
        PracticalWeight(id: "p3", session: CourseDate("2026-11-02")!, weight: 20, location: here),
    ], quiz: QuizWeight(weight: 40, location: here))

    /// 16 automatic points and a 4-point report: total 20.
    static let rubric = Rubric(assignmentID: "p", total: 20, checks: [RubricCheck(checkID: "c", points: 16, location: here)],
                               manual: [ManualItem(id: "report", title: "Report", points: 4, location: here)], location: here)

    static let roster = Roster(students: [
        Roster.Student(id: "ana", name: "Ana", email: "ana@example.edu"),
        Roster.Student(id: "ben", name: "Ben", email: "ben@example.edu"),
        Roster.Student(id: "cy", name: "Cy", email: "cy@example.edu"),
    ])

    static func work(_ points: Double, at time: String) -> PracticalRecord.Work {
        PracticalRecord.Work(automaticPoints: points, status: .graded, submittedAt: instant(time), source: .submissionYAML)
    }

    /// A three-question bank worth 3 points; one answer right per question scores 1.
    static let bank = try! SpecLoader.diagnoseQuizBank(yaml: """
        title: Q
        topics: [t]
        questions:
          - {id: q1, topic: t, question: "1", options: {A: a, B: b}, answer: A}
          - {id: q2, topic: t, question: "2", options: {A: a, B: b}, answer: A}
          - {id: q3, topic: t, question: "3", options: {A: a, B: b}, answer: A}
        """, file: "mcq.yaml").get()

    static func grades(overrides: [String: [String: Double]] = [:]) -> CourseGrades {
        let p1 = PracticalRecord(practical: policy.practicals[0], rubric: rubric, isGraded: true,
                                 work: ["ana": work(16, at: "2026-10-18T10:00:00Z"), "cy": work(10, at: "2026-10-19T22:05:00Z"),
                                        "zed": work(12, at: "2026-10-18T10:00:00Z")],
                                 marks: ["ana": ["report": 3.5], "cy": ["report": 2]])
        let p2 = PracticalRecord(practical: policy.practicals[1], rubric: rubric, isGraded: true,
                                 work: ["ana": work(15.5, at: "2026-11-04T08:30:00Z"), "ben": work(12, at: "2026-11-03T20:00:00Z"),
                                        "cy": work(14, at: "2026-11-12T08:00:00Z")],
                                 marks: ["ana": ["report": 3], "ben": ["report": 4]], extensions: ["ben": 2])
        let p3 = PracticalRecord(practical: policy.practicals[2], rubric: nil, isGraded: false)
        let sheets = ["ana": QuizSheet(studentID: "ana", answers: ["q1": ["A"], "q2": ["A"], "q3": ["B"]]),
                      "cy": QuizSheet(studentID: "cy", answers: ["q1": ["A"], "q2": [], "q3": ["B"]])]
        return CourseGrades(policy: policy, roster: roster, practicals: [p1, p2, p3], bank: bank, sheets: sheets, overrides: overrides)
    }

    @Test func everyRuleGivesTheHandComputedGrade() throws {
        let grades = Self.grades()
        #expect(grades.pendingPracticals == ["p3"] && grades.isProvisional)
        #expect(grades.unknownSubmissions == ["p1": ["zed"]])
        let ana = grades.students[0], ben = grades.students[1], cy = grades.students[2]

        // Ana. p1: 16 + 3.5 = 19.5 / 20, on time. p2: 15.5 + 3 = 18.5, 1 day 9 h 31 min late → 2 started days → −20% of 20 = −4 → 14.5.
        // Quiz: 2 of 3 → 13.333…; final = 0.2·19.5 + 0.2·14.5 + 0.2·0 + 0.4·13.333… = 3.9 + 2.9 + 5.333… = 12.1333… → 12.13.
        #expect(ana.practicals.map(\.grade) == [19.5, 14.5, 0])
        #expect(ana.practicals[1].penalty == 4 && ana.practicals[1].beforePenalty == 18.5 && ana.practicals[1].timing?.lateness.daysLate == 2)
        #expect(ana.practicals.map(\.state) == [.graded, .graded, .pending])
        #expect(abs((ana.quiz?.grade ?? 0) - 40.0 / 3) < 1e-12 && ana.quiz?.points == 2)
        #expect(ana.final == 12.13 && ana.computedFinal == 12.13 && ana.percent == 60.65)

        // Ben. p1: no submission → 0, missing. p2: 12 + 4 = 16; 21 h late, but a 2-day extension → on time.
        // No quiz responses → 0. Final = 0.2·16 = 3.2.
        #expect(ben.practicals[0].state == .missing && ben.practicals[0].grade == 0)
        #expect(ben.practicals[1].grade == 16 && ben.practicals[1].penalty == 0 && ben.practicals[1].timing?.lateness.isLate == false)
        #expect(ben.quiz?.state == .missing && ben.quiz?.grade == 0)
        #expect(ben.final == 3.2 && ben.percent == 16)

        // Cy. p1: 10 + 2 = 12, 6 minutes late: within the grace. p2: 14 + no report mark = 14 (report unmarked),
        // 9 started days late → more than 7 → 0. Quiz: 1 of 3 → 6.666…; final = 2.4 + 0 + 0 + 2.666… = 5.0666… → 5.07.
        #expect(cy.practicals[0].grade == 12 && cy.practicals[0].timing?.lateness.withinGrace == true)
        #expect(cy.practicals[1].unmarkedItems == ["report"] && cy.practicals[1].beforePenalty == 14)
        #expect(cy.practicals[1].grade == 0 && cy.practicals[1].penalty == 14 && cy.practicals[1].timing?.lateness.scoresZero == true)
        #expect(cy.final == 5.07)
    }

    @Test func overridesReplaceTheComputedGrades() {
        // Ana's p2 overridden to 17 (instead of 14.5 after the penalty): 3.9 + 3.4 + 5.333… = 12.6333… → 12.63.
        // Ben's quiz overridden to 10: 3.2 + 4 = 7.2. Cy's final overridden to 8, whatever it computes to.
        let grades = Self.grades(overrides: ["ana": ["p2": 17], "ben": ["quiz": 10], "cy": ["final": 8]])
        #expect(grades.students[0].practicals[1].grade == 17 && grades.students[0].practicals[1].override == 17)
        #expect(grades.students[0].final == 12.63)
        #expect(grades.students[1].quiz?.grade == 10 && grades.students[1].final == 7.2)
        #expect(grades.students[2].computedFinal == 5.07 && grades.students[2].final == 8 && grades.students[2].percent == 40)
    }

    @Test func theRoundingRuleAppliesToTheFinalGrade() {
        var policy = Self.policy
        policy.rounding = RoundingRule(step: 0.5, mode: .up)
        let grades = CourseGrades(policy: policy, roster: Self.roster,
                                  practicals: [PracticalRecord(practical: policy.practicals[0], rubric: Self.rubric, isGraded: true,
                                                               work: ["ana": Self.work(16, at: "2026-10-18T10:00:00Z")],
                                                               marks: ["ana": ["report": 3.5]])],
                                  bank: Self.bank, sheets: [:], overrides: [:])
        // 0.2 · 19.5 = 3.9 → up to the next half point: 4.
        #expect(grades.students[0].final == 4 && grades.students[0].computedFinal == 4)
    }
}

/// Where each student stands on each part mid-term: one definition (`GradeState`) that every view reads.
@Suite struct GradeStateTests {
    typealias G = CourseGradesTests

    /// p1 graded for ana; ben and cy handed in (collected) but not graded; dan has nothing; eve's grading hit a grader fault;
    /// fay has nothing but an extension of 30 days. Practical 2 is not graded at all.
    static func midTerm(now: String, quiz: [String: QuizSheet] = [:], overrides: [String: [String: Double]] = [:]) -> CourseGrades {
        let roster = Roster(students: ["ana", "ben", "cy", "dan", "eve", "fay"].map { Roster.Student(id: $0, name: $0.capitalized, email: "\($0)@example.edu") })
        let p1 = PracticalRecord(practical: G.policy.practicals[0], rubric: G.rubric, isGraded: true,
                                 work: ["ana": G.work(16, at: "2026-10-18T10:00:00Z")], submitted: ["ben", "cy", "eve"],
                                 faults: ["eve": "the sandbox could not start the submission"],
                                 marks: ["ana": ["report": 4]], extensions: ["fay": 30])
        let p2 = PracticalRecord(practical: G.policy.practicals[1], rubric: G.rubric, isGraded: false, submitted: ["ana"])
        let policy = CoursePolicy(practicals: Array(G.policy.practicals.prefix(2)) + [PracticalWeight(id: "p3", session: CourseDate("2026-11-02")!, weight: 20, location: G.here)],
                                  quiz: G.policy.quiz)
        let p3 = PracticalRecord(practical: policy.practicals[2], rubric: G.rubric, isGraded: true,
                                 work: Dictionary(uniqueKeysWithValues: roster.students.map { ($0.id, G.work(16, at: "2026-11-10T10:00:00Z")) }),
                                 marks: Dictionary(uniqueKeysWithValues: roster.students.map { ($0.id, ["report": 4.0]) }))
        return CourseGrades(policy: policy, roster: roster, practicals: [p1, p2, p3], bank: G.bank, sheets: quiz, overrides: overrides,
                            now: G.instant(now))
    }

    @Test func handedInIsPendingNothingHandedInIsMissingOnlyAfterTheDeadline() {
        // p1 is due 2026-10-19 23:59 Paris (21:59 UTC), with a 15-minute grace.
        let grades = Self.midTerm(now: "2026-11-10T12:00:00Z")
        let p1 = Dictionary(uniqueKeysWithValues: grades.students.map { ($0.student.id, $0.practicals[0]) })
        #expect(p1.mapValues(\.state) == ["ana": .graded, "ben": .pending, "cy": .pending, "dan": .missing, "eve": .graderFault, "fay": .notDue])
        #expect(p1["ana"]?.isSettled == true && p1["dan"]?.isSettled == true && p1["dan"]?.grade == 0)
        #expect(["ben", "cy", "eve", "fay"].allSatisfy { p1[$0]?.isSettled == false })
        #expect(p1["eve"]?.fault == "the sandbox could not start the submission")
        #expect(p1["fay"]?.deadlineText == "2026-11-18 23:59", "her 30 days' extension")
        #expect(p1.mapValues(\.cell) == ["ana": "20", "ben": "pending", "cy": "pending", "dan": "0 missing", "eve": "grader fault", "fay": "not due"])
        // p2 was never graded: everyone's is pending, whatever they handed in.
        #expect(grades.students.allSatisfy { $0.practicals[1].state == .pending && !$0.practicals[1].isSettled })
        #expect(grades.pendingPracticals == ["p2"])
        // No quiz responses imported yet: pending for everyone, not 0 missing.
        #expect(grades.students.allSatisfy { $0.quiz?.state == .pending && $0.quiz?.cell == "pending" && $0.quiz?.isSettled == false })
        #expect(grades.students.allSatisfy { !$0.isSettled && $0.finalCell == "pending" } && grades.isProvisional)
        #expect(grades.unsettled.first { $0.student == "ben" }?.parts == ["p1 (submitted, not graded yet)", "p2 (not graded yet)", "quiz (no quiz responses imported yet)"])
        #expect(grades.unsettled.first { $0.student == "eve" }?.parts.first == "p1 (not graded: the grader failed on it (the sandbox could not start the submission))")
        #expect(PendingWork.reason(p1["fay"]!) == "nothing submitted yet, not due until \(p1["fay"]!.deadlineText!)")
        // The same course a minute before p1's deadline and grace end: dan's missing work is not due yet either.
        let early = Self.midTerm(now: "2026-10-19T22:13:00Z")
        #expect(early.students[3].practicals[0].state == .notDue)
        let late = Self.midTerm(now: "2026-10-19T22:15:00Z")
        #expect(late.students[3].practicals[0].state == .missing)
    }

    @Test func overridesSettleAPartAndTheFinalGradeCountsOnlyWhenEveryPartDoes() {
        let quiz = ["ana": QuizSheet(studentID: "ana", answers: ["q1": ["A"], "q2": ["A"], "q3": ["A"]])]
        let grades = Self.midTerm(now: "2026-11-20T12:00:00Z", quiz: quiz, overrides: ["ana": ["p2": 15], "ben": ["final": 11]])
        let ana = grades.students[0], ben = grades.students[1], dan = grades.students[3]
        // Once any responses are imported, a student without them is missing (0), no longer pending.
        #expect(ana.quiz?.state == .graded && ben.quiz?.state == .missing && ben.quiz?.cell == "0 missing" && ben.quiz?.isSettled == true)
        // Ana: p1 graded and marked, p2 set by hand, p3 graded and marked, the quiz graded: her final counts.
        #expect(ana.practicals[1].isSettled && ana.practicals[1].cell == "15*" && ana.isSettled && ana.final == 19 && ana.finalCell == "19")
        // Ben's p1 and p2 are still to come, but his final is set by hand: it counts.
        #expect(ben.isSettled && ben.finalCell == "11*")
        // Dan's p1 is missing (0) and settled, his p2 is not: his final does not count.
        #expect(dan.practicals[0].isSettled && !dan.isSettled && dan.unsettledParts == ["p2 (not graded yet)"])
        // What is still to come counts 0 in the running sum, a lower bound of the final grade.
        #expect(dan.computedFinal == 0.2 * 20 + 0 && dan.final == dan.computedFinal)
    }

    /// A grade recorded for earlier work does not stand for newer work the grader failed on: the part is a grader
    /// fault, not the old grade, until it is graded again (or set by hand).
    @Test func aGraderFaultOnNewerWorkIsNotHiddenByAnOlderGrade() {
        let record = PracticalRecord(practical: G.policy.practicals[0], rubric: G.rubric, isGraded: true,
                                     work: ["ana": G.work(16, at: "2026-10-18T10:00:00Z"), "ben": G.work(12, at: "2026-10-18T10:00:00Z")],
                                     faults: ["ana": "the toolkit copy cannot be read"], marks: ["ana": ["report": 4], "ben": ["report": 4]])
        let roster = Roster(students: [Roster.Student(id: "ana", name: "Ana", email: "a@x"), Roster.Student(id: "ben", name: "Ben", email: "b@x")])
        let grades = CourseGrades(policy: G.policy, roster: roster, practicals: [record], bank: nil, sheets: [:], overrides: [:])
        #expect(grades.students[0].practicals[0].state == .graderFault && !grades.students[0].practicals[0].isSettled)
        #expect(grades.students[0].practicals[0].cell == "grader fault")
        #expect(grades.students[1].practicals[0].state == .graded && grades.students[1].practicals[0].isSettled)
        let overridden = CourseGrades(policy: G.policy, roster: roster, practicals: [record], bank: nil, sheets: [:], overrides: ["ana": ["p1": 15]])
        #expect(overridden.students[0].practicals[0].isSettled && overridden.students[0].practicals[0].grade == 15)
    }

    @Test func anUnmarkedReportKeepsAGradedPracticalFromCounting() {
        let p1 = PracticalRecord(practical: G.policy.practicals[0], rubric: G.rubric, isGraded: true,
                                 work: ["ana": G.work(16, at: "2026-10-18T10:00:00Z")])
        let grades = CourseGrades(policy: G.policy, roster: Roster(students: [Roster.Student(id: "ana", name: "Ana", email: "a@x")]),
                                  practicals: [p1], bank: nil, sheets: [:], overrides: [:])
        let part = grades.students[0].practicals[0]
        #expect(part.state == .graded && !part.isSettled && part.cell == "16 unmarked")
        #expect(PendingWork.reason(part) == "report not marked (report)" && PendingWork.nextStep(part).hasPrefix("grade marks import p1"))
    }
}
