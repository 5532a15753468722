import ArgumentParser
import Foundation
import GradeServices
import Gradebook
import Grader
import StudentCLI

/// `grade <assignment>` (instructor) and `grade --local [assignment]` (student).
struct GradeAssignmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Grade every submission of an assignment, or (with --local) self-check the current folder.",
        discussion: """
            Without --local, every folder of Submissions/<assignment>/ is built and run on the public and hidden \
            cases, scored with Rubrics/<assignment>.yaml and recorded in the gradebook. A submission whose sources, \
            spec, rubric and grader version are unchanged since it was last graded is not graded again (use --force).
            With --local, the .swift files of the current folder run on the public cases only; nothing is recorded. \
            It exits with 0 when every public case passes, 1 when some fail, 2 when the code does not build, and 3 \
            when the check cannot run at all (a problem of the machine or the course folder, not of the code).
            """
    )

    @Argument(help: ArgumentHelp("The assignment id, such as practical1.", valueName: "assignment"))
    var assignment: String?

    @Flag(name: .long, help: "Self-check the .swift files of the current folder on the public cases; record nothing.")
    var local = false

    @Option(name: .long, help: ArgumentHelp("Grade only this student's folder; repeat it for several students.", valueName: "id"))
    var student: [String] = []

    @Flag(name: .long, help: "Regrade submissions even when nothing changed since they were last graded.")
    var force = false

    @Option(name: .long, help: ArgumentHelp("How many submissions to grade at once (default: the number of cores).", valueName: "n"))
    var jobs: Int?

    @OptionGroup var saveCase: SaveCaseOptions

    @Flag(name: .long, help: "Print every student's full feedback after the table, including those unchanged since last graded.")
    var feedback = false

    @Option(name: .long, help: ArgumentHelp("Order the table by student id or by total, highest first (default: id).", valueName: "id|total"))
    var sort: GradingTable.Order = .id

    @Flag(name: .long, help: "Print the results as JSON instead of the table or feedback (for scripts).")
    var json = false

    @Flag(name: .long, help: "Show what each submission's grading is doing (check, case, a training call's CPU time) every few seconds on standard error, even when it is not a terminal.")
    var progress = false

    @Flag(name: .long, help: "Grade even when bubblewrap is unavailable, so submissions are not cut off from the network and the file system.")
    var allowUnsandboxed = false

    @OptionGroup var courseOptions: CourseOptions

    func validate() throws {
        if let assignment, !IdentifierRules.isSpecID(assignment) {
            throw ValidationError("'\(assignment)' is not an assignment id (lowercase letters, digits and '-', such as practical1)")
        }
        if !local && assignment == nil {
            throw ValidationError("name the assignment to grade, such as `grade practical1`, or use `grade --local` to self-check")
        }
        if local && !student.isEmpty { throw ValidationError("--student grades folders of a course; with --local the current folder is graded") }
        if local && force { throw ValidationError("--force applies to recorded grades; --local records nothing") }
        if local && progress { throw ValidationError("--progress shows the progress of a grading run of a course, not of --local") }
        if json && feedback { throw ValidationError("--json holds every case's message already; leave out --feedback") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if saveCase.isGiven && !local { throw ValidationError("--case and --save save a public case for a student: use them with --local") }
        try saveCase.check(json: json)
        for id in student where !IdentifierRules.isStudentID(id) {
            throw ValidationError("'\(id)' is not a student id: ids are folder names without '/', quotes, spaces, commas or semicolons")
        }
    }

    func run() throws {
        if local, let (name, file) = saveCase.request {
            try LocalCheck(assignment: assignment, json: false, course: courseOptions.course).save(name, to: file)
        } else if local {
            try LocalCheck(assignment: assignment, json: json, course: courseOptions.course).run()
        } else {
            try InstructorGrading(assignment: assignment ?? "", students: student, force: force,
                                  jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                  printFeedback: feedback, order: sort, json: json, showProgress: progress, allowUnsandboxed: allowUnsandboxed,
                                  courseOptions: courseOptions).run()
        }
    }
}

extension GradingTable.Order: ExpressibleByArgument {}
