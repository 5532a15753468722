import Foundation

/// One student's answers to the quiz: the letters chosen per question id (an empty set is a blank).
public struct QuizSheet: Sendable, Hashable {
    /// The student.
    public var studentID: String
    /// The letters chosen, by question id.
    public var answers: [String: Set<String>]
    /// The line of the response file the sheet came from (0 when it came from the gradebook).
    public var line: Int

    /// A sheet with the given answers.
    public init(studentID: String, answers: [String: Set<String>], line: Int = 0) {
        self.studentID = studentID
        self.answers = answers
        self.line = line
    }

    /// `letters` as a response file writes them: sorted, joined by ';' (empty for a blank).
    public static func text(_ letters: Set<String>) -> String { letters.sorted().joined(separator: ";") }

    /// The letters written in `text` (`B`, `A;C`, blank), or nil with the reason when they are not letters.
    public static func letters(_ text: String) -> Result<Set<String>, ResponseProblem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return .success([]) }
        var letters = Set<String>()
        for part in trimmed.split(separator: ";", omittingEmptySubsequences: false) {
            let letter = part.trimmingCharacters(in: .whitespaces).uppercased()
            guard QuizBankDecoder.isOptionLetter(letter) else { return .failure(.notALetter(String(part))) }
            guard letters.insert(letter).inserted else { return .failure(.repeated(letter)) }
        }
        return .success(letters)
    }

    /// Why a response cell is not an answer.
    public enum ResponseProblem: Error, Sendable {
        /// A part is not a single letter.
        case notALetter(String)
        /// A letter appears twice.
        case repeated(String)
    }
}

/// Reads a quiz response file: `student_id` then one column per question id, answers like `B` or `A;C`, blank allowed.
public enum QuizResponseFile {
    /// The sheets in `table`, checked against `bank` and `roster`.
    ///
    /// Every bad row is reported at its line: an id not on the roster or repeated, a letter that is not
    /// an option of its question, a letter repeated. The header must name every question of the bank
    /// (dropped ones may be left out) and nothing else. Several letters on a single-answer question are
    /// accepted as the student's answer; they score as a wrong answer.
    ///
    /// - Throws: ``SpecError`` with every problem; nothing is returned unless the whole file is good.
    public static func parse(_ table: CSVTable, bank: QuizBank, roster: Roster) throws -> [QuizSheet] {
        var diagnostics: [Diagnostic] = []
        let header = table.location(line: table.headerLine)
        guard let idColumn = table.column("student_id") else {
            throw SpecError(diagnostics: [.error("the header has no 'student_id' column", at: header)])
        }
        var columns: [(index: Int, question: QuizQuestion)] = []
        for (index, name) in table.header.enumerated() where index != idColumn {
            if let question = bank.question(name) {
                columns.append((index, question))
            } else {
                let guess = NameSuggestion.closest(to: name, among: bank.questions.map(\.id)).map { "; did you mean '\($0)'?" } ?? ""
                diagnostics.append(.error("column '\(name)' is not a question of \(bank.location.file)\(guess)", at: header))
            }
        }
        let present = Set(columns.map(\.question.id))
        let absent = bank.scoredQuestions.map(\.id).filter { !present.contains($0) }
        if !absent.isEmpty {
            diagnostics.append(.error("no column for question\(absent.count == 1 ? "" : "s") \(absent.joined(separator: ", "))", at: header))
        }
        var sheets: [QuizSheet] = []
        var seen: [String: Int] = [:]
        for record in table.records {
            let location = table.location(line: record.line)
            let id = record.fields[idColumn]
            var valid = true
            if !roster.contains(id) {
                diagnostics.append(.error(id.isEmpty ? "student_id is empty" : "student '\(id)' is not on the roster", at: location))
                valid = false
            } else if let first = seen[id] {
                diagnostics.append(.error("student '\(id)' already has responses at line \(first)", at: location))
                valid = false
            }
            var answers: [String: Set<String>] = [:]
            for (index, question) in columns {
                let cell = record.fields[index]
                switch QuizSheet.letters(cell) {
                case let .success(letters):
                    let unknown = letters.subtracting(question.optionLetters).sorted()
                    if !unknown.isEmpty {
                        diagnostics.append(.error("question '\(question.id)': '\(unknown.joined(separator: ";"))' is not among its options (\(question.optionLetters.joined(separator: ", ")))", at: location))
                        valid = false
                    }
                    answers[question.id] = letters
                case let .failure(.notALetter(part)):
                    diagnostics.append(.error("question '\(question.id)': '\(part)' is not an option letter; write answers like B or A;C", at: location))
                    valid = false
                case let .failure(.repeated(letter)):
                    diagnostics.append(.error("question '\(question.id)': '\(letter)' is given twice in '\(cell)'", at: location))
                    valid = false
                }
            }
            guard valid else { continue }
            seen[id] = record.line
            sheets.append(QuizSheet(studentID: id, answers: answers, line: record.line))
        }
        guard diagnostics.isEmpty else { throw SpecError(diagnostics: diagnostics) }
        return sheets
    }
}
