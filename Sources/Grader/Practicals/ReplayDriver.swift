import CourseKit
import Crypto
import Foundation
import SafeText
import SubmissionRuntime

/// A practical's driver that serves the public cases stored in a student's kit (`PublicCaseBundle`,
/// written by `grade handout`) instead of drawing them: the practical's rules and judges, the reference's
/// answers as stored, and no reference engine. Each stored case is judged as the course judges it,
/// except what needs data or a network the kit does not hold: a trained model's held-out score and an
/// attack's harm to the grader's network, which the feedback says are measured when the instructor grades.
public struct ReplayDriver<Rules: PracticalRules>: PracticalDriver {
    private let bundle: Result<PublicCaseBundle<Rules.Call>, GraderFault>
    private let dataFolder: URL?

    /// The driver of the stored cases of `context.assignment` in the kit at `context.course`.
    public init(context: DriverContext) {
        guard let course = context.course, let assignment = context.assignment else {
            bundle = .failure(GraderFault(description: "stored cases are read from a kit folder, for one assignment; none was given"))
            dataFolder = nil
            return
        }
        bundle = Result { try Self.load(course: course, assignment: assignment) }.mapError { $0 as? GraderFault ?? GraderFault(description: "\($0)") }
        // Only cases that read data files need the folder (and the sandbox a view of it).
        let readsData = (try? bundle.get())?.cases.contains { !$0.dataFiles.isEmpty } ?? false
        dataFolder = readsData ? course.publicCaseDataURL(assignment) : nil
    }

    /// The bundle of `assignment`, checked against the spec beside it.
    static func load(course: CourseLayout, assignment: String) throws -> PublicCaseBundle<Rules.Call> {
        let url = course.publicCasesURL(assignment)
        let data: Data, spec: Data
        do { data = try Data(contentsOf: url) } catch {
            throw GraderFault(description: "the stored public cases of \(assignment) cannot be read at \(url.path): \(FileErrorText.reason(error, .reading, path: url.path)); or unpack the kit again")
        }
        let bundle: PublicCaseBundle<Rules.Call>
        do { bundle = try PublicCaseBundle<Rules.Call>.decode(data) } catch {
            throw GraderFault(description: "\(url.path) cannot be used: \(error)")
        }
        guard bundle.assignment == assignment else {
            throw GraderFault(description: "\(url.path) holds the cases of \(bundle.assignment), not \(assignment)")
        }
        do { spec = try Data(contentsOf: course.specURL(assignment)) } catch {
            throw GraderFault(description: "the spec of \(assignment) cannot be read at \(course.specURL(assignment).path): \(FileErrorText.reason(error, .reading, path: course.specURL(assignment).path)); or unpack the kit again")
        }
        guard PublicCaseBundle<Rules.Call>.specDigest(of: spec) == bundle.specDigest else {
            throw GraderFault(description: "\(course.specURL(assignment).path) is not the spec the stored cases were drawn from (it was edited, or comes from another kit); unpack the kit again")
        }
        return bundle
    }

    public static var callTable: [CallDefinition<Self>] {
        Rules.signatures.map { signature in
            CallDefinition(signature) { driver, _, request in
                try driver.storedCase(for: request)
            }
        }
    }

    /// The data files stored with the cases, when some case reads one.
    public var sandboxData: URL? { dataFolder }

    /// The stored case of the public recipe `request` names, ready to send.
    func storedCase(for request: CaseRequest) throws -> PreparedCase<Rules.Call> {
        let bundle = try self.bundle.get()
        guard request.privateSeed == nil, let index = request.check.publicCases.firstIndex(of: request.recipe),
              let stored = bundle.storedCase(check: request.check.id, number: index + 1), stored.seed == request.seed else {
            throw GraderFault(description: "no case of \(request.check.id) is stored for this recipe: a kit holds the public cases only")
        }
        var unsafeName: String?
        let call = Rules.relocatingData(stored.call) { name in
            if !PublicCaseData.isSafeName(name) { unsafeName = name }
            return (dataFolder ?? URL(fileURLWithPath: "/nonexistent")).appendingPathComponent(name).path
        }
        if let unsafeName { throw GraderFault(description: "a stored case of \(request.check.id) names the data file '\(unsafeName)', which is not a plain file name") }
        var prepared = PreparedCase(call: call, inputs: stored.inputs)
        prepared.evidence = stored.restoredEvidence(with: Self.substitutes)
        prepared.reference = stored.reference
        return prepared
    }

    /// The stored reference answer to `call`. Every prepared case carries its own, so this is only asked
    /// for a call made outside a case; one not stored gets an answer no judge accepts as a reference.
    public func referenceAnswer(to call: Rules.Call) -> Answer {
        let encoder = WireFormat.encoder()
        encoder.outputFormatting = .sortedKeys
        let wanted = try? encoder.encode(call)
        let stored = (try? bundle.get())?.cases.first { wanted != nil && (try? encoder.encode($0.call)) == wanted }
        return stored?.reference ?? .toolkitFault("no stored reference answer for this call")
    }

    /// The bundle must have been read, and match its spec, before anyone's code runs.
    public func preflight(_ spec: AssignmentSpec) throws { _ = try bundle.get() }

    /// What the kit puts in place of the grader's held-out data and network.
    static var substitutes: EvidenceSubstitutes {
        EvidenceSubstitutes(scorer: { UnmeasuredModel(metric: $0) }, attackTarget: UnmeasuredHarm())
    }
}

/// The names of the data files stored with public cases: plain names in the bundle's data folder.
public enum PublicCaseData {
    /// Whether `name` is a plain file name (no folder, no parent, nothing hidden).
    public static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && !name.hasPrefix(".") && name.utf8.count <= 200
    }
}

/// A trained model in a kit: checked for finite weights, its score left to the instructor's grading.
struct UnmeasuredModel: TrainedModelScorer {
    let metric: TrainingMetric

    func score(_ answer: Answer) -> TrainedModelScore {
        switch answer {
        case let .layers(layers): if TrainedModelScore.nonFinite(layers) { return .nonFiniteWeights }
        case let .convolutionalNetwork(network): if TrainedModelScore.nonFinite(network) { return .nonFiniteWeights }
        default: return .unusable("expected a trained model, got \(answer.kindName)")
        }
        return .unmeasured("its \(metric.name) is measured when the instructor grades, on data this kit does not hold")
    }
}

/// The grader's network in a kit: not there, so the harm of an attack is left to the instructor's grading.
struct UnmeasuredHarm: AttackTarget {
    func accuracy(on images: ImageBatch) -> Double { .nan }
    var unmeasured: String? { "the attack's harm to the grader's own network is measured when the instructor grades" }
}

extension PracticalRegistry {
    /// Every practical of `CourseRules` served from stored public cases (`ReplayDriver`): what a student's
    /// kit checks with, holding no reference engine.
    public static let replaying = PracticalRegistry(CourseRules.all.map { replayDriver(for: $0) })

    private static func replayDriver<Rules: PracticalRules>(for rules: Rules.Type) -> any PracticalDriver.Type { ReplayDriver<Rules>.self }
}
