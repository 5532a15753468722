import CourseDrivers
import CourseKit
import ReferenceEngine
import Foundation
import SafeText
import SubmissionRuntime
import Testing
@testable import Grader
import TestTiers

/// Randomly malformed replies driven through the real decode → shape → judge path of every check of
/// both practicals: whatever comes back, the grader returns a verdict and never traps.
///
/// Each case starts from a well-formed reply (the reference's answer, or a small valid network for
/// training) and applies one to three mutations to its JSON: a value replaced by another kind, a huge,
/// negative or non-finite number, an array emptied, shortened or extended, a key dropped or renamed;
/// or to its bytes: truncated, bit-flipped, deeply nested, random. The seed is fixed, so a failure
/// reproduces.
@Suite(.integration) struct ReplyFuzzTests {
    /// Mutated replies per case, over every public case and two hidden seeds of every check.
    static let mutationsPerCase = 40

    @Test func practical1ChecksSurviveMalformedReplies() throws {
        let loaded = try Practical1Driver.load("practical1", from: TestSupport.course, requireRubric: true)
        let tally = try Self.fuzz(driver: Practical1Driver(), spec: loaded.spec, seed: 0xF022_0001)
        print("practical 1 fuzz verdicts: \(tally.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        #expect(tally.values.reduce(0, +) >= 1000)
        #expect((tally["protocol-error"] ?? 0) > 0 && (tally["wrong-answer"] ?? 0) > 0)
    }

    @Test func practical3ChecksSurviveMalformedReplies() throws {
        let loaded = try Practical3Driver.load("practical3", from: TestSupport.course, requireRubric: true)
        let tally = try Self.fuzz(driver: Practical3Driver(context: DriverContext(course: TestSupport.course)), spec: loaded.spec, seed: 0xF022_0003)
        print("practical 3 fuzz verdicts: \(tally.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        #expect(tally.values.reduce(0, +) >= 1000)
        #expect((tally["protocol-error"] ?? 0) > 0 && (tally["wrong-answer"] ?? 0) > 0)
    }

    @Test func practical2ChecksSurviveMalformedReplies() throws {
        let loaded = try Practical2Driver.load("practical2", from: TestSupport.course, requireRubric: true)
        let tally = try Self.fuzz(driver: Practical2Driver(), spec: loaded.spec, seed: 0xF022_0002)
        print("practical 2 fuzz verdicts: \(tally.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        #expect(tally.values.reduce(0, +) >= 1000)
        #expect((tally["protocol-error"] ?? 0) > 0 && (tally["wrong-answer"] ?? 0) > 0)
    }

    /// The unmutated reference reply is accepted by every compare, trajectory, gradient and backpropagation
    /// case: the fuzzing starts from replies the grader understands.
    @Test func wellFormedReferenceRepliesAreAccepted() throws {
        let loaded = try Practical2Driver.load("practical2", from: TestSupport.course, requireRubric: true)
        let driver = Practical2Driver()
        for (_, check) in loaded.spec.allChecks where check.call != "train" {
            for recipe in check.publicCases {
                let prepared = try driver.prepareCase(for: check, recipe: recipe, seed: recipe.seed ?? 0)
                let verdict = Self.evaluate(Self.wellFormedReply(driver, prepared), driver: driver, prepared: prepared, check: check,
                                            defaults: loaded.spec.defaults)
                #expect(verdict.verdict == .accepted, "\(check.id): \(verdict.message)")
            }
        }
    }

    /// Every mutated reply of every case of `spec`, tallied by verdict.
    static func fuzz<Driver: PracticalDriver>(driver: Driver, spec: AssignmentSpec, seed: UInt64) throws -> [String: Int] {
        var rng = SeededGenerator(seed: seed)
        var tally: [String: Int] = [:]
        for (_, check) in spec.allChecks {
            var recipes = check.publicCases.map { ($0, $0.seed ?? 0) }
            for index in 0..<2 { if let hidden = check.hidden?.recipes, !hidden.isEmpty { recipes.append((hidden[index % hidden.count], rng.next())) } }
            for (recipe, caseSeed) in recipes {
                let prepared = try trainingAware(driver.prepareCase(for: check, recipe: recipe, seed: caseSeed), rng: &rng)
                let base = wellFormedReply(driver, prepared)
                let budget = driver.replyBudget(for: prepared.call)
                #expect(budget.problem(with: base) == nil, "\(check.id): a correct reply exceeds its budget: \(budget.problem(with: base) ?? "")")
                let answer = try WireFormat.decoder().decode(Reply.self, from: base).answer
                for round in 0..<mutationsPerCase {
                    // Half the mutations keep the reply decodable but change its structure or values, so the
                    // shape check and the judges see them; the other half attack the bytes and the JSON.
                    let payload = round % 2 == 0 ? try WireFormat.encoder().encode(Reply(id: 1, answer: reshape(answer, rng: &rng)))
                        : mutate(base, rng: &rng)
                    if budget.problem(with: payload) != nil { tally["over budget", default: 0] += 1 }
                    let verdict = evaluate(payload, driver: driver, prepared: prepared, check: check, defaults: spec.defaults)
                    #expect([.accepted, .wrongAnswer, .protocolError].contains(verdict.verdict), "\(check.id): \(verdict.verdict)")
                    #expect((0...1).contains(verdict.credit), "\(check.id): credit \(verdict.credit)")
                    tally[verdict.verdict.rawValue, default: 0] += 1
                }
            }
        }
        return tally
    }

    /// A training case gets a small held-out set (the fuzz needs no MNIST), since only the grader's side is exercised.
    static func trainingAware<Call>(_ prepared: PreparedCase<Call>, rng: inout SeededGenerator) -> PreparedCase<Call> {
        if let call = prepared.call as? Practical3Call, case let .train(_, _, hints, seconds) = call {
            var withData = prepared
            let images = TrainingData(inputs: Matrix(rows: 20, columns: 784, storage: (0..<(20 * 784)).map { _ in rng.nextUniform() }),
                                      labels: (0..<20).map { _ in Int(rng.next() % 10) })
            withData.evidence.add(TrainingCheck.Evidence(seconds: seconds, scorer: HeldOutImages(images, hints: hints, evaluator: ReferenceModels())))
            return withData
        }
        guard let call = prepared.call as? Practical2Call, case let .train(_, _, _, seconds) = call else { return prepared }
        var withData = prepared
        let digits = TrainingData(inputs: Matrix(rows: 20, columns: 784, storage: (0..<(20 * 784)).map { _ in rng.nextUniform() }),
                              labels: (0..<20).map { _ in Int(rng.next() % 10) })
        withData.evidence.add(TrainingCheck.Evidence(seconds: seconds, scorer: HeldOutDigits(digits, evaluator: ReferenceModels())))
        return withData
    }

    /// The reply a correct submission would send: the reference's answer, or for training a small valid network.
    static func wellFormedReply<Driver: PracticalDriver>(_ driver: Driver, _ prepared: PreparedCase<Driver.Call>) -> Data {
        var answer = driver.referenceAnswerAsSubmission(to: prepared.call)
        if let call = prepared.call as? Practical3Call {
            var rng = SeededGenerator(seed: 7)
            switch call {
            case let .train(_, _, hints, _):
                let convolution = ConvolutionLayer.random(filters: 4, channels: hints.channels, kernelSize: 3, padding: 1, using: &rng)
                answer = .convolutionalNetwork(ConvolutionalNetwork(channels: hints.channels, height: hints.height, width: hints.width,
                                                                    blocks: [ConvolutionalBlock(convolution: convolution, pooling: Pooling(.max, window: 2))],
                                                                    dense: [DenseLayer.random(inputs: 4 * (hints.height / 2) * (hints.width / 2), outputs: hints.classes, activation: .softmax, using: &rng)]))
            case let .trainGAN(_, hints, _):
                answer = .layers([DenseLayer.random(inputs: hints.noiseSize, outputs: 16, activation: .tanh, using: &rng),
                                  DenseLayer.random(inputs: 16, outputs: hints.sampleSize, activation: .identity, using: &rng)])
            default: break
            }
        }
        if let call = prepared.call as? Practical2Call, case let .train(_, _, hints, _) = call {
            var rng = SeededGenerator(seed: 7)
            answer = .layers([DenseLayer.random(inputs: hints.inputs, outputs: 16, activation: .relu, using: &rng),
                              DenseLayer.random(inputs: 16, outputs: hints.classes, activation: .softmax, using: &rng)])
        }
        return try! WireFormat.encoder().encode(Reply(id: 1, answer: answer))
    }

    static func evaluate<Driver: PracticalDriver>(_ payload: Data, driver: Driver, prepared: PreparedCase<Driver.Call>, check: CheckSpec,
                                                  defaults: CheckDefaults) -> CaseVerdict {
        ReplyEvaluator(driver: driver).evaluate(payload, requestID: 1, prepared: prepared, reference: driver.referenceAnswer(for: prepared),
                                                check: check, tolerance: check.effectiveTolerance(defaults), disclosure: .positionOnly)
    }

    /// A training file the toolkit cannot read in the sandbox is the grader's fault: the student's `train`
    /// is not called and the case is a grader error, never a wrong answer. But the grader decides that from
    /// what it sees: the same reply while every file is in place is the submission's protocol error.
    @Test func trainingDataTheToolkitCannotReadIsTheGradersFault() throws {
        let answer = NetworkParameters.training(images: "/nonexistent/case.images.idx", labels: "/nonexistent/case.labels.idx") { _ in
            Issue.record("train() was called without data")
            return .layers([])
        }
        guard case let .toolkitFault(reason) = answer else {
            Issue.record("expected a toolkit fault, got \(answer.kindName)")
            return
        }
        #expect(reason.hasPrefix("the training data case.images.idx could not be read"))
        let loaded = try Practical2Driver.load("practical2", from: TestSupport.course, requireRubric: true)
        let (_, check) = try #require(loaded.spec.allChecks.first { $0.check.call == "train" })
        let folder = TestSupport.temporaryFolder("toolkit-fault")
        defer { try? FileManager.default.removeItem(at: folder) }
        let driver = Practical2Driver(context: DriverContext(course: TestSupport.course, dataFolder: folder))
        let prepared = try driver.prepareCase(for: check, recipe: check.publicCases[0], seed: 1)
        defer { driver.release(prepared) }
        let reply = try WireFormat.encoder().encode(Reply(id: 1, answer: answer))
        let forged = Self.evaluate(reply, driver: driver, prepared: prepared, check: check, defaults: loaded.spec.defaults)
        #expect(forged.verdict == .protocolError && forged.credit == 0)
        #expect(forged.message.hasPrefix("the reply says the toolkit could not prepare the call (the training data case.images.idx could not be read")
                && forged.message.contains("but every file the call reads is in place and readable"), "\(forged.message)")
        let images = try #require(prepared.temporaryFiles.first)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: images.path)
        let closed = Self.evaluate(reply, driver: driver, prepared: prepared, check: check, defaults: loaded.spec.defaults)
        #expect(closed.verdict == .graderError && closed.message.contains("is not readable by others"), "\(closed.message)")
        try FileManager.default.removeItem(at: images)
        let verdict = Self.evaluate(reply, driver: driver, prepared: prepared, check: check, defaults: loaded.spec.defaults)
        #expect(verdict.verdict == .graderError && verdict.credit == 0)
        #expect(verdict.message.hasPrefix("the submission toolkit could not prepare the call in the sandbox (\(images.lastPathComponent) is missing): the training data case.images.idx"),
                "\(verdict.message)")
    }

    /// A part's name is quoted in messages, pages and the gradebook: one longer than any the course uses is refused
    /// before anything quotes it, at any depth.
    @Test func aPartNamedAtLengthIsRefusedBeforeItIsQuoted() {
        typealias Evaluator = ReplyEvaluator<Practical3Driver>
        let long = String(repeating: "∂", count: 57_500)
        let nested = Answer.fields([AnswerField("∂L/∂x", .scalar(1)), AnswerField("block 2", .fields([AnswerField(long, .scalar(2))]))])
        let problem = Evaluator.nameProblem(nested)
        #expect(problem == "a part of your answer has a name of 57500 characters (\(String(repeating: "∂", count: 40))… (57460 more characters)); "
                + "parts are named as the course names them, in at most 64 characters", "\(problem ?? "")")
        #expect(Evaluator.nameProblem(.fields([AnswerField("∂L/∂W", .scalar(1)), AnswerField("generator", .layers([]))])) == nil)
        #expect(Evaluator.nameProblem(.scalar(3)) == nil)
    }

