import Figures
import Foundation
import Outcomes

/// What the gradebook keeps of a grading report so that feedback can be written again at any time
/// without regrading (after a mark, an extension or an override): every task, check and case with its
/// verdict, message, inputs and figures, the build's messages and the folder's notes. Stored as JSON.
public struct RecordedReport: Codable, Sendable {
    /// The format this grader writes; a report of another format is not read.
    public static let currentFormat = 1

    /// The format of this report.
    public var format: Int
    /// The student.
    public var studentID: String
    /// The overall status.
    public var status: SubmissionStatus
    /// The compiler's messages, when the build failed.
    public var buildMessage: String?
    /// What the grader could not do, when the status is `.graderError` (such a report is shown, never recorded).
    public var graderFault: String?
    /// What the folder's metadata made the grader note.
    public var notes: [String]
    /// Whether hidden cases were run.
    public var includesHidden: Bool
    /// Automatic points earned.
    public var points: Double
    /// Automatic points available.
    public var maxPoints: Double
    /// Wall time of building and running, in seconds.
    public var durationSeconds: Double
    /// Per-task points.
    public var tasks: [TaskReport]
    /// Per-check results.
    public var checks: [CheckReport]

    /// The record of `report`, its figures at the precision they are stored in.
    public init(_ report: SubmissionReport) {
        format = Self.currentFormat
        studentID = report.folder.studentID
        status = report.status
        buildMessage = report.buildMessage
        graderFault = report.graderFault
        notes = report.folder.notes
        includesHidden = report.includesHidden
        points = report.points
        maxPoints = report.maxPoints
        durationSeconds = report.durationSeconds
        tasks = report.tasks
        checks = report.checks.map { check in
            var check = check
            check.cases = check.cases.map { item in
                var item = item
                item.figures = item.figures.map(\.compacted)
                return item
            }
            return check
        }
    }

    /// The report as JSON (non-finite numbers as strings).
    public func encoded() throws -> String {
        String(decoding: try FigureCoding.encoder().encode(self), as: UTF8.self)
    }

    /// Why a stored report cannot be read.
    public struct Unreadable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The report stored as `text`.
    public static func decode(_ text: String) throws -> RecordedReport {
        let decoder = FigureCoding.decoder()
        struct Header: Decodable { var format: Int }
        let data = Data(text.utf8)
        let header: Header
        do { header = try decoder.decode(Header.self, from: data) } catch { throw Unreadable(description: "the stored report is not valid JSON") }
        guard header.format == currentFormat else {
            throw Unreadable(description: "the stored report has format \(header.format); this grader reads format \(currentFormat)")
        }
        do { return try decoder.decode(RecordedReport.self, from: data) } catch {
            throw Unreadable(description: "the stored report cannot be read: \(error)")
        }
    }
}
