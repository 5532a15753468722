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
}
