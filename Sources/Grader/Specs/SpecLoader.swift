import Foundation
import SafeText
import Yams

/// Loads and validates assignment specs (`Assignments/<id>.yaml`) and rubrics (`Rubrics/<id>.yaml`),
/// reporting every problem with its file, line and column.
///
/// An assignment spec:
/// ```yaml
/// id: practical1                  # lowercase letters, digits and '-'
/// title: "Practical 1: gradient descent, Newton's method and the perceptron"
/// protocol: Practical1            # the CourseKit protocol a submission implements
/// session: 2026-10-05             # YYYY-MM-DD, quoted or not
/// due: 2026-10-19                 # an error before the session, a warning unless 14 days after
/// defaults:                       # optional; both keys optional
///   tolerance: {absolute: 1.0e-9, relative: 1.0e-6}   # both keys required, both >= 0, not both 0
///   timeout: 10                   # seconds of wall time per case, > 0
/// tasks:                          # at least one; task ids unique among tasks
///   - id: numerical-gradient
///     title: Numerical gradient by central differences
///     checks:                     # at least one; check ids unique across the whole file
///       - id: central-differences
///         title: Central differences match the analytic gradient   # optional
///         kind: gradient          # a kind the practical's call declares: compare, trajectory, convergence, gradient, training
///         call: numericalGradient # a protocol requirement, checked by the practical's driver
///         tolerance: {absolute: 1.0e-7, relative: 1.0e-6}           # optional
///         timeout: 5              # optional
///         settings: {step: 1.0e-5}                                  # optional: number | [lo, hi] | text
///         expect: {gradientNorm: 1.0e-10, maxSteps: 8}              # optional: numbers
///         public:                 # recipes, each with a seed (0 ... 2^64-1)
///           - {problem: quadratic, dimension: 3, condition: 10, seed: 101}
///         hidden:                 # optional; a check needs public cases, hidden ones, or both
///           count: 4              # whole number > 0
///           problems:             # at least one recipe, none with a seed
///             - {problem: quadratic, dimension: [2, 8], condition: [10, 10000]}
/// ```
/// A rubric:
/// ```yaml
/// assignment: practical1          # the spec's id
/// total: 20                       # the sum of all points below
/// checks:                         # every check of the spec, exactly once
///   - check: central-differences
///     points: 2                   # > 0
///     credit: proportional        # optional: proportional (default) | all-or-nothing
/// manual:                         # optional
///   - {id: report, title: Written report, points: 4}   # ids unique, and not a check id
/// ```
/// Unknown keys are errors (with a "did you mean" hint for typos), except in recipes, `settings`
/// and `expect`, whose keys are parameter names. Numbers must be written unquoted; a quoted
/// `"10"` is text. The `diagnose…` functions return every diagnostic, warnings included; the
/// `load…` functions throw a ``SpecError`` when any of them is an error.
public enum SpecLoader {
    /// The spec at `url`; throws a ``SpecError`` listing every problem when any is an error.
    /// `kinds` are the check kinds a check may name (by default, those of the course's practicals).
    public static func loadAssignment(at url: URL, kinds: Set<CheckKind> = CourseRules.checkKinds) throws -> AssignmentSpec {
        try diagnoseAssignment(at: url, kinds: kinds).get()
    }

    /// The spec written in `yaml`, whose diagnostics name `file`; throws a ``SpecError`` when any problem is an error.
    public static func loadAssignment(yaml: String, file: String, kinds: Set<CheckKind> = CourseRules.checkKinds) throws -> AssignmentSpec {
        try diagnoseAssignment(yaml: yaml, file: file, kinds: kinds).get()
    }

    /// The rubric at `url`, checked against `spec`; throws a ``SpecError`` listing every problem when any is an error.
    public static func loadRubric(at url: URL, for spec: AssignmentSpec) throws -> Rubric {
        try diagnoseRubric(at: url, for: spec).get()
    }

