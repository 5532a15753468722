import CourseDrivers
import Foundation
import Gradebook
import GradeServices
import Grader
import Outcomes
import StudentServices
import Testing
import ZIPFoundation

/// Moodle in and out, on fixtures written from Moodle's formats as its documentation and code give them
/// (README, "Moodle's files"): the "Download all submissions" archive (folders or flat names
/// `<full name>_<participant id>_assignsubmission_file_…`) and the grading worksheet (Identifier
/// "Participant <id>", dates as `userdate` writes them, "-" for none).
@Suite(.serialized) struct MoodleTests {
    static let header = "Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,Last modified (submission),Last modified (grade),Feedback comments"

    /// The toy course's worksheet: Rita on time, Will two days late, Ada without a submission.
    static let worksheet = """
        \(header)
        Participant 5001,Rita Right,rita@example.edu,Submitted for grading,,100.00,Yes,"Sunday, 18 October 2026, 6:00 PM",-,
        Participant 5002,Will Wrong,will@example.edu,Submitted for grading,,100.00,Yes,"Wednesday, 21 October 2026, 6:00 PM","Monday, 26 October 2026, 9:00 AM",
        Participant 5003,Ada Absent,ada@example.edu,No submission,,100.00,Yes,-,-,

        """

    /// A zip of `entries` (path → contents; a nil content is a symbolic link to "/etc/passwd").
    static func archive(_ entries: [(String, String?)], in folder: URL, name: String = "all.zip") throws -> URL {
        let url = folder.appendingPathComponent(name)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, text) in entries {
            let data = Data((text ?? "/etc/passwd").utf8)
            try archive.addEntry(with: path, type: text == nil ? .symlink : .file, uncompressedSize: Int64(data.count), compressionMethod: text == nil ? .none : .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return url
    }

    /// The toy course without its submission folders, the worksheet, and Moodle's archive of the two
    /// submissions: Rita's in a folder, Will's flat; each with a `submission.yaml` claiming an earlier time.
    static func collectable(extra: [(String, String?)] = [], worksheet: String = worksheet) throws -> (records: CourseRecords, archive: URL, worksheet: URL) {
        let records = try CourseRecordsTests.course()
        try FileManager.default.removeItem(at: records.layout.submissionsURL("toy"))
        let root = records.layout.root
        let sheet = root.appendingPathComponent("worksheet.csv")
        try Data(worksheet.utf8).write(to: sheet)
        let zip = try archive([
            ("Rita Right_5001_assignsubmission_file_/Solution.swift", "struct Solution: Doubling { func double(_ x: Double) -> Double { x + x } }\n"),
            ("Rita Right_5001_assignsubmission_file_/submission.yaml", "submitted_at: 2026-10-01T10:00:00+02:00\n"),
            ("Will Wrong_5002_assignsubmission_file_Solution.swift", "struct Solution: Doubling { func double(_ x: Double) -> Double { 2 * x + 1 } }\n"),
            ("Will Wrong_5002_assignsubmission_file_submission.yaml", "submitted_at: 2026-10-10T10:00:00+02:00\n"),
        ] + extra, in: root)
        return (records, zip, sheet)
    }

    static func collection(_ records: CourseRecords) -> MoodleCollection {
        MoodleCollection(layout: records.layout, gradebookPath: records.gradebookPath)
    }

    @Test func moodlesNamesGiveTheParticipantAndThePathInBothLayouts() {
        #expect(MoodleSubmissionPath.parse(["Rita Right_5001_assignsubmission_file_", "src", "Solution.swift"])
                == MoodleSubmissionPath(participantID: "5001", name: "Rita Right", plugin: "file", relative: ["src", "Solution.swift"]))
        #expect(MoodleSubmissionPath.parse(["Will Wrong_5002_assignsubmission_file_Solution.swift"])?.relative == ["Solution.swift"])
        #expect(MoodleSubmissionPath.parse(["Jean-Marie Le Pen 2_77_assignsubmission_onlinetext_onlinetext.html"])?.participantID == "77")
        #expect(MoodleSubmissionPath.parse(["Participant_123_assignsubmission_file_", "a.swift"])?.name == "Participant")
        #expect(MoodleSubmissionPath.parse(["Ada Martin_381204_assignsubmission_file", "main.swift"])?.relative == ["main.swift"], "Moodle 4.1's folders end without '_'")
        #expect(MoodleSubmissionPath.parse(["notes.txt"]) == nil)
        #expect(MoodleWorksheet.participantID("Participant 123456") == "123456" && MoodleWorksheet.participantID("Participant123456") == "123456")
        #expect(MoodleWorksheet.participantID("123456") == nil && MoodleWorksheet.participantID("Participant") == nil)
        #expect(MoodleSubmissionPath.parse(["Rita Right_5001_assignsubmission_file_"]) == nil, "a folder name alone is no file")
    }