    @Test func deeplyNestedRepliesAreRefused() throws {
        let loaded = try Practical1Driver.load("practical1", from: TestSupport.course, requireRubric: true)
        let (_, check) = try #require(loaded.spec.allChecks.first { $0.check.call == "newton" })
        let driver = Practical1Driver()
        let prepared = try driver.prepareCase(for: check, recipe: check.publicCases[0], seed: check.publicCases[0].seed ?? 0)
        for depth in [1_000, 100_000, 2_000_000] {
            let payload = Data(("{\"id\":1,\"answer\":{\"iterates\":{\"_0\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}}}").utf8)
            let verdict = Self.evaluate(payload, driver: driver, prepared: prepared, check: check, defaults: loaded.spec.defaults)
            #expect(verdict.verdict == .protocolError, "depth \(depth): \(verdict.message)")
        }
    }

    // MARK: Mutations

    /// A decodable answer with a changed structure or values: other dimensions and shapes (kept self-consistent),
    /// missing or extra parts, non-finite numbers, or another kind of answer altogether.
    static func reshape(_ answer: Answer, rng: inout SeededGenerator) -> Answer {
        func pick(_ n: Int) -> Int { n <= 0 ? 0 : Int(rng.next() % UInt64(n)) }
        func dimension(_ n: Int) -> Int { [0, 1, max(0, n - 1), n + 1, 2 * n + 3][pick(5)] }
        func vector(_ n: Int) -> Vector { Vector((0..<n).map { _ in rng.nextUniform() * 4 - 2 }) }
        func matrix(_ rows: Int, _ columns: Int) -> Matrix { Matrix(rows: rows, columns: columns, storage: (0..<(rows * columns)).map { _ in rng.nextUniform() - 0.5 }) }
        func poisoned(_ v: [Double]) -> [Double] {
            guard !v.isEmpty else { return v }
            var v = v
            v[pick(v.count)] = [Double.nan, .infinity, -.infinity, 1e308, -0.0][pick(5)]
            return v
        }
        if rng.next() % 8 == 0 {
            let others: [Answer] = [.scalar(.nan), .vector([1, 2]), .iterates([]), .matrix(matrix(2, 2)), .batches([[0]]), .layers([]),
                                    .linearUnit(LinearUnit(weights: [1], bias: 0)), .tensor(Tensor(zeros: [1, 2, 0])),
                                    .fields([AnswerField("x", .scalar(1)), AnswerField("y", .tensor(Tensor(zeros: [2])))])]
            return others[pick(others.count)]
        }
        switch answer {
        case let .scalar(value):
            return .scalar([Double.nan, .infinity, -.infinity, -value, value * 2, 0][pick(6)])
        case let .vector(v):
            return rng.next() % 2 == 0 ? .vector(vector(dimension(v.count))) : .vector(Vector(poisoned(v.storage)))
        case var .iterates(list):
            switch pick(5) {
            case 0: return .iterates([])
            case 1: if !list.isEmpty { list[pick(list.count)] = vector(dimension(list[0].count)) }
            case 2: list = Array(list.prefix(1 + pick(list.count)))
            case 3: if let last = list.last { list += Array(repeating: last, count: 1 + pick(50)) }
            default: if !list.isEmpty { let k = pick(list.count); list[k] = Vector(poisoned(list[k].storage)) }
            }
            return .iterates(list)
        case let .linearUnit(unit):
            return .linearUnit(LinearUnit(weights: rng.next() % 2 == 0 ? vector(dimension(unit.weights.count)) : Vector(poisoned(unit.weights.storage)),
                                          bias: [unit.bias, .nan, .infinity][pick(3)]))
        case let .matrix(m):
            return rng.next() % 2 == 0 ? .matrix(matrix(dimension(m.rows), dimension(m.columns)))
                : .matrix(Matrix(rows: m.rows, columns: m.columns, storage: poisoned(m.storage)))
        case var .cache(cache):
            switch pick(3) {
            case 0: if !cache.activations.isEmpty { cache.activations.removeLast() }
            case 1: if !cache.preActivations.isEmpty { let l = pick(cache.preActivations.count); cache.preActivations[l] = matrix(dimension(cache.preActivations[l].rows), cache.preActivations[l].columns) }
            default: cache.preActivations.append(matrix(1, 1))
            }
            return .cache(cache)
        case var .backpropagation(result):
            switch pick(4) {
            case 0: if !result.gradients.isEmpty { result.gradients.removeLast() }
            case 1: result.directionalDerivatives = Array(result.directionalDerivatives.prefix(pick(result.directionalDerivatives.count)))
            case 2:
                if !result.gradients.isEmpty {
                    let l = pick(result.gradients.count)
                    let g = result.gradients[l]
                    result.gradients[l] = LayerGradient(weights: matrix(dimension(g.weights.rows), dimension(g.weights.columns)), bias: vector(dimension(g.bias.count)))
                }
            default:
                if !result.gradients.isEmpty {
                    let l = pick(result.gradients.count)
                    result.gradients[l].weights.storage = poisoned(result.gradients[l].weights.storage)
                }
                result.directionalDerivatives = poisoned(result.directionalDerivatives)
            }
            return .backpropagation(result)
        case var .batches(batches):
            switch pick(3) {
            case 0: batches = []
            case 1: if !batches.isEmpty { batches[pick(batches.count)].append(contentsOf: [Int.max, Int.min, -1]) }
            default: batches.append(Array(0..<pick(100)))
            }
            return .batches(batches)
        case var .layers(layers):
            switch pick(5) {
            case 0: layers = Array(layers.prefix(pick(layers.count)))
            case 1:
                if !layers.isEmpty {
                    let l = pick(layers.count)
                    let rows = dimension(layers[l].weights.rows), columns = dimension(layers[l].weights.columns)
                    layers[l] = DenseLayer(weights: matrix(rows, columns), bias: vector(rows), activation: layers[l].activation)
                }
            case 2: if !layers.isEmpty { layers[pick(layers.count)].weights.storage = poisoned(layers[0].weights.storage.count == layers[pick(layers.count)].weights.storage.count ? layers[0].weights.storage : []) }
            case 3: if !layers.isEmpty { layers[pick(layers.count)].activation = [.leakyReLU(alpha: .nan), .softmax, .identity, .tanh][pick(4)] }
            default: layers += layers
            }
            return .layers(layers.filter { $0.weights.storage.count == $0.weights.rows * $0.weights.columns })
        case var .convolutionalNetwork(network):
            switch pick(5) {
            case 0: network.blocks = Array(network.blocks.prefix(pick(network.blocks.count)))
            case 1:
                if !network.blocks.isEmpty {
                    let b = pick(network.blocks.count)
                    let shape = network.blocks[b].convolution.weights.shape.map(dimension)
                    let count = shape.reduce(1, *)
                    if shape.count == 4, shape[2] == shape[3], count < 100_000 {
                        network.blocks[b].convolution = ConvolutionLayer(weights: Tensor(shape: shape, storage: (0..<count).map { _ in rng.nextUniform() }),
                                                                         bias: vector(shape[0]), stride: 1 + pick(3), padding: pick(70))
                    }
                }
            case 2: if !network.blocks.isEmpty { network.blocks[pick(network.blocks.count)].pooling = Pooling(.max, window: 1 + pick(40), stride: 1 + pick(5)) }
            case 3: (network.channels, network.height, network.width) = (dimension(network.channels), dimension(network.height), dimension(network.width))
            default:
                if !network.dense.isEmpty { network.dense[pick(network.dense.count)].weights.storage = poisoned(network.dense[0].weights.storage.count == network.dense.last!.weights.storage.count ? network.dense[0].weights.storage : []) }
                network.dense = network.dense.filter { $0.weights.storage.count == $0.weights.rows * $0.weights.columns }
            }
            return .convolutionalNetwork(network)
        case let .tensor(tensor):
            switch pick(3) {
            case 0:
                let shape = tensor.shape.map(dimension)
                return .tensor(Tensor(shape: shape, storage: (0..<shape.reduce(1, *)).map { _ in rng.nextUniform() }))
            case 1: return .tensor(Tensor(shape: tensor.shape + [1], storage: tensor.storage))
            default: return .tensor(Tensor(shape: tensor.shape, storage: poisoned(tensor.storage)))
            }
        case var .fields(fields):
            switch pick(4) {
            case 0: if !fields.isEmpty { fields.removeLast() }
            case 1: if !fields.isEmpty { fields.swapAt(0, fields.count - 1); if fields.count == 1 { fields[0].name += "′" } }
            case 2: fields.append(AnswerField("extra", .scalar(1)))
            default: if !fields.isEmpty { let k = pick(fields.count); fields[k].value = reshape(fields[k].value, rng: &rng) }
            }
            return .fields(fields)
        case .toolkitFault:
            // Not a reply the grader judges: it is a grader error by design (trainingDataTheToolkitCannotReadIsTheGradersFault).
            return answer
        }
    }