    /// The rubric written in `yaml`, checked against `spec`, whose diagnostics name `file`; throws a ``SpecError`` when any problem is an error.
    public static func loadRubric(yaml: String, file: String, for spec: AssignmentSpec) throws -> Rubric {
        try diagnoseRubric(yaml: yaml, file: file, for: spec).get()
    }

    /// Every diagnostic of the spec at `url`, and the spec when none is an error.
    public static func diagnoseAssignment(at url: URL, kinds: Set<CheckKind> = CourseRules.checkKinds) -> SpecLoadResult<AssignmentSpec> {
        read(url) { yaml, file in diagnoseAssignment(yaml: yaml, file: file, kinds: kinds) }
    }

    /// Every diagnostic of the spec written in `yaml`, and the spec when none is an error.
    public static func diagnoseAssignment(yaml: String, file: String, kinds: Set<CheckKind> = CourseRules.checkKinds) -> SpecLoadResult<AssignmentSpec> {
        decode(yaml, file: file, expected: "an assignment spec") { root, reader in
            AssignmentSpecDecoder(reader: reader, kinds: kinds).spec(root)
        }
    }

    /// Every diagnostic of the rubric at `url` checked against `spec`, and the rubric when none is an error.
    public static func diagnoseRubric(at url: URL, for spec: AssignmentSpec) -> SpecLoadResult<Rubric> {
        read(url) { yaml, file in diagnoseRubric(yaml: yaml, file: file, for: spec) }
    }

    /// Every diagnostic of the rubric written in `yaml` checked against `spec`, and the rubric when none is an error.
    public static func diagnoseRubric(yaml: String, file: String, for spec: AssignmentSpec) -> SpecLoadResult<Rubric> {
        decode(yaml, file: file, expected: "a rubric") { root, reader in
            RubricDecoder(reader: reader, spec: spec).rubric(root)
        }
    }

    /// Reads the course policy at `url` (`Rubrics/course.yaml`), reporting every problem.
    public static func diagnoseCoursePolicy(at url: URL) -> SpecLoadResult<CoursePolicy> {
        read(url) { yaml, file in diagnoseCoursePolicy(yaml: yaml, file: file) }
    }

    /// Reads a course policy from `yaml`, naming `file` in diagnostics.
    public static func diagnoseCoursePolicy(yaml: String, file: String) -> SpecLoadResult<CoursePolicy> {
        decode(yaml, file: file, expected: "a course policy") { root, reader in
            CoursePolicyDecoder(reader: reader).policy(root)
        }
    }

    /// Every diagnostic of the quiz bank at `url` (`Assignments/mcq.yaml`), and the bank when none is an error.
    public static func diagnoseQuizBank(at url: URL) -> SpecLoadResult<QuizBank> {
        read(url) { yaml, file in diagnoseQuizBank(yaml: yaml, file: file) }
    }

    /// Every diagnostic of the quiz bank written in `yaml`, and the bank when none is an error.
    public static func diagnoseQuizBank(yaml: String, file: String) -> SpecLoadResult<QuizBank> {
        decode(yaml, file: file, expected: "a quiz bank") { root, reader in
            QuizBankDecoder(reader: reader).bank(root)
        }
    }

