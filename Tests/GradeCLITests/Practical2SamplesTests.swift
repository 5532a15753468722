import Foundation
import Gradebook
import Grader
import Testing
@testable import GradeCLI

/// `grade practical2` on the bundled samples: a correct solution and mutants that each lose what they should.
@Suite(.serialized) struct Practical2SamplesTests {
    @Test func everySampleGetsItsExpectedScore() throws {
        let course = try EndToEndTests.courseCopy()
        var command = try GradeCommand.parseAsRoot(["practical2", "--course", course.path])
        try command.run()
        let gradebook = try Gradebook(path: course.appendingPathComponent(".grade/gradebook.sqlite").path)
        let grades = Dictionary(uniqueKeysWithValues: try gradebook.currentGrades(assignmentID: "practical2").map { ($0.studentID, $0) })
        func tasks(_ student: String) throws -> [String: Double] {
            let id = try #require(grades[student]?.submissionID)
            return Dictionary(uniqueKeysWithValues: try gradebook.taskScores(submissionID: id).map { ($0.taskID, $0.points) })
        }
        let expected: [String: Double] = [
            "ana": 16,          // correct, and its train() reaches 95% on held-out digits within 10 s
            "sofia": 15.8125,   // softmax overflows on logits near 1000: 1 of 8 activation cases (1.5 points)
            "ugo": 15.5,        // Adam without bias correction: 2 of 12 optimiser cases (3 points)
            "vera": 15.5,       // momentum in PyTorch's convention: 2 of 12 optimiser cases
            "wim": 12,          // loss gradient not divided by the batch size: loss gradients 1, backpropagation 3
            "xavier": 12.5,     // train() ignores its budget and is stopped: the MNIST check, 3.5
            "yann": 16,         // ReLU′(0) = 1: a valid subgradient, accepted
        ]
        for (student, points) in expected {
            #expect(abs((grades[student]?.points ?? -1) - points) < 1e-9, "\(student): \(grades[student]?.points ?? -1)")
        }
        // δ without Φ′: backpropagation loses all 3 points; its training, driven by wrong gradients, cannot earn full credit.
        let tomas = try tasks("tomas")
        #expect(tomas["propagation"] == 1.5)
        #expect((tomas["mnist"] ?? 99) < 3.5)
        #expect(tomas["activations"] == 2.5 && tomas["losses"] == 2 && tomas["optimizers"] == 3.5)

        let wimCases = try gradebook.caseResults(submissionID: try #require(grades["wim"]?.submissionID))
        #expect(wimCases.contains { $0.checkID == "backpropagation" && $0.message.contains("times the reference's: average the loss over the batch") })
        let xavierCases = try gradebook.caseResults(submissionID: try #require(grades["xavier"]?.submissionID))
        #expect(xavierCases.filter { $0.checkID == "mnist-training" }.allSatisfy {
            ($0.verdict == "cpu-limit" || $0.verdict == "time-limit") && $0.message.hasPrefix("train() did not return in time")
        })
        // The correct solution's margin over the 95% bar, as recorded in its feedback.
        let anaCases = try gradebook.caseResults(submissionID: try #require(grades["ana"]?.submissionID))
        #expect(anaCases.filter { $0.checkID == "mnist-training" }.allSatisfy { $0.verdict == "accepted" && $0.message.hasPrefix("held-out accuracy 9") })
    }
}
