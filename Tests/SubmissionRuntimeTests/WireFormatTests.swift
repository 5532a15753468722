import CourseKit
import Foundation
import Testing
@testable import SubmissionRuntime

@Suite struct WireFormatTests {
    @Test func aFramedMessageParsesBackWhole() throws {
        let reply = Reply(id: 42, answer: .iterates([[1, 2], [0.1, -3e-17]]))
        let frame = try WireFormat.frame(reply)
        #expect(String(decoding: frame.prefix(6), as: UTF8.self) == "GRADE ")
        guard case let .message(payload, consumed) = WireFormat.parse(frame + Data("GRADE 3\n".utf8), limit: 1 << 20) else {
            Issue.record("no message parsed")
            return
        }
        #expect(consumed == frame.count)
        let decoded = try WireFormat.decoder().decode(Reply.self, from: payload)
        #expect(decoded.id == 42)
        #expect(decoded.answer == reply.answer)
    }

    @Test func doublesRoundTripExactlyIncludingNonFiniteValues() throws {
        let values: [Double] = [0.1, 1.0 / 3.0, -2.5e-300, 1.7976931348623157e308, .nan, .infinity, -.infinity, 5e-324]
        let frame = try WireFormat.frame(Reply(id: 1, answer: .vector(Vector(values))))
        guard case let .message(payload, _) = WireFormat.parse(frame, limit: 1 << 20) else {
            Issue.record("no message parsed")
            return
        }
        guard case let .vector(decoded) = try WireFormat.decoder().decode(Reply.self, from: payload).answer else {
            Issue.record("not a vector")
            return
        }
        for (got, sent) in zip(decoded, values) {
            #expect(got.bitPattern == sent.bitPattern || (got.isNaN && sent.isNaN))
        }
    }

    @Test func partialAndMalformedInputIsRecognised() {
        #expect(WireFormat.parse(Data("GRA".utf8), limit: 100) == .incomplete)
        #expect(WireFormat.parse(Data("GRADE 10\n{}".utf8), limit: 100) == .incomplete)
        #expect(WireFormat.parse(Data("hello world\n".utf8), limit: 100) == .malformed("bad message header \"hello world\""))
        #expect(WireFormat.parse(Data("Hello".utf8), limit: 100) == .malformed("the reply does not start with a message header"))
        #expect(WireFormat.parse(Data("GRADE -4\n".utf8), limit: 100) == .malformed("bad message header \"GRADE -4\""))
        #expect(WireFormat.parse(Data("GRADE 500\n".utf8), limit: 100) == .malformed("message of 500 bytes exceeds the 100-byte limit"))
        #expect(WireFormat.parse(Data(String(repeating: "G", count: 40).utf8), limit: 100) == .malformed("no message header in the first 32 bytes"))
    }

    /// A solution that records which requirement was called.
    struct Probe: Practical1 {
        func numericalGradient(of f: @Sendable (Vector) -> Double, at x: Vector, step h: Double) -> Vector { [f(x), h] }
        func gradientDescent(on f: any Objective, from x0: Vector, stepSize eta: Double, tolerance: Double, maxIterations: Int) -> [Vector] {
            [x0, [eta, tolerance, Double(maxIterations)]]
        }
        func armijoStep(on f: any Objective, at x: Vector, direction d: Vector, initialStep: Double, c: Double, rho: Double) -> Double {
            initialStep + c + rho
        }
        func gradientDescentArmijo(on f: any Objective, from x0: Vector, initialStep: Double, c: Double, rho: Double,
                                   tolerance: Double, maxIterations: Int) -> [Vector] { [x0] }
        func newton(on f: any Objective, from x0: Vector, tolerance: Double, maxIterations: Int) -> [Vector] { [f.gradient(at: x0)] }
        func perceptron(inputs: Matrix, labels: Vector, learningRate: Double, epochs: Int) -> LinearUnit {
            LinearUnit(weights: labels, bias: Double(epochs))
        }
        func sigmoidPerceptron(inputs: Matrix, labels: Vector, learningRate: Double, iterations: Int) -> LinearUnit {
            LinearUnit(weights: inputs.row(0), bias: learningRate)
        }
    }

    @Test func callsSurviveEncodingAndReachTheRightRequirement() throws {
        let quadratic = ObjectiveDescription.quadratic(Quadratic(A: Matrix([[2, 0], [0, 4]]), b: [2, 4]))
        let calls: [(Practical1Call, Answer)] = [
            (.numericalGradient(objective: quadratic, x: [1, 1], step: 1e-5), .vector([-3, 1e-5])),
            (.gradientDescent(objective: quadratic, x0: [0, 0], stepSize: 0.1, tolerance: 1e-8, maxIterations: 7), .iterates([[0, 0], [0.1, 1e-8, 7]])),
            (.armijoStep(objective: quadratic, x: [0, 0], direction: [1, 1], initialStep: 1, c: 0.25, rho: 0.5), .scalar(1.75)),
            (.newton(objective: quadratic, x0: [0, 0], tolerance: 1e-10, maxIterations: 3), .iterates([[-2, -4]])),
            (.perceptron(inputs: Matrix([[1, 2]]), labels: [1], learningRate: 1, epochs: 4), .linearUnit(LinearUnit(weights: [1], bias: 4))),
            (.sigmoidPerceptron(inputs: Matrix([[1, 2]]), labels: [1], learningRate: 0.5, iterations: 4), .linearUnit(LinearUnit(weights: [1, 2], bias: 0.5))),
        ]
        for (call, expected) in calls {
            let frame = try WireFormat.frame(Request(id: 9, call: call))
            guard case let .message(payload, _) = WireFormat.parse(frame, limit: 1 << 20) else {
                Issue.record("\(call.name) did not frame")
                continue
            }
            let decoded = try WireFormat.decoder().decode(Request<Practical1Call>.self, from: payload)
            #expect(decoded.call == call)
            #expect(decoded.call.perform(on: Probe()) == expected, "\(call.name)")
        }
    }
}
