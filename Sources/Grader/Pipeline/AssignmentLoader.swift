import Crypto
import Foundation

/// An assignment opened once (`PracticalRegistry.open`): the driver of its practical and the assignment as loaded.
/// Grading, the self-check, the handout and the benchmarks all start here, so a spec is read and validated once.
public struct OpenedAssignment: Sendable {
    /// The driver of the practical the spec's `protocol:` names.
    public let driver: any PracticalDriver.Type
    /// The validated spec, its rubric and their digest.
    public let loaded: LoadedAssignment
}

extension PracticalRegistry {
    /// `assignment` of `layout`, its spec read and validated once, with the driver of its practical: every problem
    /// in the spec or rubric with file:line (``SpecError``, which also says when no registered practical has the
    /// spec's protocol), or ``UnknownPractical`` when the course has no such assignment.
    public func open(_ assignment: String, in layout: CourseLayout, requireRubric: Bool) throws -> OpenedAssignment {
        let specURL = try layout.existingSpecURL(assignment)
        let parsed = SpecLoader.diagnoseAssignment(at: specURL, kinds: CourseRules.checkKinds.union(checkKinds))
        guard let spec = parsed.value else { throw SpecError(diagnostics: parsed.diagnostics) }
        let driver = try driver(for: spec)
        return OpenedAssignment(driver: driver, loaded: try Self.load(driver, assignment, parsed: parsed, specURL: specURL, layout: layout,
                                                                     requireRubric: requireRubric))
    }

    private static func load<Driver: PracticalDriver>(_: Driver.Type, _ assignment: String, parsed: SpecLoadResult<AssignmentSpec>, specURL: URL,
                                                      layout: CourseLayout, requireRubric: Bool) throws -> LoadedAssignment {
        try Driver.load(assignment, parsed: parsed, specURL: specURL, from: layout, requireRubric: requireRubric)
    }
}

/// An assignment ready to grade: its validated spec, its rubric and a digest of both.
public struct LoadedAssignment: Sendable {
    /// The spec.
    public let spec: AssignmentSpec
    /// The rubric, when one was loaded.
    public let rubric: Rubric?
    /// A digest of the spec and rubric files; a change regrades every submission.
    public let specHash: String
    /// Problems that do not prevent grading, such as a due date that is not two weeks after the session.
    public let warnings: [Diagnostic]
}

extension PracticalDriver {
    /// Loads and validates `assignment` from `layout`: every problem in the spec or rubric, with file:line
    /// (``SpecError``), or ``UnknownPractical`` when the course has no such assignment.
    ///
    /// Beyond the file formats, every public recipe is generated with its seed and every hidden
    /// recipe with a few trial seeds, so a parameter the generator cannot use is reported now and
    /// not in the middle of a grading run.
    public static func load(_ assignment: String, from layout: CourseLayout, requireRubric: Bool) throws -> LoadedAssignment {
        let specURL = try layout.existingSpecURL(assignment)
        return try load(assignment, parsed: SpecLoader.diagnoseAssignment(at: specURL, kinds: CourseRules.checkKinds.union(checkKinds)),
                        specURL: specURL, from: layout, requireRubric: requireRubric)
    }

    /// `load(_:from:requireRubric:)` from the spec at `specURL` as already parsed.
    static func load(_ assignment: String, parsed loaded: SpecLoadResult<AssignmentSpec>, specURL: URL, from layout: CourseLayout,
                     requireRubric: Bool) throws -> LoadedAssignment {
        guard let spec = loaded.value else { throw SpecError(diagnostics: loaded.diagnostics) }
        var diagnostics = loaded.diagnostics + validate(spec) + (try Self.rehearse(spec, context: DriverContext(course: layout, assignment: assignment)))
        var rubric: Rubric?
        let rubricURL = layout.rubricURL(assignment)
        if FileManager.default.fileExists(atPath: rubricURL.path) {
            let rubricResult = SpecLoader.diagnoseRubric(at: rubricURL, for: spec)
            rubric = rubricResult.value
            diagnostics += rubricResult.diagnostics
        } else if requireRubric {
            diagnostics.append(Diagnostic(severity: .error, location: nil, message: "no rubric for '\(assignment)' at \(rubricURL.path)"))
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw SpecError(diagnostics: diagnostics) }
        var hasher = SHA256()
        for url in [specURL, rubricURL] { hasher.update(data: (try? Data(contentsOf: url)) ?? Data()) }
        return LoadedAssignment(spec: spec, rubric: rubric, specHash: hasher.finalize().hexadecimal,
                                warnings: diagnostics)
    }

    /// Generates every recipe once (public ones with their seeds, hidden ones with trial seeds) and reports
    /// those that fail, or whose case lacks what the check's judge needs.
    /// A `GraderFault` (the driver cannot prepare any case: stored cases that cannot be read) is thrown,
    /// not reported as a problem of the spec.
    static func rehearse(_ spec: AssignmentSpec, context: DriverContext) throws -> [Diagnostic] {
        let driver = Self(context: context)
        var found: [Diagnostic] = []
        for (_, check) in spec.allChecks {
            guard let definition = definition(of: check.call), let judge = definition.judge(of: check.kind) else { continue }
            let trials = check.publicCases.map { ($0, [$0.seed ?? 0]) } + (check.hidden?.recipes ?? []).map { ($0, [UInt64(1), 2, 3]) }
            var targetsChecked = false
            for (recipe, seeds) in trials where definition.problems.contains(recipe.problem) {
                for seed in seeds {
                    do {
                        let prepared = try driver.prepareCase(for: check, recipe: recipe, seed: seed)
                        if !targetsChecked, let problem = judge.expectProblem(check.expect, evidence: prepared.evidence) {
                            found.append(Diagnostic(severity: .error, location: check.location, message: "check '\(check.id)': \(problem)"))
                        }
                        targetsChecked = true
                        if let missing = judge.missingEvidence(in: prepared.evidence) {
                            found.append(Diagnostic(severity: .error, location: recipe.location, message: "a \(check.kind) check cannot judge this case: \(missing)"))
                            break
                        }
                    } catch let fault as GraderFault {
                        throw fault
                    } catch {
                        found.append(Diagnostic(severity: .error, location: recipe.location, message: "cannot generate this case: \(error)"))
                        break
                    }
                }
            }
        }
        return found
    }
}
