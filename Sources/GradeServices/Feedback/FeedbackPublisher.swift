import Foundation
import Gradebook
import Grader
import Logging
import Outcomes
import SafeText
import StudentServices

/// Writes students' feedback (the text file and the HTML page) from the gradebook, without regrading:
/// after a grading run, and whenever a mark, an extension or an override changes a practical grade.
///
/// The files are `<state>/feedback/<assignment>/<student>.txt` and `.html`; each is replaced whole
/// (written aside, then moved), so a reader never sees half a page.
public struct FeedbackPublisher {
    /// The course.
    public let layout: CourseLayout
    /// The gradebook's path.
    public let gradebookPath: String
    /// The practicals that can be graded, whose check kinds the specs may use.
    public let registry: PracticalRegistry
    /// Where warnings go.
    public var logger = Logger(label: "grade")

    /// A publisher for the course at `layout`.
    public init(layout: CourseLayout, gradebookPath: String, registry: PracticalRegistry) {
        self.layout = layout
        self.gradebookPath = gradebookPath
        self.registry = registry
    }

    /// What publishing wrote.
    public struct Published: Sendable {
        /// The folder the files are in.
        public var folder: URL
        /// The students whose files were written, in order.
        public var students: [String]
        /// Students whose grade was recorded before reports were kept: their page holds the text feedback only.
        public var withoutReport: [String]
        /// The text of each student's feedback, as written.
        public var texts: [String: String]
        /// The page of each student, as written.
        public var pages: [String: String] = [:]
        /// The whole practical grade of each student written for, when the course computes it.
        public var standings: [String: PracticalStanding] = [:]
    }

    /// The folder of `assignment`'s feedback files.
    public func folder(_ assignment: String) -> URL { layout.stateURL.appendingPathComponent("feedback/\(assignment)") }

    /// Writes the feedback of every student with a grade for `assignment`, or of `students` only.
    public func publish(_ assignment: String, students: Set<String>? = nil) throws -> Published {
        try publish(assignment, students: students, course: courseRecords())
    }

