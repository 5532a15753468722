import CSV
import Foundation
import SafeText

/// A CSV file an instructor supplies (the roster, report marks, quiz responses), read with its line numbers.
///
/// Parsing is CSV.swift's; this adds what an import needs around it: a header row, the line each
/// record starts on (for messages), and strictness. A file that is not UTF-8, that has no header,
/// that repeats a column name, or whose records do not have as many fields as the header is
/// refused with every problem at its line. A byte-order mark is ignored, blank lines are skipped,
/// and fields are trimmed of surrounding spaces. A field spanning lines is refused: none of these
/// files has one, and it usually means a quote was left open.
public struct CSVTable: Sendable {
    /// One record and where it starts.
    public struct Record: Sendable {
        /// The line the record starts on, counted from 1 (the header is line 1 when the file starts with it).
        public var line: Int
        /// The fields, one per header column.
        public var fields: [String]
    }

    /// The file, as messages name it.
    public let file: String
    /// The column names, trimmed, as written.
    public let header: [String]
    /// The records after the header, blank lines left out.
    public let records: [Record]
    /// The header's line.
    public let headerLine: Int

    /// The index of the column named `name`, compared without case.
    public func column(_ name: String) -> Int? {
        header.firstIndex { $0.lowercased() == name.lowercased() }
    }

    /// The location of `line` in the file, for diagnostics.
    public func location(line: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: 1)
    }

    /// The largest CSV file read: a grading worksheet of 10,000 participants with paragraphs of feedback
    /// is a few megabytes, so a file beyond this is not a course's, and reading it would cost minutes.
    public static let maximumBytes = 32 << 20

    /// Reads the CSV file at `url`; `file` names it in messages (default: the path as given). A file over
    /// `maximumBytes` is refused before it is read.
    ///
    /// - Throws: ``SpecError`` with every problem found.
    public static func read(_ url: URL, file: String? = nil, multilineFields: Bool = false) throws -> CSVTable {
        let name = file ?? url.relativePath
        if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int, size > maximumBytes {
            throw SpecError(diagnostics: [.error("the file is \(size) bytes; a course's CSV files (a roster, report marks, quiz responses, a grading "
                                                 + "worksheet) are far smaller, and at most \(maximumBytes >> 20) MB are read: is it the right file?",
                                                 at: SourceLocation(file: name))])
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw SpecError(diagnostics: [.error(FileErrorText.reason(error, .reading, path: url.path), at: SourceLocation(file: name))])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SpecError(diagnostics: [.error("the file is not UTF-8 text; save it as CSV UTF-8", at: SourceLocation(file: name))])
        }
        return try parse(text, file: name, multilineFields: multilineFields)
    }

    /// Parses `text`, naming `file` in messages; `multilineFields` accepts quoted fields spanning lines
    /// (a course site's feedback comments may hold several paragraphs).
    ///
    /// - Throws: ``SpecError`` with every problem found.
    public static func parse(_ text: String, file: String, multilineFields: Bool = false) throws -> CSVTable {
        var body = text
        if body.hasPrefix("\u{FEFF}") { body.removeFirst() }
        let reader: CSVReader
        do { reader = try CSVReader(string: body, hasHeaderRow: false, trimFields: true) } catch {
            throw SpecError(diagnostics: [.error("the file is not CSV: \(error)", at: SourceLocation(file: file))])
        }
        var diagnostics: [Diagnostic] = []
        var header: [String]?
        var headerLine = 1
        var records: [Record] = []
        var line = 1
        while let row = reader.next() {
            let start = line
            let breaks = row.reduce(0) { $0 + $1.unicodeScalars.filter { $0 == "\n" || $0 == "\r" }.count }
            line += 1 + breaks
            if row.allSatisfy(\.isEmpty) { continue }
            let location = SourceLocation(file: file, line: start, column: 1)
            if breaks > 0, !multilineFields {
                diagnostics.append(.error("a quoted field runs over \(breaks + 1) lines; is a closing quote missing?", at: location))
                continue
            }
            guard let columns = header else {
                if row.count == 1, row[0].contains(";") {
                    diagnostics.append(.error("the header has one column, '\(row[0])': the file looks separated by ';'; save it as CSV with commas", at: location))
                    throw SpecError(diagnostics: diagnostics)
                }
                var seen: [String: Int] = [:]
                for (index, name) in row.enumerated() {
                    if name.isEmpty {
                        diagnostics.append(.error("column \(index + 1) of the header has no name", at: location))
                    } else if let first = seen[name.lowercased()] {
                        diagnostics.append(.error("column '\(name)' appears twice in the header (columns \(first + 1) and \(index + 1))", at: location))
                    } else {
                        seen[name.lowercased()] = index
                    }
                }
                header = row
                headerLine = start
                continue
            }
            guard row.count == columns.count else {
                diagnostics.append(.error("this row has \(row.count) field\(row.count == 1 ? "" : "s") but the header has \(columns.count)", at: location))
                continue
            }
            records.append(Record(line: start, fields: row))
        }
        if let error = reader.error {
            diagnostics.append(.error("the file cannot be read as CSV: \(error)", at: SourceLocation(file: file, line: line, column: 1)))
        }
        guard let header else {
            throw SpecError(diagnostics: diagnostics + [.error("the file is empty; expected a header row", at: SourceLocation(file: file))])
        }
        guard diagnostics.isEmpty else { throw SpecError(diagnostics: diagnostics) }
        return CSVTable(file: file, header: header, records: records, headerLine: headerLine)
    }

    /// The indices of `required` columns; reports each missing one at the header's line.
    public func requireColumns(_ required: [String], into diagnostics: inout [Diagnostic]) -> [String: Int] {
        var indices: [String: Int] = [:]
        for name in required {
            if let index = column(name) {
                indices[name] = index
            } else {
                diagnostics.append(.error("the header has no '\(name)' column (it has: \(header.joined(separator: ", ")))", at: location(line: headerLine)))
            }
        }
        return indices
    }
}
