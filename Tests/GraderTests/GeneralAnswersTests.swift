import CourseKit
import Foundation
import SubmissionRuntime
import Testing
@testable import Grader

/// The general answer kinds a practical composes its answers of: arrays of any rank and named parts,
/// whose structure is checked and whose values are compared part by part, each place named by its path.
@Suite struct GeneralAnswersTests {
    let tolerance = Tolerance(absolute: 1e-9, relative: 1e-6)

    /// A convolution's backward pass: ∂L/∂x (N × C × H × W), ∂L/∂W (F × C × k × k) and ∂L/∂b.
    static func backward(weights: Tensor = Tensor(shape: [2, 1, 2, 2], storage: [1, 2, 3, 4, 5, 6, 7, 8])) -> Answer {
        .fields([AnswerField("∂L/∂x", .tensor(Tensor(shape: [1, 1, 3, 3], storage: (1...9).map(Double.init)))),
                 AnswerField("∂L/∂W", .tensor(weights)),
                 AnswerField("∂L/∂b", .vector([0.5, -0.5]))])
    }

    @Test func aComposedAnswerTravelsTheWireUnchanged() throws {
        let answer = Self.backward()
        #expect(try JSONDecoder().decode(Answer.self, from: JSONEncoder().encode(answer)) == answer)
        #expect(answer.kindName == "the parts ∂L/∂x, ∂L/∂W, ∂L/∂b")
        #expect(Answer.tensor(Tensor(zeros: [2, 3])).kindName == "an array of shape 2×3")
    }

    @Test func theStructureIsCheckedPartByPartBeforeAnyValue() {
        let reference = Self.backward()
        #expect(ReplyShape.problem(reference, against: reference) == nil)
        #expect(ReplyShape.problem(Self.backward(weights: Tensor(zeros: [2, 1, 3, 3])), against: reference)
                == "∂L/∂W: an array of shape 2×1×3×3, expected 2×1×2×2")
        #expect(ReplyShape.problem(.fields([AnswerField("∂L/∂x", .scalar(1))]), against: reference)
                == "the result: the parts ∂L/∂x, expected ∂L/∂x, ∂L/∂W, ∂L/∂b")
        let nested = Answer.fields([AnswerField("generator", reference)])
        #expect(ReplyShape.problem(.fields([AnswerField("generator", .fields([AnswerField("∂L/∂x", .scalar(1)), AnswerField("∂L/∂W", .scalar(1)),
                                                                             AnswerField("∂L/∂b", .scalar(1))]))]), against: nested)
                == "generator.∂L/∂x: expected an array of shape 1×1×3×3, got a number")
    }

    @Test func theFirstDifferingEntryIsNamedByItsPathAndIndices() {
        let reference = Self.backward()
        #expect(CompareCheck.judge(reference, reference: reference, tolerance: tolerance, disclosure: .full) == .pass)
        var weights = Tensor(shape: [2, 1, 2, 2], storage: [1, 2, 3, 4, 5, 6, 7, 8])
        weights[1, 0, 0, 1] = 6.5
        let wrong = Self.backward(weights: weights)
        let shown = CompareCheck.judge(wrong, reference: reference, tolerance: tolerance, disclosure: .full)
        #expect(shown.message == "∂L/∂W: first difference at entry (1, 0, 0, 1): expected 6, got 6.5 (allowed difference 8e-06)")
        let hidden = CompareCheck.judge(wrong, reference: reference, tolerance: tolerance, disclosure: .positionOnly)
        #expect(hidden.message == "∂L/∂W: first difference at entry (1, 0, 0, 1), off by 0.5 (allowed 8e-06)")
        #expect(!hidden.message.contains("expected") && !hidden.message.contains("6.5"), "a hidden case shows where and by how much, not the values")
    }
}