    /// Writes the feedback of every student with a grade for `assignment`, or of `students` only, with the
    /// course's records as the caller has them (nil: a course without a policy or roster that can be read).
    /// The course grades are computed once, for the pages and the dashboards alike.
    public func publish(_ assignment: String, students: Set<String>? = nil, course: CourseRecords?) throws -> Published {
        let spec: AssignmentSpec
        do { spec = try SpecLoader.loadAssignment(at: layout.existingSpecURL(assignment), kinds: registry.checkKinds) } catch let error as SpecError {
            throw ServiceFailure("feedback cannot be written: the spec of \(assignment) cannot be read:\n\(error)")
        }
        let rubricURL = layout.root.appendingPathComponent("Rubrics/\(assignment).yaml")
        var rubric: Rubric?
        if FileManager.default.fileExists(atPath: rubricURL.path) {
            do { rubric = try SpecLoader.loadRubric(at: rubricURL, for: spec) } catch let error as SpecError {
                throw ServiceFailure("feedback cannot be written: the rubric of \(assignment) cannot be read:\n\(error)")
            }
        }
        let gradebook = try course?.gradebook ?? Gradebook(path: gradebookPath)
        let allGrades = try course.flatMap { $0.policy.practicals.isEmpty ? nil : try $0.grades() }
        let courseGrades = course?.policy.practical(assignment) == nil ? nil : allGrades
        let standings = try self.standings(assignment, rubric: rubric, records: course, grades: courseGrades)
        let timing = try self.timing(assignment, gradebook: gradebook, records: course)
        let folder = self.folder(assignment)
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw ServiceFailure(FileErrorText.sentence(error, .creatingFolder, path: folder.path))
        }
        var published = Published(folder: folder, students: [], withoutReport: [], texts: [:])
        var everyone: [Dashboard.Student] = []
        for grade in try gradebook.currentReports(assignmentID: assignment) {
            var report: RecordedReport?
            if let stored = grade.report {
                do { report = try RecordedReport.decode(stored) } catch {
                    logger.warning("warning: \(grade.studentID)'s recorded report of \(assignment) cannot be read (\(error)); their page shows the text feedback only")
                }
            }
            let standing = standings[grade.studentID]
            // Without a practical grade (not on the roster), the lateness alone, as grading wrote it.
            let lateness = standing == nil ? timing(grade) : nil
            everyone.append(Dashboard.Student(grade: grade, report: report, standing: standing))
            guard students?.contains(grade.studentID) ?? true else { continue }
            published.standings[grade.studentID] = standing
            let text: String
            if let report {
                text = FeedbackRenderer.render(report, spec: spec, rubric: rubric, timing: lateness, standing: standing)
            } else {
                published.withoutReport.append(grade.studentID)
                text = grade.feedback
            }
            let page = FeedbackPage.render(FeedbackPage.Content(spec: spec, studentID: grade.studentID, name: grade.name, gradedAt: grade.gradedAt,
                                                                report: report, recordedText: report == nil ? grade.feedback : nil, standing: standing,
                                                                timing: lateness))
            try write(text, to: folder.appendingPathComponent("\(grade.studentID).txt"))
            try write(page, to: folder.appendingPathComponent("\(grade.studentID).html"))
            published.students.append(grade.studentID)
            published.texts[grade.studentID] = text
            published.pages[grade.studentID] = page
        }
        // The dashboards, which every change to a grade touches.
        let graded = Set(everyone.map(\.grade.studentID))
        var withoutGrade: [GradeState: [String]] = [:]
        for row in courseGrades?.students ?? [] where !graded.contains(row.student.id) {
            // A part set by hand is settled whatever its state: it is no one's to chase.
            if let part = row.practicals.first(where: { $0.practicalID == assignment }), part.override == nil {
                withoutGrade[part.state, default: []].append(row.student.id)
            }
        }
        let scale = course.flatMap { $0.policy.practical(assignment) == nil ? nil : $0.policy.scale }
        try write(Dashboard.render(Dashboard.Practical(spec: spec, rubric: rubric, students: everyone, faults: try gradebook.unresolvedFaults(assignmentID: assignment),
                                                       withoutGrade: withoutGrade, scale: scale)),
                  to: folder.appendingPathComponent("index.html"))
        if let course { try writeCourseDashboard(course, grades: allGrades) }
        return published
    }

    /// When each recorded grade's work came in against its deadline (trusted times first, extensions
    /// included), for a practical of the course's policy; nil for every grade otherwise.
    func timing(_ assignment: String, gradebook: Gradebook, records: CourseRecords?) throws -> (RecordedGrade) -> SubmissionTiming? {
        guard let records, let practical = records.policy.practical(assignment) else { return { _ in nil } }
        let trusted = try AssignmentGrading.trustedTimes(gradebook, assignmentID: assignment)
        let extensions = Dictionary(try gradebook.extensions(assignmentID: assignment).map { ($0.studentID, $0.days) }, uniquingKeysWith: { $1 })
        return { grade in
            SubmissionTiming(trusted: trusted[grade.studentID], folder: grade.submittedAt, source: grade.submittedAtSource, practical: practical,
                             course: records.policy, extensionDays: extensions[grade.studentID] ?? 0)
        }
    }

    /// The course's policy, roster and gradebook, when the course has a policy and roster that can be read.
    func courseRecords() -> CourseRecords? {
        guard FileManager.default.fileExists(atPath: layout.coursePolicyURL.path) else { return nil }
        do { return try CourseRecords.load(layout: layout, gradebookPath: gradebookPath, registry: registry) } catch {
            logger.warning("warning: feedback shows no practical grade and no course dashboard is written: \(FileErrorText.describing(error))")
            return nil
        }
    }

    /// The course's dashboard, `<state>/feedback/index.html`, from `grades` when the caller has computed them.
    func writeCourseDashboard(_ records: CourseRecords, grades computed: CourseGrades? = nil) throws {
        guard !records.policy.practicals.isEmpty else { return }
        let grades = try computed ?? records.grades()
        let practicals = records.policy.practicals.map { practical in
            (practical.id, (try? SpecLoader.loadAssignment(at: layout.specURL(practical.id), kinds: registry.checkKinds).title) ?? practical.id)
        }
        let quiz = records.policy.quiz == nil ? nil : try? records.quizAnalysis().analysis
        let folder = layout.stateURL.appendingPathComponent("feedback")
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw ServiceFailure(FileErrorText.sentence(error, .creatingFolder, path: folder.path))
        }
        try write(Dashboard.render(Dashboard.Course(grades: grades, practicals: practicals, quiz: quiz, scale: records.policy.scale)),
                  to: folder.appendingPathComponent("index.html"))
    }

    /// Each enrolled student's whole grade for `assignment`, when the course policy lists it; none otherwise
    /// (a course without a policy or roster still gets its feedback, without the practical grade).
    func standings(_ assignment: String, rubric: Rubric?, records: CourseRecords?, grades: CourseGrades?) throws -> [String: PracticalStanding] {
        guard let rubric, let records, let grades, records.policy.practical(assignment) != nil else { return [:] }
        var comments: [String: [String: (Double, String?)]] = [:]
        for mark in try records.gradebook.manualMarks(assignmentID: assignment) { comments[mark.studentID, default: [:]][mark.itemID] = (mark.points, mark.comment) }
        var reasons: [String: String] = [:]
        for item in try records.gradebook.overrides() where item.target == assignment { reasons[item.studentID] = item.reason }
        var standings: [String: PracticalStanding] = [:]
        for student in grades.students {
            guard let grade = student.practicals.first(where: { $0.practicalID == assignment }), grade.state == .graded else { continue }
            let marks = rubric.manual.map { item in
                PracticalStanding.Mark(title: item.title, points: comments[student.student.id]?[item.id]?.0, maxPoints: item.points,
                                       comment: comments[student.student.id]?[item.id]?.1)
            }
            standings[student.student.id] = PracticalStanding(grade: grade, marks: marks, overrideReason: reasons[student.student.id],
                                                              scale: records.policy.scale, automaticMaxPoints: rubric.automaticPoints)
        }
        return standings
    }

    private func write(_ text: String, to url: URL) throws {
        do { try Data(text.utf8).write(to: url, options: .atomic) } catch {
            throw ServiceFailure(FileErrorText.sentence(error, .writing, path: url.path))
        }
    }
}
