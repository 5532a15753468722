import Foundation
import GradeServices
import Grader
import Testing

/// What a submission wrote reaches the page as text to read, never as markup, a control or an entity.
@Suite(.serialized) struct FeedbackPageTextTests {
    @Test func hostileTextInAReportIsShownNotObeyed() throws {
        let root = try ToyPracticalTests.course()
        let spec = try SpecLoader.loadAssignment(at: root.appendingPathComponent("Assignments/toy.yaml"), kinds: CourseRules.checkKinds.union([ExactCheck.kind]))
        let hostile = #"<script>alert(1)</script> \u001b[2J &#x202E;gnp.exe &amp; \u202e"#
        let json = """
            {"format": 1, "studentID": "right", "status": "graded", "buildMessage": "error: \(hostile)", "notes": ["\(hostile)"],
             "includesHidden": true, "points": 0, "maxPoints": 4, "durationSeconds": 1,
             "tasks": [{"taskID": "doubling", "title": "Doubling", "points": 0, "maxPoints": 4}],
             "checks": [{"taskID": "doubling", "checkID": "doubles", "title": "Doubles", "kind": "exact", "points": 0, "maxPoints": 4,
                         "cases": [{"label": "public 1", "isHidden": false, "verdict": "wrong-answer", "message": "\(hostile)", "inputs": "\(hostile)",
                                    "durationSeconds": 0, "credit": 0, "points": 0, "maxPoints": 4, "figures": []}]}]}
            """
        let report = try RecordedReport.decode(json)
        let page = FeedbackPage.render(FeedbackPage.Content(spec: spec, studentID: "right", name: "</title><script>x()</script>", gradedAt: nil,
                                                            report: report, recordedText: nil, standing: nil))
        #expect(!page.contains("<script"), "no markup from the submission")
        #expect(!page.contains("\u{1B}") && !page.contains("\u{202E}"), "no control or bidirectional character")
        #expect(!page.contains("&#x202E;") && page.contains("&amp;#x202E;"), "an entity is shown as written, not decoded")
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\u{1B}[2J"))
        // The case's message and inputs, the main path of a submission's text, are on the page, escaped.
        #expect(page.components(separatedBy: "&lt;script&gt;alert(1)&lt;/script&gt;").count - 1 == 3, "in the note, the message and the inputs")
        #expect(page.contains("<div class=\"message\">") && page.contains("<div class=\"inputs\">inputs: "))
    }

    static func report(doublesFailing failed: Int) throws -> RecordedReport {
        func item(_ n: Int, accepted: Bool) -> String {
            """
            {"label": "public \(n)", "isHidden": false, "verdict": "\(accepted ? "accepted" : "wrong-answer")", "message": "\(accepted ? "" : "off by one")",
             "durationSeconds": 0, "credit": \(accepted ? 1 : 0), "points": \(accepted ? 1 : 0), "maxPoints": 1, "figures": []}
            """
        }
        let doubles = (1...3).map { item($0, accepted: $0 > failed) }.joined(separator: ", ")
        let json = """
            {"format": 1, "studentID": "right", "status": "graded", "notes": [], "includesHidden": true, "points": \(5 - failed), "maxPoints": 5,
             "durationSeconds": 1, "tasks": [{"taskID": "doubling", "title": "Doubling", "points": \(5 - failed), "maxPoints": 5}],
             "checks": [{"taskID": "doubling", "checkID": "halves", "title": "Halves <i>", "kind": "exact", "points": 2, "maxPoints": 2,
                         "cases": [\(item(1, accepted: true)), \(item(2, accepted: true))]},
                        {"taskID": "doubling", "checkID": "doubles", "title": "Doubles <i>", "kind": "exact", "points": \(3 - failed), "maxPoints": 3,
                         "cases": [\(doubles)]}]}
            """
        return try RecordedReport.decode(json)
    }

    @Test func failingChecksAreSummedUpAtTheTopWithALinkToEach() throws {
        let root = try ToyPracticalTests.course()
        let spec = try SpecLoader.loadAssignment(at: root.appendingPathComponent("Assignments/toy.yaml"), kinds: CourseRules.checkKinds.union([ExactCheck.kind]))
        func page(failing: Int) throws -> String {
            FeedbackPage.render(FeedbackPage.Content(spec: spec, studentID: "right", name: nil, gradedAt: nil, report: try Self.report(doublesFailing: failing),
                                                     recordedText: nil, standing: nil))
        }
        let failing = try page(failing: 2)
        let summary = try #require(failing.range(of: "<section class=\"failing\">"))
        let firstTask = try #require(failing.range(of: "<section class=\"task\">"))
        #expect(summary.lowerBound < firstTask.lowerBound, "the summary comes before every check")
        let listed = failing[summary.lowerBound..<firstTask.lowerBound]
        #expect(listed.contains("What failed: 1 check of 2"))
        #expect(listed.contains("<a href=\"#check-doubles\">Doubles &lt;i&gt;</a> (Doubling): 2 of 3 cases failed, 1 / 3 points"))
        #expect(!listed.contains("Halves"), "a check that passed every case is not listed")
        // Every link leads to a check on the page.
        let targets = failing.components(separatedBy: "href=\"#").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(targets == ["check-doubles"])
        for target in targets { #expect(failing.contains("<article class=\"check\" id=\"\(target)\">")) }
        let passing = try page(failing: 0)
        #expect(passing.contains("Nothing: every case of every check passed.") && !passing.contains("href=\"#"))
    }
}
