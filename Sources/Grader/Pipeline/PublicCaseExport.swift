import Foundation
import SafeText
import SubmissionRuntime

extension AssignmentGrader {
    /// Every public case of the assignment stored whole (`PublicCaseBundle`), for judging where cases cannot
    /// be generated. The data files a call reads (a training set) are copied into `dataFolder` under names of
    /// their own, and the stored call names them relative to it. Hidden cases are never stored.
    ///
    /// `specDigest` is the SHA-256 of the spec file, which a reader of the bundle compares with its own.
    public func publicCaseBundle(specDigest: String, dataFolder: URL) throws -> PublicCaseBundle<Driver.Call> {
        var stored: [StoredCase<Driver.Call>] = []
        for (_, check) in spec.allChecks {
            for (index, planned) in plannedCases(check, studentID: "").filter({ !$0.isHidden }).enumerated() {
                let prepared: PreparedCase<Driver.Call>
                do { prepared = try driver.prepareCase(for: check, recipe: planned.recipe, seed: planned.seed, privateSeed: nil) } catch {
                    throw GraderFault(description: "the grader could not generate case \(planned.label) of \(check.id): \(error)")
                }
                defer { driver.release(prepared) }
                var copies: [String: String] = [:]
                for file in prepared.temporaryFiles {
                    let name = "\(check.id)-public-\(index + 1)-\(file.lastPathComponent)"
                    let target = dataFolder.appendingPathComponent(name)
                    do {
                        try FileManager.default.createDirectory(at: dataFolder, withIntermediateDirectories: true)
                        try? FileManager.default.removeItem(at: target)
                        try FileManager.default.copyItem(at: file, to: target)
                    } catch {
                        throw GraderFault(description: "the data of case \(planned.label) of \(check.id) cannot be stored: \(FileErrorText.sentence(error, .writing, path: target.path))")
                    }
                    copies[file.path] = name
                }
                let evidence: [StoredEvidence]
                do { evidence = try prepared.evidence.all.map(StoredEvidence.init) } catch {
                    throw GraderFault(description: "case \(planned.label) of \(check.id) cannot be stored: \(error)")
                }
                var unmatched: [String] = []
                let call = driver.relocatingData(prepared.call) { path in
                    guard let name = copies[path] else { unmatched.append(path); return path }
                    return name
                }
                guard unmatched.isEmpty, copies.values.allSatisfy(PublicCaseData.isSafeName) else {
                    throw GraderFault(description: "case \(planned.label) of \(check.id) reads \(unmatched.first ?? "a data file") that is not among the files it wrote, or names one unsafely: it cannot be stored")
                }
                stored.append(StoredCase(check: check.id, number: index + 1, seed: planned.seed, inputs: prepared.inputs,
                                         call: call,
                                         reference: driver.referenceAnswer(for: prepared), evidence: evidence,
                                         dataFiles: prepared.temporaryFiles.compactMap { copies[$0.path] }))
            }
        }
        return try PublicCaseBundle(assignment: spec.id, specDigest: specDigest, cases: stored)
    }
}
