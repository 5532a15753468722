import Foundation

/// The students of the course, from `Submissions/roster.csv` (`student_id,name,email`, other columns ignored).
///
/// The roster is the authority on who is enrolled: a submission or a quiz response from an id it
/// does not list is flagged and left out of the final grades, and an enrolled student with no
/// submission scores 0 and is listed as missing.
public struct Roster: Sendable {
    /// One enrolled student.
    public struct Student: Sendable, Hashable {
        /// The id, which is also the student's submission folder name.
        public var id: String
        /// The full name.
        public var name: String
        /// The email address.
        public var email: String
        /// The roster line.
        public var line: Int

        /// A student with the given fields.
        public init(id: String, name: String, email: String, line: Int = 0) {
            self.id = id
            self.name = name
            self.email = email
            self.line = line
        }
    }

    /// The students, in file order.
    public let students: [Student]
    private let byID: [String: Student]

    /// A roster of `students` (ids must be unique).
    public init(students: [Student]) {
        self.students = students
        byID = Dictionary(students.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The student whose id is `id`, if enrolled.
    public func student(_ id: String) -> Student? { byID[id] }

    /// Whether `id` is enrolled.
    public func contains(_ id: String) -> Bool { byID[id] != nil }

    /// The roster at `url`, named `file` in messages.
    ///
    /// - Throws: ``SpecError`` listing every bad line: a missing column, an invalid or repeated id, a
    ///   missing name, an email without '@' or used twice.
    public static func load(_ url: URL, file: String? = nil) throws -> Roster {
        try parse(CSVTable.read(url, file: file))
    }

    /// The roster in `table`.
    public static func parse(_ table: CSVTable) throws -> Roster {
        var diagnostics: [Diagnostic] = []
        let columns = table.requireColumns(["student_id", "name", "email"], into: &diagnostics)
        guard let idColumn = columns["student_id"], let nameColumn = columns["name"], let emailColumn = columns["email"] else {
            throw SpecError(diagnostics: diagnostics)
        }
        var students: [Student] = []
        var ids: [String: Int] = [:]
        var emails: [String: Int] = [:]
        for record in table.records {
            let id = record.fields[idColumn], name = record.fields[nameColumn], email = record.fields[emailColumn]
            let location = table.location(line: record.line)
            var valid = true
            if !IdentifierRules.isStudentID(id) {
                diagnostics.append(.error(id.isEmpty ? "student_id is empty" : "'\(id)' is not a valid student_id: no spaces, quotes, commas, semicolons, '/' or leading '.'", at: location))
                valid = false
            } else if let first = ids[id] {
                diagnostics.append(.error("student '\(id)' is already listed at line \(first)", at: location))
                valid = false
            }
            if name.isEmpty {
                diagnostics.append(.error("student '\(id)' has no name", at: location))
                valid = false
            }
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count != 2 || parts[0].isEmpty || parts[1].isEmpty || email.contains(where: \.isWhitespace) {
                diagnostics.append(.error(email.isEmpty ? "student '\(id)' has no email" : "'\(email)' is not an email address", at: location))
                valid = false
            } else if let first = emails[email.lowercased()] {
                diagnostics.append(.error("email '\(email)' is already used at line \(first)", at: location))
                valid = false
            }
            guard valid else { continue }
            ids[id] = record.line
            emails[email.lowercased()] = record.line
            students.append(Student(id: id, name: name, email: email, line: record.line))
        }
        if table.records.isEmpty {
            diagnostics.append(.error("the roster lists no students", at: SourceLocation(file: table.file)))
        }
        guard diagnostics.isEmpty else { throw SpecError(diagnostics: diagnostics) }
        return Roster(students: students)
    }
}
