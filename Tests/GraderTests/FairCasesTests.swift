import CourseDrivers
import CourseKit
import Foundation
import Testing
@testable import Grader

/// Every case any student can be given is one the reference solution passes: no hidden case is unfair.
///
/// Derived from the registry: every registered practical with a spec in the course, every check whose
/// kind is swept (training is measured by `grade-bench training` instead), every public case and
/// `hiddenSeeds` seeds of every hidden family, answered by the reference as a submission answers
/// (through the wire type), its shape accepted and judged as a submission's answer is.
@Suite struct FairCasesTests {
    static let hiddenSeeds: UInt64 = 200

    /// The course's assignments whose protocol a registered driver implements.
    static let assignments: [String] = TestSupport.course.assignmentIDs().filter { id in
        (try? PracticalRegistry.course.driver(for: SpecLoader.loadAssignment(at: TestSupport.course.specURL(id)))) != nil
    }

    @Test func everyRegisteredPracticalHasASpecToSweep() {
        let swept = Set(Self.assignments.compactMap { try? SpecLoader.loadAssignment(at: TestSupport.course.specURL($0)).protocolName })
        #expect(swept == Set(PracticalRegistry.course.protocolNames))
    }

    @Test(arguments: assignments) func theReferencePassesEveryCaseForManySeeds(_ assignment: String) throws {
        let spec = try SpecLoader.loadAssignment(at: TestSupport.course.specURL(assignment))
        let driver: any PracticalDriver.Type = try PracticalRegistry.course.driver(for: spec)
        let (judged, unfair) = try Self.sweep(driver, assignment: assignment)
        #expect(judged > 500, "\(assignment): only \(judged) cases judged")
        #expect(unfair.isEmpty, "\(assignment): \(unfair.count) unfair cases of \(judged), first: \(unfair.prefix(5))")
    }

    static func sweep<Driver: PracticalDriver>(_: Driver.Type, assignment: String) throws -> (judged: Int, unfair: [String]) {
        let loaded = try Driver.load(assignment, from: TestSupport.course, requireRubric: true)
        let driver = Driver(context: DriverContext(course: TestSupport.course))
        var unfair: [String] = [], judged = 0
        for (_, check) in loaded.spec.allChecks where Driver.judge(of: check)?.isSweptForFairness ?? true {
            let recipes = check.publicCases.map { ($0, [$0.seed ?? 0]) } + (check.hidden?.recipes ?? []).map { ($0, Array(1...hiddenSeeds)) }
            for (recipe, seeds) in recipes {
                for seed in seeds {
                    let prepared = try driver.prepareCase(for: check, recipe: recipe, seed: seed)
                    defer { driver.release(prepared) }
                    let answer = driver.referenceAnswerAsSubmission(to: prepared.call), reference = driver.referenceAnswer(for: prepared)
                    judged += 1
                    if let problem = driver.shapeProblem(answer, for: prepared, reference: reference) {
                        unfair.append("\(check.id) \(recipe.problem) seed \(seed): \(problem)")
                        continue
                    }
                    let judgement = driver.judge(answer, reference: reference, for: prepared, check: check,
                                                 tolerance: check.effectiveTolerance(loaded.spec.defaults), disclosure: .full)
                    if !judgement.passed { unfair.append("\(check.id) \(recipe.problem) seed \(seed): \(judgement.message)") }
                }
            }
        }
        return (judged, unfair)
    }
}
