import Foundation
import Grader
import SafeText
import StudentServices

/// A practical's starter file, made from the course's CourseKit sources (`StarterSource`).
public struct Starter {
    /// The course.
    public let layout: CourseLayout

    /// The starters of the course at `layout`.
    public init(layout: CourseLayout) { self.layout = layout }

    /// The starter `Solution.swift` of `assignment`: its spec's protocol, stubbed.
    public func source(for assignment: String) throws -> String {
        let spec: AssignmentSpec
        do { spec = try SpecLoader.loadAssignment(at: layout.existingSpecURL(assignment)) } catch let error as SpecError {
            throw ServiceFailure("the assignment spec has problems:\n\(error)")
        }
        let folder = layout.courseKitSourcesURL
        let files: [String]
        do { files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }.sorted() } catch {
            throw ServiceFailure("CourseKit's sources are needed: \(FileErrorText.sentence(error, .listing, path: folder.path))")
        }
        let declaration = "protocol \(spec.protocolName)"
        for file in files {
            let url = folder.appendingPathComponent(file)
            guard let text = try? String(contentsOf: url, encoding: .utf8), text.contains(declaration) else { continue }
            do { return try StarterSource.make(protocolNamed: spec.protocolName, source: text, file: "Sources/CourseKit/\(file)") } catch let problem as StarterSource.Problem {
                if problem.isMissingProtocol { continue }
                throw ServiceFailure("no starter for \(assignment): \(problem)")
            }
        }
        throw ServiceFailure("no starter for \(assignment): no file of \(folder.path) declares protocol \(spec.protocolName)")
    }
}