    @Test func collectGradeAndExportMakeTheRoundTripMoodleExpects() throws {
        let (records, zip, sheet) = try Self.collectable()
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let outcome = try Self.collection(records).run(MoodleCollection.Request(practical: "toy", archive: zip, worksheet: sheet), now: now)
        #expect(outcome.collected.map(\.studentID) == ["right", "wrong"] && outcome.unmatched.isEmpty && outcome.withoutFiles == ["absent"])
        #expect(outcome.collected.map(\.files) == [["Solution.swift", "submission.yaml"], ["Solution.swift", "submission.yaml"]])
        #expect(outcome.timesRecorded == 2 && outcome.timesUnchanged == 0)
        // Collected again: the same times are already recorded, and the outcome says so rather than "0 recorded".
        let again = try Self.collection(records).run(MoodleCollection.Request(practical: "toy", archive: zip, worksheet: sheet), now: now)
        #expect(again.timesRecorded == 0 && again.timesUnchanged == 2 && again.collected.allSatisfy(\.replaced))
        let folder = records.layout.submissionsURL("toy")
        #expect(try String(contentsOf: folder.appendingPathComponent("wrong/Solution.swift"), encoding: .utf8).contains("2 * x + 1"))
        // The files' dates say nothing either: make them all ancient.
        for student in ["right", "wrong"] {
            for file in ["Solution.swift", "submission.yaml"] {
                try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 0)], ofItemAtPath: folder.appendingPathComponent("\(student)/\(file)").path)
            }
        }

        let grading = AssignmentGrading(layout: records.layout, gradebookPath: records.gradebookPath, registry: records.registry)
        let graded = try grading.run(AssignmentGrading.Request(assignment: "toy", jobs: 1))
        #expect(graded.failures.isEmpty)
        #expect(graded.timings["wrong"]?.source == .moodleWorksheet && graded.timings["wrong"]?.lateness.daysLate == 2)
        let grades = try records.grades()
        let parts = Dictionary(uniqueKeysWithValues: grades.students.map { ($0.student.id, $0.practicals[0]) })
        // Backdated submission.yaml (1 and 10 October) changes nothing: the worksheet's times decide.
        #expect(parts["right"]?.timing?.source == .moodleWorksheet && parts["right"]?.timing?.lateness.isLate == false)
        #expect(parts["wrong"]?.timing?.lateness.daysLate == 2)
        #expect(grades.untrustedTimes.isEmpty)
        // Rita: 4 automatic of 8 → 10 / 20, on time.
        #expect(parts["right"]?.grade == 10)

        let worksheet = try MoodleWorksheet.read(sheet, settings: records.policy.moodle, timeZone: records.policy.timeZone)
        // Neither report is marked: their practical grades do not count yet, and the worksheet is refused, naming them.
        let refusal = #expect(throws: ServiceFailure.self) {
            try MoodleExport.worksheet(worksheet, practical: "toy", grades: grades, roster: records.roster, policy: records.policy, now: now)
        }
        #expect(refusal?.description.contains("  right: toy (report not marked (report))\n  wrong: toy (report not marked (report))") == true, "\(String(describing: refusal))")
        #expect(refusal?.description.contains("pass --partial to leave them out (blank cells, worksheet rows as Moodle wrote them; never 0)") == true)
        // A partial upload writes Ada's 0 (nothing handed in) and leaves the two rows as Moodle wrote them, which its import skips.
        let partial = try MoodleExport.worksheet(worksheet, practical: "toy", grades: grades, roster: records.roster, policy: records.policy, partial: true, now: now)
        #expect(partial.written == ["absent"])
        #expect(partial.leftOut == ["right: toy pending (report not marked (report)); the row is left as it was",
                                    "wrong: toy pending (report not marked (report)); the row is left as it was"])
        let partialBack = try CSVTable.parse(String(decoding: partial.data, as: UTF8.self), file: "partial.csv", multilineFields: true)
        let gradeColumn = try #require(partialBack.column("Grade"))
        #expect(partialBack.records.map { $0.fields[gradeColumn] } == ["", "", "0.00"])

        // With the reports marked (Rita 0 by hand, Will's overridden), every row is written.
        _ = try records.setMark("toy", student: "right", item: "report", points: "0", reason: "no report", actor: "t")
        _ = try records.setMark("toy", student: "wrong", item: "report", points: "0", reason: "no report", actor: "t")
        let marked = try records.grades()
        let export = try MoodleExport.worksheet(worksheet, practical: "toy", grades: marked, roster: records.roster, policy: records.policy, now: now)
        #expect(export.written == ["absent", "right", "wrong"] && export.leftOut.isEmpty)
        // What Moodle's importer reads back: the same header and identifiers, a number within Maximum Grade, a readable modification time.
        let back = try CSVTable.parse(String(decoding: export.data, as: UTF8.self), file: "export.csv", multilineFields: true)
        #expect(back.header == Self.header.split(separator: ",").map(String.init))
        let column = { (name: String) in try #require(back.column(name)) }
        let (identifier, grade, comment, modified) = (try column("Identifier"), try column("Grade"), try column("Feedback comments"), try column("Last modified (grade)"))
        #expect(back.records.map { $0.fields[identifier] } == ["Participant 5001", "Participant 5002", "Participant 5003"])
        #expect(back.records.map { $0.fields[grade] } == ["50.00", "0.00", "0.00"])
        #expect(back.records[0].fields[comment] == "Automatic checks 4, report 0: 10/20; practical grade 10/20")
        #expect(back.records[2].fields[comment] == "No submission; practical grade 0/20")
        // The grade's modification time is kept (Moodle's own check that nobody graded in Moodle since the download).
        #expect(back.records.map { $0.fields[modified] } == ["-", "Monday, 26 October 2026, 9:00 AM", "-"])
        #expect(back.records[0].fields[try column("Last modified (submission)")] == "Sunday, 18 October 2026, 6:00 PM", "Moodle's own cells unchanged")

        let feedback = try MoodleExport.feedbackArchive(worksheet, roster: records.roster, feedback: try records.gradebook.currentFeedback(assignmentID: "toy"))
        #expect(feedback.written == ["right", "wrong"])
        let entries = Array(try Archive(data: feedback.data, accessMode: .read))
        #expect(entries.map(\.path) == ["Rita Right_5001_assignsubmission_file/feedback.txt", "Will Wrong_5002_assignsubmission_file/feedback.txt"])
        #expect(entries.compactMap { MoodleSubmissionPath.parse($0.path.split(separator: "/").map(String.init))?.participantID } == ["5001", "5002"])

        // With the feedback as it stands now: each student's text and page, written again from the gradebook.
        let published = try #require(try records.refreshFeedback("toy"))
        #expect(published.texts["right"]?.contains("Your grade for this practical") == true)
        let withPages = try MoodleExport.feedbackArchive(worksheet, roster: records.roster, feedback: published.texts, pages: published.pages)
        let both = Array(try Archive(data: withPages.data, accessMode: .read))
        #expect(both.map(\.path) == ["Rita Right_5001_assignsubmission_file/feedback.txt", "Rita Right_5001_assignsubmission_file/feedback.html",
                                     "Will Wrong_5002_assignsubmission_file/feedback.txt", "Will Wrong_5002_assignsubmission_file/feedback.html"])
    }

    @Test func unmatchedFoldersAndRowsAreListedAndNothingIsWrittenUnlessSkipped() throws {
        let sheet = Self.worksheet + "Participant 5009,Zed Unknown,zed@example.edu,Submitted for grading,,100.00,Yes,\"Sunday, 18 October 2026, 6:00 PM\",-,\n"
        let (records, zip, worksheet) = try Self.collectable(extra: [("Someone Else_4242_assignsubmission_file_/Solution.swift", "let x = 1\n")], worksheet: sheet)
        let request = MoodleCollection.Request(practical: "toy", archive: zip, worksheet: worksheet)
        #expect {
            _ = try Self.collection(records).run(request)
        } throws: { error in
            let text = "\(error)"
            return text.contains("participant 5009 (Zed Unknown, zed@example.edu): no roster student has this email") && text.contains("participant 4242 is not in the worksheet")
        }
        #expect(!FileManager.default.fileExists(atPath: records.layout.submissionsURL("toy").path))
        #expect(try records.gradebook.trustedTimes(assignmentID: "toy").isEmpty)

        var skipping = request
        skipping.skipUnmatched = true
        let outcome = try Self.collection(records).run(skipping)
        #expect(outcome.collected.map(\.studentID) == ["right", "wrong"] && outcome.unmatched.count == 2)
    }

    /// Rows named like a student but not theirs: a row with an email matches by email alone, a row without one by a
    /// name unique in the worksheet and the roster, and a student claimed twice gets nothing. No one's files go to another.
    @Test func aRowNamedLikeAStudentNeverTakesTheirFiles() throws {
        let header = Self.header
        let impostors = """
            \(header)
            Participant 5007,Rita Right,someone.else@example.org,Submitted for grading,,100.00,Yes,"Tuesday, 20 October 2026, 6:00 PM",-,
            Participant 5008,Rita Right,,Submitted for grading,,100.00,Yes,"Tuesday, 20 October 2026, 7:00 PM",-,
            Participant 5001,Rita Right,rita@example.edu,Submitted for grading,,100.00,Yes,"Sunday, 18 October 2026, 6:00 PM",-,
            Participant 5002,Will Wrong,will@example.edu,Submitted for grading,,100.00,Yes,"Wednesday, 21 October 2026, 6:00 PM",-,

            """
        let (records, zip, sheet) = try Self.collectable(extra: [("Rita Right_5007_assignsubmission_file_/Solution.swift", "// not Rita's\n"),
                                                                 ("Rita Right_5008_assignsubmission_file_/Solution.swift", "// not Rita's either\n")],
                                                         worksheet: impostors)
        let request = MoodleCollection.Request(practical: "toy", archive: zip, worksheet: sheet, skipUnmatched: true)
        let outcome = try Self.collection(records).run(request)
        #expect(outcome.collected.map(\.studentID) == ["right", "wrong"] && outcome.collected.map(\.participantID) == ["5001", "5002"])
        let rita = try String(contentsOf: records.layout.submissionsURL("toy").appendingPathComponent("right/Solution.swift"), encoding: .utf8)
        #expect(rita.contains("x + x") && !rita.contains("not Rita's"))
        #expect(outcome.unmatched.contains("worksheet line 2, participant 5007 (Rita Right, someone.else@example.org): no roster student has this email"))
        #expect(outcome.unmatched.contains("worksheet line 3, participant 5008 (Rita Right) has no email, and its name is not unique (1 on the roster, 3 in the worksheet)"))
        // Rita's trusted time is her own row's, not an impostor's.
        let times = try records.gradebook.trustedTimes(assignmentID: "toy")
        #expect(times.first { $0.studentID == "right" }?.submittedAt == ISO8601DateFormatter().date(from: "2026-10-18T18:00:00+02:00"))
    }

    @Test func twoRowsClaimingOneStudentGiveThemNothingAndLongListsAreShort() throws {
        var sheet = Self.header + "\n"
        sheet += "Participant 5001,Rita Right,rita@example.edu,Submitted for grading,,100.00,Yes,\"Sunday, 18 October 2026, 6:00 PM\",-,\n"
        sheet += "Participant 5011,Rita R.,RITA@example.edu ,Submitted for grading,,100.00,Yes,\"Sunday, 18 October 2026, 7:00 PM\",-,\n"
        for i in 0..<120 { sheet += "Participant \(6000 + i),Nobody \(i),nobody\(i)@example.org,No submission,,100.00,Yes,-,-,\n" }
        let (records, zip, worksheet) = try Self.collectable(worksheet: sheet)
        let failure = #expect(throws: ServiceFailure.self) {
            try Self.collection(records).run(MoodleCollection.Request(practical: "toy", archive: zip, worksheet: worksheet))
        }
        let lines = failure?.description.components(separatedBy: "\n") ?? []
        #expect(lines.contains { $0.contains("right is matched by 2 rows") && $0.contains("none of them is collected for right") }, "\(lines.prefix(3))")
        // 123 in all: the 120 rows of no one, the student claimed twice, Rita's folder (her row is not matched) and Will's (no row).
        #expect(lines.count == 1 + ShortList.shown + 1 && lines.last == "  … and \(123 - ShortList.shown) more", "\(lines.suffix(2))")
        let outcome = try Self.collection(records).run(MoodleCollection.Request(practical: "toy", archive: zip, worksheet: worksheet, skipUnmatched: true))
        #expect(!outcome.collected.contains { $0.studentID == "right" })
    }

    @Test func hostileArchivesAreRefusedWholeAndLeaveNothingBehind() throws {
        for (entry, reason) in [(("../../escape.swift", "let x = 1\n" as String?), "could reach outside"),
                                (("/etc/cron.d/job", "x"), "absolute path"),
                                (("Rita Right_5001_assignsubmission_file_/link.swift", nil), "symbolic link"),
                                (("Rita Right_5001_assignsubmission_file_/..\\..\\x.swift", "x"), "backslash")] {
            let (records, zip, sheet) = try Self.collectable(extra: [entry])
            #expect {
                _ = try Self.collection(records).run(MoodleCollection.Request(practical: "toy", archive: zip, worksheet: sheet, skipUnmatched: true))
            } throws: { error in "\(error)".contains(reason) }
            #expect(!FileManager.default.fileExists(atPath: records.layout.submissionsURL("toy").path), "\(entry.0)")
            #expect(!FileManager.default.fileExists(atPath: records.layout.root.deletingLastPathComponent().appendingPathComponent("escape.swift").path))
            #expect(try records.gradebook.trustedTimes(assignmentID: "toy").isEmpty)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: records.layout.stateURL.path).filter { $0.hasPrefix("collect-") }
            #expect(leftovers.isEmpty)
        }
    }

    @Test func aZipBombStopsAtTheCapWhateverItDeclares() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grade-bomb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let zeros = String(repeating: "0", count: 1 << 20)
        let zip = try Self.archive((0..<3).map { ("Rita Right_5001_assignsubmission_file_/part\($0).txt", zeros) }, in: folder)
        var limits = SafeArchive.Limits()
        limits.fileBytes = 512 << 10
        #expect { _ = try SafeArchive(url: zip, limits: limits).extract(into: folder.appendingPathComponent("out")) } throws: { "\($0)".contains("inflates to more than") }
        limits = SafeArchive.Limits()
        limits.totalBytes = 2 << 20
        #expect { _ = try SafeArchive(url: zip, limits: limits).extract(into: folder.appendingPathComponent("out")) } throws: { "\($0)".contains("the archive inflates") }
        limits = SafeArchive.Limits()
        limits.files = 2
        #expect { _ = try SafeArchive(url: zip, limits: limits).extract(into: folder.appendingPathComponent("out")) } throws: { "\($0)".contains("more than 2 files") }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        #expect(try SafeArchive(url: zip).extract(into: folder.appendingPathComponent("out")).map(\.size) == [1 << 20, 1 << 20, 1 << 20])
    }

    @Test func aFrenchWorksheetIsReadThroughThePolicysHeadersAndDates() throws {
        var settings = MoodleSettings()
        settings.locale = "fr_FR"
        settings.dateFormats = ["EEEE d MMMM yyyy, HH:mm"]
        settings.headers = ["Identifiant": "Identifier", "Nom complet": "Full name", "Adresse de courriel": "Email address",
                            "Dernière modification (travail remis)": "Last modified (submission)"]
        let text = """
            Identifiant,Nom complet,Adresse de courriel,Statut,Note,Dernière modification (travail remis)
            Participant 5001,Rita Right,rita@example.edu,Remis pour évaluation,,"dimanche 18 octobre 2026, 18:00"
            """
        let zone = TimeZone(identifier: "Europe/Paris")!
        let sheet = try MoodleWorksheet(table: try CSVTable.parse(text, file: "fr.csv"), settings: settings, timeZone: zone)
        #expect(sheet.rows.first?.participantID == "5001" && sheet.rows.first?.email == "rita@example.edu")
        #expect(sheet.rows.first?.submittedAt == ISO8601DateFormatter().date(from: "2026-10-18T16:00:00Z"))
        // Without the mapping the columns are not found, and the message says how to map them.
        #expect {
            _ = try MoodleWorksheet(table: try CSVTable.parse(text, file: "fr.csv"), settings: MoodleSettings(), timeZone: zone)
        } throws: { "\($0)".contains("the header has no 'Identifier' column") && "\($0)".contains("moodle: {headers: …}") }
    }

    /// A worksheet with thousands of bad rows is reported in a screen: the first problems, then how many rows were not read.
    @Test func aWorksheetOfManyBadRowsIsReportedInAScreen() throws {
        var text = Self.header + "\n"
        for i in 0..<5_000 { text += "Participant \(7000 + i),N \(i),n\(i)@example.org,Submitted,,100.00,Yes,not a date,-,\n" }
        #expect {
            _ = try MoodleWorksheet(table: try CSVTable.parse(text, file: "big.csv", multilineFields: true), settings: MoodleSettings(),
                                    timeZone: TimeZone(identifier: "Europe/Paris")!)
        } throws: { error in
            guard let error = error as? SpecError else { return false }
            return error.diagnostics.count == ShortList.shown + 1
                && error.diagnostics.last?.message == "\(5_000 - ShortList.shown) more rows not read after the first \(ShortList.shown) problems"
        }
    }

    /// A worksheet far larger than any course's is refused before it is read, with what it is.
    @Test func aWorksheetLargerThanAnyCoursesIsRefusedUnread() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("grade-huge-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(Self.header.utf8).write(to: url)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(CSVTable.maximumBytes) + 1)
        try handle.close()
        #expect {
            _ = try MoodleWorksheet.read(url, file: "huge.csv", settings: MoodleSettings(), timeZone: TimeZone(identifier: "Europe/Paris")!)
        } throws: { error in
            "\(error)" == "huge.csv: error: the file is \(CSVTable.maximumBytes + 1) bytes; a course's CSV files (a roster, report marks, quiz responses, a grading worksheet) "
                + "are far smaller, and at most 32 MB are read: is it the right file?"
        }
    }
}
