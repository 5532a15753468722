import Foundation
import Gradebook
import Grader
import SafeText
import StudentServices
import ZIPFoundation

/// A practical's grades and feedback in the files Moodle's assignment imports: the grading worksheet
/// filled in ("Upload grading worksheet") and the feedback files archive ("Upload multiple feedback
/// files in a zip").
public enum MoodleExport {
    /// What an export wrote, and whom it left out.
    public struct Result: Sendable {
        /// The file's contents.
        public var data: Data
        /// Students written, by id.
        public var written: [String]
        /// Worksheet rows left as they were, in words (no roster student, or no grade of this practical).
        public var leftOut: [String]
    }

    /// The worksheet with `Grade` (the practical's grade on the course scale, scaled to the row's
    /// `Maximum Grade`, with the worksheet's decimal separator) and `Feedback comments` (a summary)
    /// filled in for every row matched to a student; every other cell as Moodle wrote it, except
    /// `Last modified (grade)`, which keeps its time but is written in English.
    ///
    /// Moodle's import reads that time with PHP's `strtotime`, which reads English dates only, and skips a
    /// row whose grade changed in Moodle more than a minute after it: keeping the downloaded time keeps
    /// that safety check (a grade changed in Moodle since the download is not overwritten), and writing it
    /// in English lets a worksheet downloaded in another language pass it. "-" (no grade yet) stays.
    ///
    /// A student whose practical grade does not count yet (``GradeState``) makes the export fail, unless
    /// `partial`: their row is then left as Moodle wrote it (Moodle skips unchanged rows) and listed.
    public static func worksheet(_ worksheet: MoodleWorksheet, practical: String, grades: CourseGrades, roster: Roster,
                                 policy: CoursePolicy, partial: Bool = false, now: Date = Date()) throws -> Result {
        guard !grades.pendingPracticals.contains(practical) else {
            throw ServiceFailure("\(practical) has not been graded yet: there are no grades to export (run grade \(practical) first)")
        }
        var leftOut: [String] = []
        let matches = MoodleCollection.match(worksheet.rows, roster: roster, unmatched: &leftOut)
        if !partial { try CourseExports.requireSettled(grades, practical: practical, students: Set(matches.values.map(\.id))) }
        let rows = Dictionary(grades.students.map { ($0.student.id, $0) }, uniquingKeysWith: { first, _ in first })
        var cells: [String: [String: String]] = [:]
        var written: [String] = []
        let modifiedColumn = worksheet.table.column(worksheet.settings.localised("Last modified (grade)"))
        let separator = worksheet.decimalSeparator
        let dates = MoodleWorksheet.DateReader(settings: worksheet.settings, timeZone: policy.timeZone)
        for row in worksheet.rows {
            guard let student = matches[row.participantID], let grade = rows[student.id]?.practicals.first(where: { $0.practicalID == practical }) else { continue }
            if let reason = PendingWork.reason(grade) {
                leftOut.append("\(student.id): \(practical) pending (\(reason)); the row is left as it was")
                continue
            }
            let maximum = row.maximumGrade ?? policy.scale
            var filled = ["Grade": String(format: "%.2f", grade.grade / policy.scale * maximum).replacingOccurrences(of: ".", with: separator),
                          "Feedback comments": comment(grade, policy: policy)]
            if let modifiedColumn, row.fields[modifiedColumn] != MoodleWorksheet.noTime {
                let text = row.fields[modifiedColumn]
                if let date = dates.date(text) {
                    filled["Last modified (grade)"] = MoodleWorksheet.text(date, settings: MoodleSettings(), timeZone: policy.timeZone)
                } else {
                    leftOut.append("worksheet line \(row.line): 'Last modified (grade)' is '\(text)', no date Moodle's import can read; the row is written but Moodle may skip it")
                }
            }
            cells[row.participantID] = filled
            written.append(student.id)
        }
        let text = try worksheet.written(replacing: cells)
        return Result(data: Data(text.utf8), written: written.sorted(), leftOut: leftOut)
    }

    /// The practical's grade in one line: "Automatic checks 14.5, report 3 (of 20): 17.5/20; 1 day late: −2; practical grade 15.5/20".
    public static func comment(_ grade: PracticalGrade, policy: CoursePolicy) -> String {
        let scale = Points.text(policy.scale)
        var parts: [String] = []
        switch grade.state {
        case .pending, .notDue, .graderFault: parts.append(grade.override == nil ? "Not graded yet" : "No graded submission")
        case .missing: parts.append("No submission")
        case .graded:
            parts.append("Automatic checks \(Points.text(grade.automaticPoints ?? 0)), report \(Points.text(grade.manualPoints ?? 0))"
                         + (grade.unmarkedItems.isEmpty ? "" : " (not marked yet)") + ": \(Points.text(grade.beforePenalty))/\(scale)")
            if let timing = grade.timing, grade.penalty > 0 { parts.append("\(timing.summary): −\(Points.text(grade.penalty))") }
        }
        if grade.override != nil { parts.append("set by the instructor") }
        parts.append("practical grade \(Points.text(grade.grade))/\(scale)")
        return parts.joined(separator: "; ")
    }

    /// The feedback archive: for each worksheet row matched to a student with recorded feedback, the file
    /// `<full name>_<participant id>_assignsubmission_file/<fileName>`, Moodle's own naming of the
    /// participant's submission folder (since Moodle 4.1; its import reads the participant id from any
    /// path part split on `_` into name, id, plugin type and plugin name, so earlier versions read it too).
    public static func feedbackArchive(_ worksheet: MoodleWorksheet, roster: Roster, feedback: [String: String], fileName: String = "feedback.txt",
                                       pages: [String: String] = [:], pageName: String = "feedback.html", now: Date = Date()) throws -> Result {
        var leftOut: [String] = []
        let matches = MoodleCollection.match(worksheet.rows, roster: roster, unmatched: &leftOut)
        let archive = try Archive(data: Data(), accessMode: .create)
        var written: [String] = []
        for row in worksheet.rows {
            guard let student = matches[row.participantID], let text = feedback[student.id] else { continue }
            let folder = folderName(fullName: row.fullName, participantID: row.participantID)
            for (name, content) in [(fileName, text), (pageName, pages[student.id])] {
                guard let content else { continue }
                let data = Data(content.utf8)
                try archive.addEntry(with: "\(folder)/\(name)", type: .file, uncompressedSize: Int64(data.count), modificationDate: now,
                                     compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            written.append(student.id)
        }
        guard let data = archive.data else { throw ServiceFailure("the feedback archive could not be built") }
        return Result(data: data, written: written.sorted(), leftOut: leftOut)
    }

    /// Moodle's folder of a participant's file submission: the name with `_` made spaces and the characters
    /// Moodle's `clean_filename` removes left out, then `_<participant id>_assignsubmission_file`.
    public static func folderName(fullName: String, participantID: String) -> String {
        let name = String(fullName.compactMap { character -> Character? in
            if character == "_" { return " " }
            return "&<>\"`|':\\/".contains(character) || character.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } ? nil : character
        })
        return "\(name.isEmpty ? "Participant" : name)_\(participantID)_assignsubmission_file"
    }
}