    /// Reads `url` as UTF-8 text and hands it to `load`; a file that is missing, unreadable or not
    /// UTF-8 gets a diagnostic instead. Diagnostics name the path as the URL was given (relative stays relative).
    private static func read<Value>(_ url: URL, _ load: (String, String) -> SpecLoadResult<Value>) -> SpecLoadResult<Value> {
        let file = url.relativePath
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            return SpecLoadResult(value: nil, diagnostics: [.fileNotFound(file)])
        }
        guard !isFolder.boolValue else {
            return SpecLoadResult(value: nil, diagnostics: [.fileIsFolder(file)])
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            return SpecLoadResult(value: nil, diagnostics: [.fileUnreadable(file, reason: FileErrorText.reason(error, .reading, path: url.path))])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return SpecLoadResult(value: nil, diagnostics: [invalidUTF8(data, file: file)])
        }
        return load(text, file)
    }

    /// The diagnostic for `data` that is not UTF-8, at its first byte that cannot be decoded.
    private static func invalidUTF8(_ data: Data, file: String) -> Diagnostic {
        var bytes = data.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        decoding: while true {
            switch parser.parseScalar(from: &bytes) {
            case let .valid(scalar): offset += scalar.count
            case .error: break decoding
            case .emptyInput: break decoding
            }
        }
        let before = data.prefix(offset)
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? before.startIndex
        let line = before.count { $0 == UInt8(ascii: "\n") } + 1
        let column = String(decoding: data[lineStart..<before.endIndex], as: UTF8.self).unicodeScalars.count + 1
        let byte = offset < data.count ? data[data.startIndex + offset] : 0
        return .notUTF8(at: SourceLocation(file: file, line: line, column: column), byte: byte)
    }

    /// Composes `yaml` into a node tree and hands its root to `build`, collecting every diagnostic in reading order.
    private static func decode<Value>(_ yaml: String, file: String, expected: String,
                                      _ build: (Node, SpecNodeReader) -> Value?) -> SpecLoadResult<Value> {
        let reader = SpecNodeReader(file: file)
        var value: Value?
        do {
            if let root = try Yams.compose(yaml: yaml) {
                value = build(root, reader)
            } else {
                reader.report(.emptyDocument(file, expected: expected))
            }
        } catch let error as YamlError {
            reader.report(diagnostic(for: error, in: yaml, file: file))
        } catch {
            reader.report(.notYAML(at: SourceLocation(file: file), problem: "\(error)"))
        }
        var seen = Set<Diagnostic>()
        // A node reached through several YAML aliases is read, and reported, once per alias.
        let diagnostics = reader.diagnostics.filter { seen.insert($0).inserted }.sortedByLocation()
        return SpecLoadResult(value: diagnostics.containsErrors ? nil : value, diagnostics: diagnostics)
    }

    /// Yams' error as a diagnostic at the line and column libyaml reported.
    private static func diagnostic(for error: YamlError, in yaml: String, file: String) -> Diagnostic {
        func location(_ mark: Mark) -> SourceLocation {
            SourceLocation(file: file, line: mark.line, column: mark.column)
        }
        func problem(_ problem: String, _ context: YamlError.Context?) -> String {
            guard let context else { return problem }
            return "\(context.text) at line \(context.mark.line), \(problem)"
        }
        switch error {
        case let .scanner(context, text, mark, _), let .parser(context, text, mark, _), let .composer(context, text, mark, _):
            return .notYAML(at: location(mark), problem: problem(text, context))
        case let .duplicatedKeysInMapping(duplicates, context):
            return .repeatedYAMLKeys(duplicates, at: location(context.mark))
        case let .reader(text, offset, _, _):
            guard let offset else { return .notYAML(at: SourceLocation(file: file), problem: text) }
            let before = yaml.prefix(offset)
            let line = before.count { $0.isNewline } + 1
            let column = (before.lastIndex(where: \.isNewline).map { before[before.index(after: $0)...] } ?? before)
                .unicodeScalars.count + 1
            return .notYAML(at: SourceLocation(file: file, line: line, column: column), problem: text)
        default:
            return .notYAML(at: SourceLocation(file: file), problem: "\(error)")
        }
    }
}

/// What loading a course file found: every diagnostic, and the value when none of them is an error.
public struct SpecLoadResult<Value>: CustomStringConvertible {
    /// The loaded value; nil exactly when ``diagnostics`` contains an error.
    public var value: Value?
    /// Every diagnostic, warnings included, in reading order.
    public var diagnostics: [Diagnostic]

    /// A result with the given value and diagnostics.
    public init(value: Value?, diagnostics: [Diagnostic]) {
        self.value = value
        self.diagnostics = diagnostics
    }

    /// The value, when no diagnostic is an error.
    ///
    /// - Throws: a ``SpecError`` carrying every diagnostic, warnings included, when there is no value.
    public func get() throws -> Value {
        guard let value else { throw SpecError(diagnostics: diagnostics) }
        return value
    }

    /// The diagnostics, one per line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

extension SpecLoadResult: Sendable where Value: Sendable {}
