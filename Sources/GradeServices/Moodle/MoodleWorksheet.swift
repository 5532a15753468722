import Foundation
import Gradebook
import Grader
import StudentServices

/// An assignment's grading worksheet as Moodle writes it ("Download grading worksheet"): one row per
/// participant, identified by `Identifier` ("Participant 123456", the participant id the submissions
/// archive names folders with), with the participant's name and email, the time of their submission
/// and the columns Moodle reads back on upload (`Grade`, `Feedback comments`, `Last modified (grade)`).
///
/// Headers and dates are in the language of the account that downloaded it: the course policy's
/// `moodle:` settings map another language's headers to the English ones and give its date patterns.
/// The file is kept whole, so that writing it back changes only the cells the grader fills.
public struct MoodleWorksheet: Sendable {
    /// One participant's row.
    public struct Row: Sendable {
        /// The row's line in the file.
        public var line: Int
        /// The participant id (the digits of `Identifier`).
        public var participantID: String
        /// `Full name`.
        public var fullName: String
        /// `Email address` (empty when the worksheet has no such column).
        public var email: String
        /// `Last modified (submission)`, or nil when the participant submitted nothing.
        public var submittedAt: Date?
        /// `Maximum Grade`, when the worksheet gives one.
        public var maximumGrade: Double?
        /// Every field as written.
        public var fields: [String]
    }

    /// The file as read.
    public let table: CSVTable
    /// How its headers and dates were read.
    public let settings: MoodleSettings
    /// Its rows.
    public let rows: [Row]

    /// The value Moodle writes for a time that does not exist ("-").
    public static let noTime = "-"

    /// Reads the worksheet at `url` (`file` names it in messages); dates are read in `timeZone`.
    ///
    /// - Throws: ``SpecError`` with every problem found: a missing column, an identifier that is not a
    ///   participant's, a participant listed twice, a date in no known pattern.
    public static func read(_ url: URL, file: String? = nil, settings: MoodleSettings, timeZone: TimeZone) throws -> MoodleWorksheet {
        if SafeArchive.isZipArchive(at: url) {
            throw SpecError(diagnostics: [.error("this is a zip archive, not a grading worksheet: give the CSV file of Moodle's \"Download grading worksheet\"",
                                                 at: SourceLocation(file: file ?? url.relativePath))])
        }
        let table = try CSVTable.read(url, file: file ?? url.relativePath, multilineFields: true)
        return try MoodleWorksheet(table: table, settings: settings, timeZone: timeZone)
    }

    /// The worksheet in `table`.
    public init(table: CSVTable, settings: MoodleSettings, timeZone: TimeZone) throws {
        self.table = table
        self.settings = settings
        var diagnostics: [Diagnostic] = []
        let required = ["Identifier", "Last modified (submission)"].map(settings.localised)
        let columns = table.requireColumns(required, into: &diagnostics)
        guard diagnostics.isEmpty, let identifier = columns[required[0]], let modified = columns[required[1]] else {
            throw SpecError(diagnostics: diagnostics.map { diagnostic in
                var hinted = diagnostic
                if settings.headers.isEmpty {
                    hinted.message += "; a worksheet downloaded in another language needs `moodle: {headers: …}` in Rubrics/course.yaml"
                }
                return hinted
            })
        }
        // Under blind marking the worksheet has no names; rows are then matched by email alone.
        let name = table.column(settings.localised("Full name"))
        let email = table.column(settings.localised("Email address"))
        let maximum = table.column(settings.localised("Maximum Grade"))
        var rows: [Row] = []
        var seen: [String: Int] = [:]
        let dates = DateReader(settings: settings, timeZone: timeZone)
        var unlisted = 0
        for record in table.records {
            // Past the first problems, the rest are counted, not listed.
            if diagnostics.count >= ShortList.shown {
                unlisted += 1
                continue
            }
            let location = table.location(line: record.line)
            guard let participant = Self.participantID(record.fields[identifier]) else {
                diagnostics.append(.error("'\(record.fields[identifier])' is not a participant identifier such as 'Participant 123456'", at: location))
                continue
            }
            if let first = seen[participant] {
                diagnostics.append(.error("participant \(participant) is listed twice (first at line \(first))", at: location))
                continue
            }
            seen[participant] = record.line
            let timeText = record.fields[modified]
            var submittedAt: Date?
            if timeText != Self.noTime, !timeText.isEmpty {
                guard let date = dates.date(timeText) else {
                    diagnostics.append(.error("'\(timeText)' in '\(required[1])' is not a date in any of the patterns \(settings.dateFormats.joined(separator: " | ")) (locale \(settings.locale))", at: location))
                    continue
                }
                submittedAt = date
            }
            rows.append(Row(line: record.line, participantID: participant, fullName: name.map { record.fields[$0] } ?? "", email: email.map { record.fields[$0] } ?? "",
                            submittedAt: submittedAt, maximumGrade: maximum.flatMap { Self.number(record.fields[$0]) }, fields: record.fields))
        }
        if unlisted > 0 {
            diagnostics.append(.error("\(unlisted) more row\(unlisted == 1 ? "" : "s") not read after the first \(ShortList.shown) problems",
                                      at: SourceLocation(file: table.file)))
        }
        guard diagnostics.isEmpty else { throw SpecError(diagnostics: diagnostics) }
        self.rows = rows
    }

