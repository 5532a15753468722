import Foundation
import Gradebook
import Grader
import Outcomes
import StudentServices

/// Where a file of Moodle's "Download all submissions" archive belongs: its participant and its path in
/// that participant's submission.
///
/// Moodle names each participant's files `<Full name>_<participant id>_assignsubmission_<plugin>_`,
/// as a folder holding them ("Download submissions in folders") or as a prefix of each file's name
/// (the flat layout: `…_assignsubmission_file_Solution.swift`). Moodle writes spaces for underscores
/// in names, so the participant id is the digits between the name and `_assignsubmission_`.
public struct MoodleSubmissionPath: Sendable, Equatable {
    /// The participant id.
    public var participantID: String
    /// The name in the archive (Moodle's full name, or "Participant" under blind marking).
    public var name: String
    /// The submission plugin: `file`, `onlinetext`.
    public var plugin: String
    /// The file's path inside the participant's submission.
    public var relative: [String]

    /// A place.
    public init(participantID: String, name: String, plugin: String, relative: [String]) {
        self.participantID = participantID
        self.name = name
        self.plugin = plugin
        self.relative = relative
    }

    /// The place of the archive path `components`, or nil when it is not one of Moodle's names.
    public static func parse(_ components: [String]) -> MoodleSubmissionPath? {
        guard let first = components.first, let match = first.wholeMatch(of: /(.+)_([0-9]{1,18})_assignsubmission_([a-z]+)(?:_(.*))?/) else { return nil }
        let rest = Array(components.dropFirst())
        let suffix = match.output.4.map(String.init) ?? ""
        let relative = (suffix.isEmpty ? [] : [suffix]) + rest
        guard !relative.isEmpty else { return nil }
        return MoodleSubmissionPath(participantID: String(match.output.2), name: String(match.output.1), plugin: String(match.output.3), relative: relative)
    }
}

/// `grade collect`: a practical's submissions and their times from Moodle's "Download all submissions"
/// archive and the assignment's grading worksheet, into `Submissions/<practical>/<student id>/` and the
/// gradebook.
///
/// Each worksheet row is matched to the roster by email, else by full name (case, accents and spacing
/// aside); each archive folder to a row by its participant id. Every folder or row that matches nothing
/// is listed, and unless told to skip them nothing is written. The archive is extracted with
/// ``SafeArchive``. A student's folder is replaced whole, its previous content moved under
/// `.grade/replaced/`; the worksheet's `Last modified (submission)` is recorded as the student's trusted
/// submission time, which lateness uses over anything the folder says.
public struct MoodleCollection {
    /// What to collect.
    public struct Request: Sendable {
        public var practical: String
        public var archive: URL
        public var worksheet: URL
        /// Collect the rest when some folders or rows match nothing (they are listed either way).
        public var skipUnmatched = false
        public var actor = CourseRecords.actor

        public init(practical: String, archive: URL, worksheet: URL, skipUnmatched: Bool = false) {
            self.practical = practical
            self.archive = archive
            self.worksheet = worksheet
            self.skipUnmatched = skipUnmatched
        }
    }

    /// One student collected.
    public struct Collected: Sendable, Equatable {
        public var studentID: String
        public var participantID: String
        /// The files written, relative to the student's folder.
        public var files: [String]
        /// The trusted submission time, when the worksheet gives one.
        public var submittedAt: Date?
        /// Whether an earlier folder was replaced (and kept under `.grade/replaced/`).
        public var replaced: Bool
    }

    /// What a collection did.
    public struct Outcome: Sendable {
        public var collected: [Collected]
        /// Rows matched to a student who has no files in the archive (they submitted nothing, or only a time).
        public var withoutFiles: [String]
        /// Archive folders and worksheet rows that match nothing, in words.
        public var unmatched: [String]
        /// How many trusted times changed in the gradebook.
        public var timesRecorded: Int
        /// How many of the worksheet's times were already recorded as they are.
        public var timesUnchanged: Int = 0
        /// Where replaced folders were moved, when any was.
        public var replacedFolder: URL?
    }

    public let layout: CourseLayout
    public let gradebookPath: String

    public init(layout: CourseLayout, gradebookPath: String) {
        self.layout = layout
        self.gradebookPath = gradebookPath
    }

