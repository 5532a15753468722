import Foundation
import ReferenceEngine
import SubmissionRuntime
import Testing
@testable import Grader

/// Every case any student can be given is one the reference solution passes: no hidden case is unfair.
@Suite struct FairCasesTests {
    @Test func theReferencePassesEveryCaseForManySeeds() throws {
        let loaded = try Practical1Driver.load("practical1", from: TestSupport.course, requireRubric: true)
        let driver = Practical1Driver()
        var unfair: [String] = []
        for (_, check) in loaded.spec.allChecks {
            let recipes = check.publicCases.map { ($0, [$0.seed ?? 0]) } + (check.hidden?.recipes ?? []).map { ($0, Array(UInt64(1)...400)) }
            for (recipe, seeds) in recipes {
                for seed in seeds {
                    let prepared = try driver.prepareCase(for: check, recipe: recipe, seed: seed)
                    let reference = driver.referenceAnswer(to: prepared.call)
                    let judgement = driver.judge(reference, reference: reference, for: prepared, check: check,
                                                 tolerance: check.effectiveTolerance(loaded.spec.defaults), disclosure: .full)
                    if !judgement.passed { unfair.append("\(check.id) \(recipe.problem) seed \(seed): \(judgement.message)") }
                }
            }
        }
        #expect(unfair.isEmpty, "\(unfair.count) unfair cases, first: \(unfair.prefix(5))")
    }

    /// Practical 2 likewise, 100 seeds per hidden family: the reference, answering through the same
    /// wire path as a submission (`perform(on:)`, which also computes backpropagation's directional
    /// derivatives from its own forward pass), passes every case it can be asked. Training is left out:
    /// it is judged on held-out accuracy, measured by `grade-bench training`.
    @Test func theReferencePassesEveryPractical2CaseForManySeeds() throws {
        let loaded = try Practical2Driver.load("practical2", from: TestSupport.course, requireRubric: true)
        let driver = Practical2Driver()
        var unfair: [String] = [], judged = 0
        for (_, check) in loaded.spec.allChecks where check.kind != .training {
            let recipes = check.publicCases.map { ($0, [$0.seed ?? 0]) } + (check.hidden?.recipes ?? []).map { ($0, Array(UInt64(1)...100)) }
            for (recipe, seeds) in recipes {
                for seed in seeds {
                    let prepared = try driver.prepareCase(for: check, recipe: recipe, seed: seed)
                    let answer = prepared.call.perform(on: ReferencePractical2())
                    let judgement = driver.judge(answer, reference: driver.referenceAnswer(to: prepared.call), for: prepared, check: check,
                                                 tolerance: check.effectiveTolerance(loaded.spec.defaults), disclosure: .full)
                    judged += 1
                    if !judgement.passed { unfair.append("\(check.id) \(recipe.problem) seed \(seed): \(judgement.message)") }
                }
            }
        }
        #expect(judged > 1000)
        #expect(unfair.isEmpty, "\(unfair.count) unfair cases, first: \(unfair.prefix(5))")
    }
}
