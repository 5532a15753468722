import Foundation
import Testing
import TestTiers

/// What the commands say when a file or a practical is not what they need: what happened and what to do,
/// in the tool's words, never the system's ("NSCocoaErrorDomain error 512").
@Suite(.serialized, .integration) struct PlainMessagesTests {
    /// `grade arguments` run in `course`, with `--course` pointing at it.
    static func grade(_ arguments: [String], in course: URL) throws -> (status: Int32, output: String, errors: String) {
        try SelfCheckExitTests.grade(arguments + ["--course", course.path], in: course)
    }

    /// A copy of the course's specs, rubrics and roster (no samples, no gradebook).
    static func course() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grade-messages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Submissions"), withIntermediateDirectories: true)
        for folder in ["Assignments", "Rubrics", "Submissions/roster.csv"] {
            try FileManager.default.copyItem(at: EndToEndTests.repositoryRoot.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        return root
    }

    /// A zip archive holding one small file, at `url`.
    static func zip(at url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try Data("struct Solution {}\n".utf8).write(to: folder.appendingPathComponent("Solution.swift"))
        let zipped = try HandoutTests.run(URL(fileURLWithPath: "/usr/bin/env"), ["zip", "-q", url.path, "Solution.swift"], in: folder)
        try #require(zipped.status == 0, "zip: \(zipped.errors)")
    }

    @Test func aMistypedPracticalIsNamedWithTheCoursesPracticals() throws {
        let course = try Self.course()
        defer { try? FileManager.default.removeItem(at: course) }
        try Data("Identifier,Full name,Email address,Last modified (submission)\n".utf8).write(to: course.appendingPathComponent("w.csv"))
        let expected = "there is no practical 'practical4' in this course; its practicals are practical1, practical2, practical3"
        for arguments in [["practical4"], ["collect", "practical4", "--moodle-zip", "all.zip", "--worksheet", "w.csv"],
                          ["export", "--format", "moodle-worksheet", "--practical", "practical4", "--worksheet", "w.csv", "--out", "upload.csv"],
                          ["marks", "import", "practical4", "marks.csv", "--reason", "second reading"], ["handout", "practical4", "--out", "kit"], ["feedback", "practical4"]] {
            let run = try Self.grade(arguments, in: course)
            #expect(run.status == 1 && run.errors == "Error: \(expected)\n", "grade \(arguments.joined(separator: " ")): \(run.errors)")
        }
        let local = try Self.grade(["--local", "practical4"], in: course)
        #expect(local.status == 3 && local.errors == "error: \(expected)\n", "\(local.errors)")
    }

    @Test func aMissingArchiveIsSaidToBeMissing() throws {
        let course = try Self.course()
        defer { try? FileManager.default.removeItem(at: course) }
        try Data("Identifier,Full name,Email address,Last modified (submission)\n".utf8).write(to: course.appendingPathComponent("w.csv"))
        let run = try Self.grade(["collect", "practical1", "--moodle-zip", "missing.zip", "--worksheet", "w.csv"], in: course)
        #expect(run.status == 1)
        #expect(run.errors == "Error: nothing was collected: cannot read \(course.path)/missing.zip: there is no such file; check the path\n", "\(run.errors)")
    }

    @Test func anArchiveAndAWorksheetGivenTheWrongWayRoundAreSaidToBeSwapped() throws {
        let course = try Self.course()
        defer { try? FileManager.default.removeItem(at: course) }
        try Data("Identifier,Full name,Email address,Last modified (submission)\n".utf8).write(to: course.appendingPathComponent("w.csv"))
        try Self.zip(at: course.appendingPathComponent("all.zip"))
        let swapped = try Self.grade(["collect", "practical1", "--moodle-zip", "w.csv", "--worksheet", "all.zip"], in: course)
        #expect(swapped.status == 1)
        #expect(swapped.errors == """
            Error: nothing was collected: the archive and the worksheet look swapped (\(course.path)/all.zip is a zip archive, \(course.path)/w.csv is not): \
            give Moodle's archive with --moodle-zip and the worksheet (CSV) with --worksheet

            """, "\(swapped.errors)")
        // An archive given for both: the worksheet is said not to be one.
        let twice = try Self.grade(["collect", "practical1", "--moodle-zip", "all.zip", "--worksheet", "all.zip"], in: course)
        #expect(twice.errors.hasSuffix("""
            \(course.path)/all.zip: error: this is a zip archive, not a grading worksheet: give the CSV file of Moodle's "Download grading worksheet"

            """), "\(twice.errors)")
        // A worksheet given for both: the archive is said not to be one.
        let csvTwice = try Self.grade(["collect", "practical1", "--moodle-zip", "w.csv", "--worksheet", "w.csv"], in: course)
        #expect(csvTwice.errors == """
            Error: nothing was collected: \(course.path)/w.csv is not a zip archive (its first bytes are not a zip file's): \
            give the archive of Moodle's "Download all submissions"

            """, "\(csvTwice.errors)")
    }

    @Test func anOutputThatIsAFolderOrInAMissingFolderIsSaidToBe() throws {
        let course = try Self.course()
        defer { try? FileManager.default.removeItem(at: course) }
        try FileManager.default.createDirectory(at: course.appendingPathComponent("exports"), withIntermediateDirectories: true)
        // --partial: nothing is graded in this course, so a plain export would refuse before writing.
        let folder = try Self.grade(["export", "--format", "gradebook", "--partial", "--out", "exports"], in: course)
        #expect(folder.status == 1)
        #expect(folder.errors.hasSuffix("Error: cannot write exports: it is a folder, not a file; give the path of a file to write, such as exports/<name>\n"),
                "\(folder.errors)")
        let missing = try Self.grade(["export", "--format", "gradebook", "--partial", "--out", "nowhere/grades.csv"], in: course)
        #expect(missing.errors.hasSuffix("Error: cannot write nowhere/grades.csv: the folder \(course.path)/nowhere does not exist; create it first, or choose another place\n"),
                "\(missing.errors)")
        let underAFile = try Self.grade(["handout", "practical1", "--out", "Rubrics/course.yaml/kit"], in: course)
        #expect(underAFile.errors == "Error: cannot create the folder \(course.path)/Rubrics/course.yaml/kit: \(course.path)/Rubrics/course.yaml is a file, not a folder; check the path\n",
                "\(underAFile.errors)")
    }

    @Test func aHandoutFromAReleaseBuildSaysToBuildTheStudentGraderForRelease() throws {
        // The instructor's grade alone in a release build's folder: its grade-student is not built there.
        let build = FileManager.default.temporaryDirectory.appendingPathComponent("grade-release-\(UUID().uuidString)/release")
        try FileManager.default.createDirectory(at: build, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: build.deletingLastPathComponent()) }
        try FileManager.default.copyItem(at: FaultToleranceTests.gradeExecutable, to: build.appendingPathComponent("grade"))
        let course = try Self.course()
        defer { try? FileManager.default.removeItem(at: course) }
        let run = try HandoutTests.run(build.appendingPathComponent("grade"), ["handout", "practical1", "--out", "kit", "--course", course.path], in: course)
        #expect(run.status == 1)
        #expect(run.errors == """
            Error: the student grader is not built: there is no \(build.path)/grade-student; build it with \
            `swift build -c release --product grade-student` and run grade handout again

            """, "\(run.errors)")
    }
}