    /// Collects `request`; nothing is written when it fails.
    public func run(_ request: Request, now: Date = Date()) throws -> Outcome {
        _ = try layout.existingSpecURL(request.practical)
        if SafeArchive.isZipArchive(at: request.worksheet), !SafeArchive.isZipArchive(at: request.archive) {
            throw ServiceFailure("nothing was collected: the archive and the worksheet look swapped (\(request.worksheet.path) is a zip archive, "
                                 + "\(request.archive.path) is not): give Moodle's archive with --moodle-zip and the worksheet (CSV) with --worksheet")
        }
        do { try SafeArchive(url: request.archive).checkIsZipFile() } catch let refusal as SafeArchive.Refusal {
            throw ServiceFailure("nothing was collected: \(refusal)")
        }
        let policy: CoursePolicy
        do { policy = try CoursePolicy.load(from: layout) } catch let error as SpecError {
            throw ServiceFailure("the course policy cannot be used; nothing was collected:\n\(error)")
        }
        let roster: Roster
        do { roster = try Roster.load(layout.url(relative: policy.rosterPath), file: policy.rosterPath) } catch let error as SpecError {
            throw ServiceFailure("the roster is needed to match Moodle's participants; nothing was collected:\n\(error)")
        }
        let worksheet: MoodleWorksheet
        do { worksheet = try MoodleWorksheet.read(request.worksheet, file: request.worksheet.path, settings: policy.moodle, timeZone: policy.timeZone) } catch let error as SpecError {
            throw ServiceFailure("the grading worksheet cannot be used; nothing was collected:\n\(error)")
        }
        let gradebook = try Gradebook(path: gradebookPath)

        var unmatched: [String] = []
        let matches = Self.match(worksheet.rows, roster: roster, unmatched: &unmatched)
        let staging = layout.stateURL.appendingPathComponent("collect-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: staging) }
        let extracted = staging.appendingPathComponent("archive")
        let members: [SafeArchive.Member]
        do { members = try SafeArchive(url: request.archive).extract(into: extracted) } catch let refusal as SafeArchive.Refusal {
            throw ServiceFailure("the submissions archive is refused; nothing was collected: \(refusal)")
        }
        let rowsByParticipant = Dictionary(uniqueKeysWithValues: worksheet.rows.map { ($0.participantID, $0) })
        var files: [String: [(source: [String], relative: [String])]] = [:]
        var strayFolders: Set<String> = []
        for member in members {
            guard let place = MoodleSubmissionPath.parse(member.components) else {
                strayFolders.insert("'\(member.components[0])' in the archive is not named as Moodle names submissions (<full name>_<participant id>_assignsubmission_<plugin>)")
                continue
            }
            guard rowsByParticipant[place.participantID] != nil else {
                strayFolders.insert("'\(member.components[0])' in the archive: participant \(place.participantID) is not in the worksheet")
                continue
            }
            guard matches[place.participantID] != nil else { continue }  // its row is listed already
            files[place.participantID, default: []].append((member.components, place.relative))
        }
        unmatched += strayFolders.sorted()
        if !unmatched.isEmpty, !request.skipUnmatched {
            throw ServiceFailure("nothing was collected: \(unmatched.count) archive folder\(unmatched.count == 1 ? "" : "s") or worksheet row\(unmatched.count == 1 ? "" : "s") match no student "
                                 + "(fix the roster or pass --skip-unmatched to collect the others):\n" + ShortList.lines(unmatched).map { "  " + $0 }.joined(separator: "\n"))
        }

        // Every student's folder is staged whole before anything in the course changes.
        let fm = FileManager.default
        var staged: [(student: Roster.Student, row: MoodleWorksheet.Row, folder: URL, files: [String])] = []
        for (participant, student) in matches.sorted(by: { $0.value.id < $1.value.id }) {
            guard let list = files[participant] else { continue }
            let folder = staging.appendingPathComponent("students/\(student.id)")
            var written: [String] = []
            for (source, relative) in list {
                let target = relative.reduce(folder) { $0.appendingPathComponent($1) }
                let path = relative.joined(separator: "/")
                guard !fm.fileExists(atPath: target.path) else {
                    throw ServiceFailure("nothing was collected: participant \(participant) (\(student.id)) has two files at '\(path)' in the archive")
                }
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.moveItem(at: source.reduce(extracted) { $0.appendingPathComponent($1) }, to: target)
                written.append(path)
            }
            staged.append((student, rowsByParticipant[participant]!, folder, written.sorted()))
        }

        // Times first: they are facts of the course site whatever happens to the files.
        let times = matches.compactMap { participant, student in
            rowsByParticipant[participant]?.submittedAt.map {
                TrustedTime(studentID: student.id, assignmentID: request.practical, submittedAt: $0, source: SubmissionTimeSource.moodleWorksheet.rawValue, importedAt: now)
            }
        }
        let recorded = try gradebook.setTrustedTimes(times, actor: request.actor, at: now)

        let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "-")
        let replacedFolder = layout.stateURL.appendingPathComponent("replaced/\(request.practical)/\(stamp)")
        var collected: [Collected] = []
        for item in staged {
            let destination = layout.submissionsURL(request.practical).appendingPathComponent(item.student.id)
            var replaced = false
            if fm.fileExists(atPath: destination.path) {
                try fm.createDirectory(at: replacedFolder, withIntermediateDirectories: true)
                try fm.moveItem(at: destination, to: replacedFolder.appendingPathComponent(item.student.id))
                replaced = true
            }
            try fm.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.moveItem(at: item.folder, to: destination)
            collected.append(Collected(studentID: item.student.id, participantID: item.row.participantID, files: item.files,
                                       submittedAt: item.row.submittedAt, replaced: replaced))
        }
        let withFiles = Set(collected.map(\.studentID))
        let withoutFiles = matches.values.map(\.id).filter { !withFiles.contains($0) }.sorted()
        return Outcome(collected: collected, withoutFiles: withoutFiles, unmatched: unmatched, timesRecorded: recorded,
                       timesUnchanged: times.count - recorded, replacedFolder: collected.contains(where: \.replaced) ? replacedFolder : nil)
    }

