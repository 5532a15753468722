import Foundation
import Gradebook
import Grader
import Outcomes
import Testing
@testable import GradeCLI
import TestTiers

/// `make demo` on the bundled samples: practicals 2 and 3 (a correct solution and mutants that each lose what
/// they should), practical 1, the marks, the quiz and the final grades.
@Suite(.serialized, .courseDrivers, .integration) struct DemoSamplesTests {
    func run(_ arguments: [String]) throws {
        var command = try GradeCommand.parseAsRoot(arguments)
        try command.run()
    }

    /// Grades practicals 2 and 3, then runs the rest of `make demo` on the same course and pins its final grades.
    @Test func everySampleGetsItsExpectedScoreAndTheDemoItsFinalGrades() throws {
        let course = try EndToEndTests.courseCopy()
        let c = ["--course", course.path]
        try run(["extension", "practical2", "emma", "--days", "2", "--reason", "medical certificate"] + c)
        try run(["practical2"] + c)
        let gradebook = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path)
        let grades = Dictionary(uniqueKeysWithValues: try gradebook.currentGrades(assignmentID: "practical2").map { ($0.studentID, $0) })
        func tasks(_ student: String) throws -> [String: Double] {
            let id = try #require(grades[student]?.submissionID)
            return Dictionary(uniqueKeysWithValues: try gradebook.taskScores(submissionID: id).map { ($0.taskID, $0.points) })
        }
        let expected: [String: Double] = [
            "alice": 16,        // correct, and its train() reaches 95% on held-out digits within 10 s
            "bastien": 15.833333333333332, // softmax overflows on logits near 1000: 1 of 9 activation cases (1.5 points)
            "dmitri": 15.5,     // Adam without bias correction: 2 of 12 optimiser cases (3 points)
            "emma": 15.5,       // momentum in PyTorch's convention: 2 of 12 optimiser cases
            "farid": 12,        // loss gradient not divided by the batch size: loss gradients 1, backpropagation 3
            "gabriel": 12.5,    // train() ignores its budget and is stopped: the MNIST check, 3.5
            "yann": 16,         // ReLU′(0) = 1: a valid subgradient, accepted
        ]
        for (student, points) in expected {
            #expect(abs((grades[student]?.points ?? -1) - points) < 1e-9, "\(student): \(grades[student]?.points ?? -1)")
        }
        // δ without Φ′: backpropagation loses all 3 points; its training, driven by wrong gradients, cannot earn full credit.
        let chloe = try tasks("chloe")
        #expect(chloe["propagation"] == 1.5)
        #expect((chloe["mnist"] ?? 99) < 3.5)
        #expect(chloe["activations"] == 2.5 && chloe["losses"] == 2 && chloe["optimizers"] == 3.5)

