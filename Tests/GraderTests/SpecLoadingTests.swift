import Foundation
import Grader
import Testing

/// Loading and validating assignment specs and rubrics: every field of a valid pair, and every
/// diagnostic of malformed files pinned to its line.
@Suite struct SpecLoadingTests {
    /// The YAML fixtures next to this file, found without declaring resources in Package.swift.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/Specs")

    static func fixture(_ path: String) -> URL { fixtures.appendingPathComponent(path) }

    static func validSpec() throws -> AssignmentSpec {
        try SpecLoader.loadAssignment(at: fixture("Assignments/practical1.yaml"))
    }

    /// One expected diagnostic: its line, severity and a fragment of its message.
    struct Expected: CustomStringConvertible {
        var line: Int
        var severity: Diagnostic.Severity = .error
        var fragment: String
        var description: String { "\(line): \(severity.rawValue): …\(fragment)…" }
    }

    /// Checks that `diagnostics` are exactly `expected`, in order: same count, and each on its line with its fragment.
    func expectDiagnostics(_ diagnostics: [Diagnostic], _ expected: [Expected], file: String? = nil,
                           sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(diagnostics.count == expected.count, "got:\n\(diagnostics.map(\.description).joined(separator: "\n"))",
                sourceLocation: sourceLocation)
        for (diagnostic, expected) in zip(diagnostics, expected) {
            #expect(diagnostic.location?.line == expected.line, "\(diagnostic) should be at line \(expected.line)", sourceLocation: sourceLocation)
            #expect(diagnostic.severity == expected.severity, "\(diagnostic)", sourceLocation: sourceLocation)
            #expect(diagnostic.message.contains(expected.fragment), "\(diagnostic) should contain \(expected.fragment)", sourceLocation: sourceLocation)
            if let file { #expect(diagnostic.location?.file == file, "\(diagnostic)", sourceLocation: sourceLocation) }
        }
    }

    // MARK: Valid files

    @Test func validSpecLoadsEveryField() throws {
        let url = Self.fixture("Assignments/practical1.yaml")
        let result = SpecLoader.diagnoseAssignment(at: url)
        #expect(result.diagnostics.isEmpty, "\(result)")
        let spec = try #require(result.value)

        #expect(spec.id == "practical1")
        #expect(spec.title == "Practical 1: gradient descent, Newton's method and the perceptron")
        #expect(spec.protocolName == "Practical1")
        #expect(spec.session == CourseDate(year: 2026, month: 10, day: 5))
        #expect(spec.due == CourseDate(year: 2026, month: 10, day: 19))
        #expect(spec.location == Grader.SourceLocation(file: url.path, line: 2, column: 1))
        #expect(spec.defaults.tolerance == Tolerance(absolute: 1.0e-9, relative: 1.0e-6))
        #expect(spec.defaults.timeoutSeconds == 10)
        #expect(spec.defaults.location.line == 8)
        #expect(spec.tasks.map(\.id) == ["numerical-gradient", "newton"])
        #expect(spec.tasks.map(\.title) == ["Numerical gradient by central differences", "Newton's method"])
        #expect(spec.tasks.map(\.location.line) == [11, 29])
        #expect(spec.allChecks.map { "\($0.task.id)/\($0.check.id)" }
                == ["numerical-gradient/central-differences", "newton/newton-converges", "newton/newton-step"])

        let gradient = try #require(spec.check(id: "central-differences"))
        #expect(gradient.title == "Central differences match the analytic gradient")
        #expect(gradient.kind == .gradient)
        #expect(gradient.call == "numericalGradient")
        #expect(gradient.callLocation == Grader.SourceLocation(file: url.path, line: 17, column: 15))
        #expect(gradient.tolerance == Tolerance(absolute: 1.0e-7, relative: 0))
        #expect(gradient.timeoutSeconds == 5)
        #expect(gradient.effectiveTolerance(spec.defaults) == Tolerance(absolute: 1.0e-7, relative: 0))
        #expect(gradient.effectiveTimeout(spec.defaults) == 5)
        #expect(gradient.settings == ["step": .number(1.0e-5), "variant": .text("central"), "label": .text("10")])
        #expect(gradient.expect.isEmpty)
        #expect(gradient.location == Grader.SourceLocation(file: url.path, line: 14, column: 9))
        #expect(gradient.publicCases == [
            CaseRecipe(problem: "quadratic", seed: 101, parameters: ["dimension": .number(3), "condition": .number(10)],
                       location: Grader.SourceLocation(file: url.path, line: 22, column: 13)),
            CaseRecipe(problem: "rosenbrock", seed: 102, parameters: ["dimension": .number(2)],
                       location: Grader.SourceLocation(file: url.path, line: 23, column: 13)),
        ])
        let hidden = try #require(gradient.hidden)
        #expect(hidden.count == 4)
        #expect(hidden.location.line == 25)
        #expect(hidden.recipes == [
            CaseRecipe(problem: "quadratic", parameters: ["dimension": .range(2, 8), "condition": .range(10, 10000)],
                       location: Grader.SourceLocation(file: url.path, line: 27, column: 15)),
            CaseRecipe(problem: "logistic", parameters: ["samples": .range(20, 60), "features": .range(2, 5)],
                       location: Grader.SourceLocation(file: url.path, line: 28, column: 15)),
        ])

        let newton = try #require(spec.check(id: "newton-converges"))
        #expect(newton.title == nil)
        #expect(newton.kind == .convergence)
        #expect(newton.call == "newtonMethod")
        #expect(newton.tolerance == nil && newton.timeoutSeconds == nil)
        #expect(newton.effectiveTolerance(spec.defaults) == spec.defaults.tolerance)
        #expect(newton.effectiveTimeout(spec.defaults) == 10)
        #expect(newton.settings.isEmpty)
        #expect(newton.expect == ["gradientNorm": 1.0e-10, "maxSteps": 8])
        #expect(newton.publicCases == [
            CaseRecipe(problem: "quadratic", seed: UInt64.max, parameters: ["dimension": .number(4)],
                       location: Grader.SourceLocation(file: url.path, line: 37, column: 13)),
        ])
        #expect(newton.hidden == nil)

        let step = try #require(spec.check(id: "newton-step"))
        #expect(step.kind == .compare)
        #expect(step.publicCases.isEmpty)
        #expect(step.hidden?.count == 2)
        #expect(step.hidden?.recipes.map(\.problem) == ["quadratic"])
        #expect(step.hidden?.recipes.first?.seed == nil)
    }

    @Test func validRubricLoadsEveryField() throws {
        let spec = try Self.validSpec()
        let url = Self.fixture("Rubrics/practical1.yaml")
        let result = SpecLoader.diagnoseRubric(at: url, for: spec)
        #expect(result.diagnostics.isEmpty, "\(result)")
        let rubric = try #require(result.value)

        #expect(rubric.assignmentID == "practical1")
        #expect(rubric.total == 20)
        #expect(rubric.location == Grader.SourceLocation(file: url.path, line: 2, column: 1))
        #expect(rubric.checks == [
            RubricCheck(checkID: "central-differences", points: 2, credit: .allOrNothing,
                        location: Grader.SourceLocation(file: url.path, line: 5, column: 5)),
            RubricCheck(checkID: "newton-converges", points: 6.5, credit: .proportional,
                        location: Grader.SourceLocation(file: url.path, line: 8, column: 5)),
            RubricCheck(checkID: "newton-step", points: 7.5, credit: .proportional,
                        location: Grader.SourceLocation(file: url.path, line: 10, column: 5)),
        ])
        #expect(rubric.manual == [
            ManualItem(id: "report", title: "Written report", points: 4,
                       location: Grader.SourceLocation(file: url.path, line: 14, column: 5)),
        ])
        #expect(rubric.entry(forCheck: "newton-converges")?.points == 6.5)
        #expect(rubric.entry(forCheck: "report") == nil)
        #expect(rubric.automaticPoints == 16)
        #expect(rubric.manualPoints == 4)
    }

    // MARK: Malformed spec

    @Test func malformedSpecReportsEveryProblemWithItsLine() throws {
        let url = Self.fixture("Malformed/practical1.yaml")
        let result = SpecLoader.diagnoseAssignment(at: url)
        #expect(result.value == nil)
        expectDiagnostics(result.diagnostics, [
            Expected(line: 5, fragment: "due date 2026-10-01 is before the session date 2026-10-05"),
            Expected(line: 7, fragment: "'absolute' must be a number, not 'tight'"),
            Expected(line: 16, fragment: "unknown key 'timout' in check; did you mean 'timeout'?"),
            Expected(line: 20, fragment: "unknown check kind 'gradeint'; did you mean 'gradient'?"),
            Expected(line: 23, fragment: "range 'dimension' is [8, 2]: low must not exceed high"),
            Expected(line: 27, fragment: "check is missing required key 'id'"),
            Expected(line: 31, fragment: "check id 'fixed-step' is already used by the check at line 13"),
            Expected(line: 34, fragment: "'timeout' must be greater than 0, not 0"),
            Expected(line: 38, fragment: "hidden case recipe must not have a 'seed'"),
            Expected(line: 39, fragment: "case recipe is missing required key 'problem'"),
            Expected(line: 40, fragment: "'Perceptron_Rule' is not a valid id"),
            Expected(line: 46, fragment: "'absolute' must be at least 0, not -1"),
            Expected(line: 48, fragment: "public case is missing required key 'seed'"),
            Expected(line: 49, fragment: "check 'no-cases' has no cases"),
        ], file: url.path)
    }

    @Test func specErrorListsEveryDiagnosticLikeACompiler() throws {
        let url = Self.fixture("Malformed/practical1.yaml")
        let error = try #require(throws: SpecError.self) { try SpecLoader.loadAssignment(at: url) }
        #expect(error.diagnostics.count == 14)
        let lines = error.description.split(separator: "\n")
        #expect(lines.count == 14)
        #expect(lines.first == "\(url.path):5:6: error: due date 2026-10-01 is before the session date 2026-10-05")
        #expect(lines[1] == "\(url.path):7:25: error: 'absolute' must be a number, not 'tight'")
    }

    @Test func relativePathsStayRelativeInDiagnostics() {
        let result = SpecLoader.diagnoseAssignment(yaml: "id: practical1\n", file: "Assignments/practical1.yaml")
        #expect(result.diagnostics.first?.description
                == "Assignments/practical1.yaml:1:1: error: assignment spec is missing required key 'title'")
    }

    @Test func dueDateNotTwoWeeksAfterSessionIsOnlyAWarning() throws {
        let yaml = """
            id: practical2
            title: MLP
            protocol: Practical2
            session: 2026-11-02
            due: "2026-11-20"
            tasks:
              - id: forward
                title: Forward pass
                checks:
                  - {id: forward, kind: compare, call: forward, public: [{problem: mlp, seed: 1}]}
            """
        let result = SpecLoader.diagnoseAssignment(yaml: yaml, file: "practical2.yaml")
        expectDiagnostics(result.diagnostics, [
            Expected(line: 5, severity: .warning, fragment: "due date 2026-11-20 is 18 days after the session date 2026-11-02; reports are due 14 days after the session (2026-11-16)"),
        ])
        let spec = try result.get()
        #expect(spec.due == CourseDate("2026-11-20"))
        #expect(spec.defaults == CheckDefaults(location: spec.location))
    }

    @Test func valuesOfTheWrongShapeAreReported() {
        let yaml = """
            id: practical1
            title: [not, text]
            protocol: Practical1
            session: 2026-10-5
            due: 2026-10-19 10:00:00
            defaults: {tolerance: {absolute: 0, relative: 0}, timeout: .inf}
            tasks:
              - id: task
                title: Task
                checks:
                  - id: a
                    kind: compare
                    call: ""
                    settings: {step: {nested: 1}, width: [1, 2, 3], label: "10", count: }
                    expect: {steps: "8"}
                    public:
                      - {problem: quadratic, seed: -1}
                    hidden: {count: 2.5, problems: []}
              - id: task
                title: Again
                checks: []
            """
        let result = SpecLoader.diagnoseAssignment(yaml: yaml, file: "shapes.yaml")
        expectDiagnostics(result.diagnostics, [
            Expected(line: 2, fragment: "'title' must be text, not a list"),
            Expected(line: 4, fragment: "'session' must be a date written YYYY-MM-DD, not '2026-10-5'"),
            Expected(line: 5, fragment: "'due' must be a date written YYYY-MM-DD, not '2026-10-19 10:00:00'"),
            Expected(line: 6, fragment: "tolerance accepts nothing: 'absolute' and 'relative' are both 0"),
            Expected(line: 6, fragment: "'timeout' must be a finite number, not '.inf'"),
            Expected(line: 13, fragment: "'call' must not be empty"),
            Expected(line: 14, fragment: "parameter 'step' must be a number, a [low, high] range or text, not a mapping"),
            Expected(line: 14, fragment: "range 'width' must be two numbers, [low, high]"),
            Expected(line: 14, fragment: "'count' has no value"),
            Expected(line: 15, fragment: "'steps' must be a number, not '8'"),
            Expected(line: 17, fragment: "'seed' must be a whole number from 0 to 18446744073709551615, not '-1'"),
            Expected(line: 18, fragment: "'count' must be a whole number, not '2.5'"),
            Expected(line: 18, fragment: "'problems' must list at least one recipe"),
            Expected(line: 19, fragment: "task id 'task' is already used by the task at line 8"),
            Expected(line: 21, fragment: "'checks' must list at least one check"),
        ])
    }

    @Test func keysThatAreNotTyposListTheAllowedKeys() {
        let yaml = """
            id: practical1
            title: T
            protocol: Practical1
            session: 2026-10-05
            due: 2026-10-19
            instructor: someone
            tasks: []
            """
        let result = SpecLoader.diagnoseAssignment(yaml: yaml, file: "keys.yaml")
        expectDiagnostics(result.diagnostics, [
            Expected(line: 6, fragment: "unknown key 'instructor' in assignment spec; expected one of: id, title, protocol, session, due, defaults, tasks"),
            Expected(line: 7, fragment: "'tasks' must list at least one task"),
        ])
    }

    @Test func aNodeSharedThroughAnAliasIsReportedOnce() {
        let yaml = """
            id: practical1
            title: T
            protocol: Practical1
            session: 2026-10-05
            due: 2026-10-19
            tasks:
              - id: task
                title: Task
                checks:
                  - id: a
                    kind: compare
                    call: c
                    tolerance: &tight {absolute: 1.0e-9, relativ: 1.0e-6}
                    public: &cases [{problem: quadratic, seed: 1, dimension: [3, 1]}]
                  - {id: b, kind: compare, call: c, tolerance: *tight, public: *cases}
            """
        let result = SpecLoader.diagnoseAssignment(yaml: yaml, file: "alias.yaml")
        expectDiagnostics(result.diagnostics, [
            Expected(line: 13, fragment: "'tolerance' is missing required key 'relative'"),
            Expected(line: 13, fragment: "unknown key 'relativ' in 'tolerance'; did you mean 'relative'?"),
            Expected(line: 14, fragment: "range 'dimension' is [3, 1]"),
        ])
    }

    // MARK: Malformed rubrics

    @Test func malformedRubricReportsEveryProblemWithItsLine() throws {
        let spec = try Self.validSpec()
        let url = Self.fixture("Malformed/rubric.yaml")
        let result = SpecLoader.diagnoseRubric(at: url, for: spec)
        #expect(result.value == nil)
        expectDiagnostics(result.diagnostics, [
            Expected(line: 1, fragment: "rubric is for assignment 'practical2' but practical1.yaml defines 'practical1'"),
            Expected(line: 2, fragment: "total is 21 but the points add up to 12 (checks 7 + manual 5)"),
            Expected(line: 3, fragment: "rubric gives no points for check 'newton-converges' (defined at \(spec.location.file):32:9); add it under 'checks'"),
            Expected(line: 3, fragment: "rubric gives no points for check 'newton-step'"),
            Expected(line: 6, fragment: "rubric names check 'newton-converge' which practical1.yaml does not define; did you mean 'newton-converges'?"),
            Expected(line: 8, fragment: "check 'central-differences' already has points at line 4"),
            Expected(line: 10, fragment: "unknown credit rule 'all-or-nothin'; did you mean 'all-or-nothing'?"),
            Expected(line: 11, fragment: "unknown key 'pionts' in rubric check; did you mean 'points'?"),
            Expected(line: 14, fragment: "manual item id 'newton-step' is also a check id"),
        ], file: url.path)
    }

    @Test func rubricTotalMustBeTheSumOfItsPoints() throws {
        let spec = try Self.validSpec()
        let yaml = """
            assignment: practical1
            total: 21
            checks:
              - {check: central-differences, points: 2}
              - {check: newton-converges, points: 6.5}
              - {check: newton-step, points: 7.5}
            manual:
              - {id: report, title: Written report, points: 4}
            """
        let result = SpecLoader.diagnoseRubric(yaml: yaml, file: "Rubrics/practical1.yaml", for: spec)
        #expect(result.diagnostics.map(\.description)
                == ["Rubrics/practical1.yaml:2:8: error: total is 21 but the points add up to 20 (checks 16 + manual 4)"])
    }

    @Test func decimalPointsThatRoundDifferentlyStillAddUp() throws {
        let spec = try Self.validSpec()
        let yaml = """
            assignment: practical1
            total: 0.6
            checks:
              - {check: central-differences, points: 0.1}
              - {check: newton-converges, points: 0.2}
              - {check: newton-step, points: 0.3}
            """
        let rubric = try SpecLoader.loadRubric(yaml: yaml, file: "r.yaml", for: spec)
        #expect(rubric.manual.isEmpty)
        #expect(rubric.checks.allSatisfy { $0.credit == .proportional })
    }

    @Test func rubricWithoutChecksPointsAtItsChecksLine() throws {
        let spec = try Self.validSpec()
        let yaml = """
            assignment: practical1

            total: 4
            checks: []
            manual: [{id: report, title: Report, points: 4}]
            """
        let result = SpecLoader.diagnoseRubric(yaml: yaml, file: "r.yaml", for: spec)
        expectDiagnostics(result.diagnostics, [
            Expected(line: 4, fragment: "no points for check 'central-differences'"),
            Expected(line: 4, fragment: "no points for check 'newton-converges'"),
            Expected(line: 4, fragment: "no points for check 'newton-step'"),
        ])
    }

    // MARK: Files that are not specs at all

    @Test func fileThatIsNotYAML() {
        let url = Self.fixture("Malformed/not-yaml.yaml")
        let result = SpecLoader.diagnoseAssignment(at: url)
        expectDiagnostics(result.diagnostics, [
            Expected(line: 2, fragment: "the file is not valid YAML: mapping values are not allowed in this context"),
        ], file: url.path)
        #expect(result.diagnostics.first?.location?.column == 8)
    }

    @Test func missingFile() throws {
        let url = Self.fixture("Assignments/practical9.yaml")
        let error = try #require(throws: SpecError.self) { try SpecLoader.loadAssignment(at: url) }
        #expect(error.diagnostics == [Diagnostic(severity: .error, location: Grader.SourceLocation(file: url.path), message: "no such file")])
        #expect(error.description == "\(url.path): error: no such file")
    }

    @Test func folderInsteadOfFile() {
        let result = SpecLoader.diagnoseAssignment(at: Self.fixture("Assignments"))
        #expect(result.diagnostics.map(\.message) == ["is a folder, not a YAML file"])
    }

    @Test func fileThatIsNotUTF8() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spec-loading-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("latin1.yaml")
        try Data("id: practical1\ntitle: Café".utf8 + [0x20, 0xE9, 0x74, 0xE9, 0x0A]).write(to: url)
        let result = SpecLoader.diagnoseAssignment(at: url)
        expectDiagnostics(result.diagnostics, [
            Expected(line: 2, fragment: "the file is not UTF-8 text: byte 0xE9"),
        ], file: url.path)
        #expect(result.diagnostics.first?.location?.column == 13)
    }

    @Test func emptyFileAndRepeatedKeys() {
        let empty = SpecLoader.diagnoseAssignment(yaml: "# nothing yet\n", file: "empty.yaml")
        #expect(empty.diagnostics.map(\.description) == ["empty.yaml: error: the file is empty; expected an assignment spec"])

        let repeated = SpecLoader.diagnoseAssignment(yaml: "id: a\ntitle: b\nid: c\n", file: "twice.yaml")
        expectDiagnostics(repeated.diagnostics, [Expected(line: 1, fragment: "'id' appears twice in the same mapping")])

        let scalar = SpecLoader.diagnoseAssignment(yaml: "just text\n", file: "text.yaml")
        expectDiagnostics(scalar.diagnostics, [Expected(line: 1, fragment: "assignment spec must be a mapping of keys to values")])
    }

    // MARK: Dates

    @Test func courseDatesParseStrictlyAndCountDays() throws {
        #expect(CourseDate("2026-10-05") == CourseDate(year: 2026, month: 10, day: 5))
        #expect(CourseDate("2026-10-5") == nil)
        #expect(CourseDate("2026-02-29") == nil)
        #expect(CourseDate("2028-02-29") != nil)
        #expect(CourseDate("2026-10-05T10:00:00") == nil)
        #expect(CourseDate(" 2026-10-05") == nil)
        let session = try #require(CourseDate("2026-12-25"))
        #expect(session.adding(days: 14).description == "2027-01-08")
        #expect(session.days(until: try #require(CourseDate("2027-01-08"))) == 14)
        #expect(session.adding(days: -366).description == "2025-12-24")
    }
}