    static func mutate(_ payload: Data, rng: inout SeededGenerator) -> Data {
        switch rng.next() % 10 {
        case 0: return payload.prefix(Int(rng.next() % UInt64(max(1, payload.count))))
        case 1:
            var bytes = [UInt8](payload)
            for _ in 0..<(1 + rng.next() % 4) where !bytes.isEmpty { bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(1 << (rng.next() % 8)) }
            return Data(bytes)
        case 2:
            let depth = 1 + Int(rng.next() % 200_000)
            return Data(("{\"id\":1,\"answer\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}").utf8)
        case 3: return Data((0..<(rng.next() % 512)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        default:
            guard var tree = try? JSONSerialization.jsonObject(with: payload, options: [.fragmentsAllowed]) else { return payload }
            for _ in 0..<(1 + rng.next() % 3) { tree = mutateTree(tree, rng: &rng) }
            return (try? JSONSerialization.data(withJSONObject: tree, options: [.fragmentsAllowed])) ?? payload
        }
    }

    /// `node` with one random place below it changed.
    static func mutateTree(_ node: Any, rng: inout SeededGenerator) -> Any {
        let descend = rng.next() % 4 != 0
        if descend, var array = node as? [Any], !array.isEmpty {
            let index = Int(rng.next() % UInt64(array.count))
            array[index] = mutateTree(array[index], rng: &rng)
            return array
        }
        if descend, var object = node as? [String: Any], !object.isEmpty {
            let key = object.keys.sorted()[Int(rng.next() % UInt64(object.count))]
            object[key] = mutateTree(object[key]!, rng: &rng)
            return object
        }
        if var array = node as? [Any] {
            switch rng.next() % 4 {
            case 0: return [Any]()
            case 1: if !array.isEmpty { array.removeLast(Int(rng.next() % UInt64(array.count)) + 1) }; return array
            case 2: return array + Array(repeating: array.first ?? 0, count: Int(1 + rng.next() % 100))
            default: return array.reversed() as [Any]
            }
        }
        if var object = node as? [String: Any], let key = object.keys.sorted().first {
            switch rng.next() % 3 {
            case 0: object.removeValue(forKey: key)
            case 1: object["\(key)_"] = object.removeValue(forKey: key)
            default: object["unexpected"] = 1
            }
            return object
        }
        if node is NSNumber, rng.next() % 3 != 0 {
            let numbers: [Any] = [Int.max, Int.min, -1, 0, 1, 2, 1e308, -1e308, 5e-324, "nan", "inf", "-inf"]
            return numbers[Int(rng.next() % UInt64(numbers.count))]
        }
        return replacement(&rng)
    }

    /// A value of a random kind: a number at an edge, a non-finite marker, a string, null, or a container.
    static func replacement(_ rng: inout SeededGenerator) -> Any {
        let choices: [Any] = [Int.max, Int.min, -1, 0, 3, 1e308, -1e308, 5e-324, "nan", "inf", "-inf", "x", NSNull(), [Any](),
                              [String: Any](), [[[Any]]()], true, 2_147_483_648, -2_147_483_649]
        return choices[Int(rng.next() % UInt64(choices.count))]
    }
}