        let faridCases = try gradebook.caseResults(submissionID: try #require(grades["farid"]?.submissionID))
        #expect(faridCases.contains { $0.checkID == "backpropagation" && $0.message.contains("times the reference's, and") && $0.message.contains("is the batch size: average the loss over the batch (divide by m) exactly once") })
        let gabrielCases = try gradebook.caseResults(submissionID: try #require(grades["gabriel"]?.submissionID))
        // A minute of training whatever the budget: stopped at the case's CPU limit (25 s at the reference
        // speed, stretched as the budget is), or, where a stretched limit lets the minute end, over budget.
        #expect(gabrielCases.filter { $0.checkID == "mnist-training" }.allSatisfy {
            $0.points == 0 && (($0.verdict == .cpuLimit || $0.verdict == .timeLimit) && $0.message.hasPrefix("train() did not return in time")
                || $0.verdict == .cpuLimit && $0.message.hasPrefix("train() used ") && $0.message.contains("over its budget"))
        })
        // The correct solution's margin over the 95% bar, as recorded in its feedback.
        let aliceCases = try gradebook.caseResults(submissionID: try #require(grades["alice"]?.submissionID))
        #expect(aliceCases.filter { $0.checkID == "mnist-training" }.allSatisfy { $0.verdict == .accepted && $0.message.hasPrefix("held-out accuracy 9") })

        // Dmitri handed in 1 day 9 h 31 min late; Emma 21 h late, within her 2-day extension. Their feedback says so.
        let feedback = course.appendingPathComponent(".grade/feedback/practical2")
        #expect(try String(contentsOf: feedback.appendingPathComponent("dmitri.txt"), encoding: .utf8).contains("""
            Submitted 2026-11-04 09:30 (Europe/Paris), from submitted_at in submission.yaml.
            Due 2026-11-02 23:59: 2 started days late, so the practical's grade loses 20% of the scale (10% per started day).
            """))
        #expect(try String(contentsOf: feedback.appendingPathComponent("emma.txt"), encoding: .utf8)
            .contains("Due 2026-11-04 23:59, with your extension of 2 days: on time."))

        // Practical 3: the correct sample and seven one-bug mutants, training included.
        try run(["practical3"] + c)
        let third = Dictionary(uniqueKeysWithValues: try gradebook.currentGrades(assignmentID: "practical3").map { ($0.studentID, $0) })
        func thirdTasks(_ student: String) throws -> [String: Double] {
            let id = try #require(third[student]?.submissionID)
            return Dictionary(uniqueKeysWithValues: try gradebook.taskScores(submissionID: id).map { ($0.taskID, $0.points) })
        }
        let expectedThird: [String: Double] = [
            "alice": 16,      // correct (im2col products); its CNN and GAN earn full credit within their budgets
            "bastien": 9,     // the kernel flipped: convolution, the CNN and the attacks (its training, 93–96%, reaches the bar)
            "dmitri": 15,     // batch-norm backward with μ and σ² taken as constants (and 1 day late)
            "emma": 15.5,     // dropout without its 1/(1 − p) scaling
            "farid": 14,      // FGSM and PGD step by ε · ∇ₓL instead of ε · sign(∇ₓL)
            "gabriel": 15,    // PGD never projected back onto the ε-ball
        ]
        for (student, points) in expectedThird {
            #expect(abs((third[student]?.points ?? -1) - points) < 1e-9, "practical3 \(student): \(third[student]?.points ?? -1)")
        }
        // Max pooling's gradient sent to the whole window: the layers and every attack lose. A CNN case whose
        // windows each hold one live ReLU hides the bug (the others' gradients are masked), so the CNN's
        // gradients lose a share that depends on the draw; its training, on those gradients, is bounded.
        let chloeThird = try thirdTasks("chloe")
        #expect(abs((chloeThird["layers"] ?? 0) - 5.285714285714286) < 1e-9 && chloeThird["adversarial"] == 0
                && (0.5...2).contains(chloeThird["cnn"] ?? -1) && (chloeThird["mnist"] ?? 99) <= 2, "\(chloeThird)")
        // The saturating generator loss: its loss, gradients and steps lose 2 points; its GAN may still train.
        let hugoThird = try thirdTasks("hugo")
        #expect(hugoThird["gan"].map { $0 >= 1.5 && $0 <= 2.5 } == true && hugoThird["layers"] == 6 && hugoThird["adversarial"] == 2, "\(hugoThird)")
        let faridThird = try gradebook.caseResults(submissionID: try #require(third["farid"]?.submissionID))
        #expect(faridThird.contains { $0.checkID == "fgsm" && $0.message.contains("not a whole number of steps") })
        let gabrielThird = try gradebook.caseResults(submissionID: try #require(third["gabriel"]?.submissionID))
        #expect(gabrielThird.contains { $0.checkID == "pgd" && $0.message.contains("project every step back onto the ε-ball") })

        // The rest of `make demo`.
        try run(["practical1"] + c)
        try run(["marks", "import", "practical1", course.appendingPathComponent("Submissions/marks/practical1.csv").path] + c)
        try run(["marks", "import", "practical2", course.appendingPathComponent("Submissions/marks/practical2.csv").path] + c)
        try run(["marks", "import", "practical3", course.appendingPathComponent("Submissions/marks/practical3.csv").path] + c)
        try run(["override", "practical1", "emma", "6", "--reason", "one-line compile error; marked by hand with the line fixed, less half"] + c)
        try run(["mcq", "import", course.appendingPathComponent("Submissions/quiz/responses.csv").path] + c)
        let exports = course.appendingPathComponent("exports")
        // Hugo's practical 3 report is not marked: his grades do not count yet, so the export refuses, then writes them blank with --partial.
        #expect(throws: (any Error).self) { try run(["export"] + c) }
        try run(["export", "--partial"] + c)
        let rows = try String(contentsOf: exports.appendingPathComponent("grades.csv"), encoding: .utf8).components(separatedBy: "\r\n")
        // practical = automatic + report, less 2 points per started day late; final = 0.2 · (p1 + p2 + p3) + 0.4 · quiz.
        // alice: 16 + 3.5 = 19.5; 16 + 4 = 20; 16 + 3.5 = 19.5; quiz 33/34 → 19.41; 3.9 + 4 + 3.9 + 7.765 = 19.56.
        // dmitri: 12 + 3 = 15; 15.5 + 3.5 = 19, 2 days late → 15; 15 + 2.5 = 17.5, 1 day late → 15.5; quiz 15; 15.1.
        // emma: 6 by override; 15.5 + 3 = 18.5, on time with her extension; 15.5 + 3 = 18.5; quiz 4.71; 10.48.
        // hugo: nothing submitted for practicals 1 and 2; practical 3 without its report mark; quiz 2.06.
        #expect(rows[1] == "alice,Alice Martin,alice.martin@example.edu,19.5,0,20,0,19.5,0,19.41,19.56,97.8,")
        #expect(rows[2] == "bastien,Bastien Leroy,bastien.leroy@example.edu,16.33,0,18.83,0,12,0,14.02,15.04,75.2,")
        // Chloé's trainings, on wrong gradients, are bounded: her practical 2 is below 9.5 + 3.5 + 2.5, her practical 3 at most 12.79 + 3.
        let chloeRow = rows[3].components(separatedBy: ",")
        #expect(chloeRow[3] == "15.1" && Double(chloeRow[5]).map { $0 < 15.5 } == true && Double(chloeRow[7]).map { $0 <= 15.79 } == true
                && chloeRow[9] == "10.69", "\(rows[3])")
        #expect(rows[4] == "dmitri,Dmitri Volkov,dmitri.volkov@example.edu,15,0,15,4,15.5,2,15,15.1,75.5,practical2 2 days late: −20%; practical3 1 day late: −10%")
        #expect(rows[5] == "emma,Emma Petit,emma.petit@example.edu,6,0,18.5,0,18.5,0,4.71,10.48,52.4,practical1 overridden")
        #expect(rows[6] == "farid,Farid Benali,farid.benali@example.edu,19.5,0,14,0,18,0,17.84,17.44,87.2,")
        #expect(rows[7] == "gabriel,Gabriel Moreau,gabriel.moreau@example.edu,17,0,15.5,0,17,0,12.45,14.88,74.4,")
        // Hugo: nothing handed in for practicals 1 and 2 (0); practical 3 waits for its report mark, and so does his final grade.
        #expect(rows[8] == "hugo,Hugo Lambert,hugo.lambert@example.edu,0,0,0,0,,,2.06,,,practical1 missing; practical2 missing; practical3 pending: report not marked (report)")
        #expect(rows.count == 10, "yann, who is not on the roster, is left out")

        // The item analysis flags the deliberately miskeyed question (and the one everybody gets right).
        let analysis = try CourseOptions.parse(c).records().quizAnalysis().analysis
        let flagged = analysis.items.filter { !$0.flags.isEmpty }.map { "\($0.questionID): \($0.flags.map(\.rawValue).joined(separator: ", "))" }
        #expect(flagged == ["backprop-delta-recursion: everyone correct", "nesterov-lookahead: negative discrimination"])
    }
}