    /// The roster student of each worksheet row, by participant id.
    ///
    /// A row with an email matches the roster student with that email, and no one else: its full name is
    /// never consulted, so a row named like a student cannot take their files. A row without an email
    /// (a worksheet downloaded without that identity field) matches by full name (case, accents and
    /// spacing aside) only when that name is unique among the worksheet's rows and among the roster's
    /// students. When several rows match one student, none of them is matched: a student never gets
    /// files from a row that may not be theirs. Rows that match no one, or a student claimed twice, are
    /// described in `unmatched`. Linear in the rows and the roster.
    static func match(_ rows: [MoodleWorksheet.Row], roster: Roster, unmatched: inout [String]) -> [String: Roster.Student] {
        func key(_ name: String) -> String {
            name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        func email(_ text: String) -> String { text.trimmingCharacters(in: .whitespaces).lowercased() }
        let byEmail = Dictionary(grouping: roster.students.filter { !$0.email.isEmpty }, by: { email($0.email) })
        let byName = Dictionary(grouping: roster.students, by: { key($0.name) })
        let namesInSheet = Dictionary(grouping: rows.map { key($0.fullName) }, by: { $0 }).mapValues(\.count)
        var claims: [String: [MoodleWorksheet.Row]] = [:]
        var order: [String] = []
        var problems: [String] = []
        for row in rows {
            let described = describe(row)
            let address = email(row.email)
            let candidates: [Roster.Student]
            if !address.isEmpty {
                candidates = byEmail[address] ?? []
                guard candidates.count == 1 else {
                    problems.append(candidates.isEmpty ? "\(described): no roster student has this email" : "\(described): \(candidates.count) roster students share this email")
                    continue
                }
            } else {
                let name = key(row.fullName)
                candidates = name.isEmpty ? [] : byName[name] ?? []
                guard candidates.count == 1, namesInSheet[name] == 1 else {
                    problems.append(candidates.isEmpty ? "\(described) has no email, and no roster student has this name"
                                     : "\(described) has no email, and its name is not unique (\(candidates.count) on the roster, \(namesInSheet[name] ?? 0) in the worksheet)")
                    continue
                }
            }
            let student = candidates[0]
            if claims[student.id] == nil { order.append(student.id) }
            claims[student.id, default: []].append(row)
        }
        var matches: [String: Roster.Student] = [:]
        let students = Dictionary(roster.students.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for id in order {
            let claimed = claims[id]!
            guard claimed.count == 1 else {
                unmatched.append("\(id) is matched by \(claimed.count) rows (\(claimed.map(describe).joined(separator: "; "))): none of them is collected for \(id)")
                continue
            }
            matches[claimed[0].participantID] = students[id]
        }
        // A student claimed twice first: it is what most needs a look.
        unmatched += problems
        return matches
    }

    /// A worksheet row in words, for messages.
    static func describe(_ row: MoodleWorksheet.Row) -> String {
        "worksheet line \(row.line), participant \(row.participantID) (\(row.fullName)\(row.email.isEmpty ? "" : ", \(row.email)"))"
    }
}
