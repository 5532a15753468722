/// Whether every case a practical can give is one the reference passes: every public case, and `seeds` seeds
/// of every hidden family, answered by the reference as a submission answers (through the wire type), its
/// shape accepted and judged as a submission's answer is. Checks whose kind is not swept (training, whose
/// answer takes its whole budget) are left out. `FairCasesTests` runs it on a few dozen seeds per family,
/// `grade-bench fair-cases` on as many as asked.
public enum FairnessSweep {
    /// What a sweep found: how many cases were judged, and each unfair one (check, problem, seed and why).
    public struct Outcome: Sendable {
        public var judged = 0
        public var unfair: [String] = []
    }

    /// Sweeps `opened` (an assignment of `course`), `seeds` seeds (1, 2, …) per hidden family.
    public static func run(_ opened: OpenedAssignment, course: CourseLayout, seeds: UInt64) throws -> Outcome {
        try run(opened.driver, loaded: opened.loaded, course: course, seeds: seeds)
    }

    private static func run<Driver: PracticalDriver>(_: Driver.Type, loaded: LoadedAssignment, course: CourseLayout, seeds: UInt64) throws -> Outcome {
        let driver = Driver(context: DriverContext(course: course))
        var outcome = Outcome()
        for (_, check) in loaded.spec.allChecks where Driver.judge(of: check)?.isSweptForFairness ?? true {
            let recipes = check.publicCases.map { ($0, [$0.seed ?? 0]) } + (check.hidden?.recipes ?? []).map { ($0, Array(1...max(1, seeds))) }
            for (recipe, seeds) in recipes {
                for seed in seeds {
                    let prepared = try driver.prepareCase(for: check, recipe: recipe, seed: seed)
                    defer { driver.release(prepared) }
                    let answer = driver.referenceAnswerAsSubmission(to: prepared.call), reference = driver.referenceAnswer(for: prepared)
                    outcome.judged += 1
                    if let problem = driver.shapeProblem(answer, for: prepared, reference: reference) {
                        outcome.unfair.append("\(check.id) \(recipe.problem) seed \(seed): \(problem)")
                        continue
                    }
                    let judgement = driver.judge(answer, reference: reference, for: prepared, check: check,
                                                 tolerance: check.effectiveTolerance(loaded.spec.defaults), disclosure: .full)
                    if !judgement.passed { outcome.unfair.append("\(check.id) \(recipe.problem) seed \(seed): \(judgement.message)") }
                }
            }
        }
        return outcome
    }
}
