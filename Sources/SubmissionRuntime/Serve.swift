import CourseKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A practical's call as it travels to a submission: it knows which solution type answers it, and how.
///
/// Each practical's wire enum conforms (`Practical1Call` is answered by `any Practical1`), so one
/// `serve` answers every practical: the grader's generated entry point names the wire type.
public protocol ServedCall: Codable, Sendable {
    /// What the student's `Solution` must be, usually the practical's CourseKit protocol as an existential.
    associatedtype Solution
    /// Runs this call on `solution` and wraps what it returns.
    func answer(with solution: Solution) -> Answer
}

/// Answers the grader's requests of type `call` by calling `solution`, until standard input closes.
///
/// The generated entry point of a submission is `serve(<wire type>.self, Solution())`. Before the first
/// request, standard output is moved aside for replies and fd 1 is pointed at standard error, so a
/// student's `print` can never corrupt the channel. `Solution()` is an autoclosure, evaluated only after
/// the runtime has announced itself: whatever the student's initialiser does happens after the
/// announcement, so it is the student's doing.
public func serve<Call: ServedCall>(_ call: Call.Type, _ solution: @autoclosure () -> Call.Solution) -> Never {
    serveRequests { () -> (Call) -> Answer in
        let made = solution()
        return { call in call.answer(with: made) }
    }
}

/// Announces that the process started, then exits: the grader's check, before grading anyone, that a
/// program built against this toolkit loads and runs in its sandbox.
public func serveStartupProbe() -> Never {
    _ = ServingChannel()
    exit(0)
}

/// The request loop shared by every practical: announce, make the solution, then decode a call, answer it, repeat.
func serveRequests<Call: Codable & Sendable>(_ makeAnswerer: () -> (Call) -> Answer) -> Never {
    var channel = ServingChannel()
    let answer = makeAnswerer()
    while let payload = channel.nextRequest() {
        guard let request = try? WireFormat.decoder().decode(Request<Call>.self, from: payload) else {
            FileHandle.standardError.write(Data("submission runtime: undecodable request\n".utf8))
            exit(2)
        }
        channel.send(Reply(id: request.id, answer: answer(request.call)))
    }
    exit(0)
}

/// The submission side of the channel: reads framed requests from fd 0, writes framed replies to a private fd.
struct ServingChannel {
    private let replyDescriptor: Int32
    private var buffer = Data()

    /// Moves standard output aside for replies and announces readiness, before any of the student's code runs.
    init() {
        replyDescriptor = dup(1)
        dup2(2, 1)
        write(WireFormat.readyFrame)
    }

    mutating func nextRequest() -> Data? {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            switch WireFormat.parse(buffer, limit: Int.max) {
            case let .message(payload, consumed):
                buffer.removeFirst(consumed)
                return payload
            case .malformed:
                return nil
            case .incomplete:
                let n = read(0, &chunk, chunk.count)
                if n <= 0 { return nil }
                buffer.append(contentsOf: chunk[0..<n])
            }
        }
    }

    func send(_ reply: Reply) {
        guard let data = try? WireFormat.frame(reply) else { exit(3) }
        write(data)
    }

    private func write(_ data: Data) {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(replyDescriptor, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { exit(4) }
                offset += n
            }
        }
    }
}
