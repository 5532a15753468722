import Foundation

/// A practical id the course does not have, as every command says it: the id and the practicals there are.
public struct UnknownPractical: Error, CustomStringConvertible, Sendable {
    /// The id given.
    public let id: String
    /// The course's practicals, sorted.
    public let known: [String]

    /// The id `id`, which is none of `known`.
    public init(_ id: String, known: [String]) {
        self.id = id
        self.known = known.sorted()
    }

    /// "there is no practical 'practical4' in this course; its practicals are practical1, practical2, practical3".
    public var description: String {
        "there is no practical '\(id)' in this course; "
            + (known.isEmpty ? "it has none yet (each is an Assignments/<id>.yaml spec)" : "its practicals are \(known.joined(separator: ", "))")
    }
}

extension CourseLayout {
    /// The spec of `assignment`, which must be an assignment id whose spec exists.
    ///
    /// - Throws: ``UnknownPractical`` with the course's assignments when `assignment` is not an id or
    ///   `Assignments/<assignment>.yaml` does not exist.
    public func existingSpecURL(_ assignment: String) throws -> URL {
        let url = specURL(assignment)
        guard IdentifierRules.isSpecID(assignment), FileManager.default.fileExists(atPath: url.path) else { throw UnknownPractical(assignment, known: assignmentIDs()) }
        return url
    }
}

extension CoursePolicy {
    /// The practical whose id is `id`.
    ///
    /// - Throws: ``UnknownPractical`` with the practicals the policy lists when it does not list `id`.
    public func requirePractical(_ id: String) throws -> PracticalWeight {
        guard let practical = practical(id) else { throw UnknownPractical(id, known: practicals.map(\.id)) }
        return practical
    }
}
