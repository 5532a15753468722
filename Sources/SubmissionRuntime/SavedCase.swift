import CourseKit
import Foundation

/// A public case as `grade --local --case <check>/public-<n> --save FILE` writes it: the call the grader
/// made, with every input in full (numbers to the last bit), so that it can be replayed on your own
/// solution under a debugger.
///
/// ```swift
/// import CourseKit
/// import SubmissionRuntime
///
/// let saved = try SavedCase<Practical1Call>.load(from: "case.json")
/// print(saved.check, saved.label, saved.inputs)
/// if case let .gradientDescent(objective, x0, stepSize, tolerance, maxIterations) = saved.call {
///     // objective.objective is the same Quadratic (or Rosenbrock, …) the grader passed, x0 the same Vector
/// }
/// let answer = saved.call.perform(on: MySolution())   // what the grader received from you
/// ```
///
/// `Call` is the practical's call type: `Practical1Call`, `Practical2Call` or `Practical3Call`.
public struct SavedCase<Call: Codable & Sendable>: Codable, Sendable {
    /// The file format's version.
    public static var currentFormat: Int { 1 }

    /// The file format's version (`currentFormat` when written).
    public let format: Int
    /// The assignment (`practical1`).
    public let assignment: String
    /// The check (`gradient-descent`).
    public let check: String
    /// The case (`public 2`).
    public let label: String
    /// The inputs in words, as the feedback shows them.
    public let inputs: String
    /// The call, with its inputs as the grader passed them.
    public let call: Call

    /// A saved case.
    public init(assignment: String, check: String, label: String, inputs: String, call: Call) {
        self.format = Self.currentFormat
        self.assignment = assignment
        self.check = check
        self.label = label
        self.inputs = inputs
        self.call = call
    }

    /// The case as JSON, numbers written so that they read back to the same bits.
    public func encoded() throws -> Data {
        let encoder = WireFormat.encoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads a case saved by `grade --local --case … --save FILE`.
    public static func load(from path: String) throws -> SavedCase {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw LoadError(description: "\(path) cannot be read: \(error.localizedDescription)")
        }
        return try decode(data, source: path)
    }

    /// Reads a saved case from its JSON; `source` names it in errors.
    public static func decode(_ data: Data, source: String = "the saved case") throws -> SavedCase {
        guard let header = try? WireFormat.decoder().decode(SavedCaseHeader.self, from: data) else {
            throw LoadError(description: "\(source) is not a case saved by `grade --local --case … --save`")
        }
        guard header.format == currentFormat else {
            throw LoadError(description: "\(source) is a saved case of format \(header.format); this toolkit reads format \(currentFormat): save it again with this toolkit's grade")
        }
        do { return try WireFormat.decoder().decode(SavedCase.self, from: data) } catch {
            throw LoadError(description: "\(source) does not hold a \(Call.self) (is it another practical's case?): \(error)")
        }
    }

    /// Why a saved case cannot be read.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        /// What is wrong, and where.
        public let description: String
    }
}

/// The part of a saved case every format has: its version.
struct SavedCaseHeader: Decodable {
    let format: Int
}