    /// Reads dates in the worksheet's patterns with one formatter per pattern, made once: a formatter is
    /// costly to make, and a worksheet has a date on every row.
    struct DateReader {
        let formatters: [DateFormatter]

        init(settings: MoodleSettings, timeZone: TimeZone) {
            formatters = settings.dateFormats.map { pattern in
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: settings.locale)
                formatter.timeZone = timeZone
                formatter.isLenient = false
                formatter.dateFormat = pattern
                return formatter
            }
        }

        /// `text` as a date in the first pattern that reads it.
        func date(_ text: String) -> Date? {
            for formatter in formatters { if let date = formatter.date(from: text) { return date } }
            return nil
        }
    }

    /// The participant id in an `Identifier`: its trailing digits after a word ("Participant 123456" in
    /// English, "Participant123456" in French, whose string has no space).
    public static func participantID(_ identifier: String) -> String? {
        guard let match = identifier.wholeMatch(of: /\s*\p{L}[^0-9]*?\s*([0-9]{1,18})\s*/) else { return nil }
        return String(match.output.1)
    }

    /// `date` as the worksheet's first pattern writes it, in `timeZone`.
    public static func text(_ date: Date, settings: MoodleSettings, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: settings.locale)
        formatter.timeZone = timeZone
        formatter.dateFormat = settings.dateFormats[0]
        return formatter.string(from: date)
    }

    /// A grade as Moodle writes it: "16.00", or "15,50" where the decimal separator is a comma.
    static func number(_ text: String) -> Double? {
        Double(text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "."))
    }

    /// The decimal separator the worksheet writes numbers with: "," when its `Maximum Grade` cells use one, else ".".
    public var decimalSeparator: String {
        guard let column = table.column(settings.localised("Maximum Grade")) else { return "." }
        return table.records.contains { $0.fields[column].contains(",") } ? "," : "."
    }

    /// The worksheet with `cells` replaced (by participant id, then English header): every other cell,
    /// the header and the row order as Moodle wrote them.
    ///
    /// - Throws: when a column to fill is not in the worksheet.
    public func written(replacing cells: [String: [String: String]]) throws -> String {
        var indices: [String: Int] = [:]
        for header in Set(cells.values.flatMap(\.keys)) {
            guard let index = table.column(settings.localised(header)) else {
                throw ServiceFailure("\(table.file) has no '\(settings.localised(header))' column to fill")
            }
            indices[header] = index
        }
        var writer = CSVWriter()
        writer.append(table.header.map { .verbatim($0) })
        for row in rows {
            var fields = row.fields
            for (header, value) in cells[row.participantID] ?? [:] { fields[indices[header]!] = value }
            writer.append(fields.map { .verbatim($0) })
        }
        return writer.text
    }
}
