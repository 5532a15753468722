import Foundation

/// The framing both sides of the grader–submission channel use.
///
/// Each message is the ASCII header `GRADE <n>\n` followed by exactly n bytes of JSON. The
/// grader writes requests to the submission's standard input; the submission writes replies
/// to a private copy of its original standard output, while anything the student prints goes
/// to standard error. Non-finite doubles travel as the strings "inf", "-inf" and "nan".
public enum WireFormat {
    /// The header's leading word.
    public static let magic = "GRADE "
    /// The largest header the reader accepts before the payload, in bytes.
    public static let maximumHeaderLength = 32

    /// The payload of the first message a submission process sends, before any student code runs.
    ///
    /// A process that dies or stalls before sending it never ran the student's code, so its failure
    /// is the grader's (a loader, toolkit or sandbox fault), never the student's.
    public static let readyPayload = Data("{\"ready\":true}".utf8)

    /// `readyPayload`, framed.
    public static var readyFrame: Data { Data("\(magic)\(readyPayload.count)\n".utf8) + readyPayload }

    /// Encodes `value` as one framed message.
    public static func frame<T: Encodable>(_ value: T) throws -> Data {
        let payload = try encoder().encode(value)
        var data = Data("\(magic)\(payload.count)\n".utf8)
        data.append(payload)
        return data
    }

    /// A JSON encoder with the channel's settings.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// A JSON decoder with the channel's settings.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// The outcome of looking for one message at the start of a buffer.
    public enum Parse: Equatable {
        /// More bytes are needed.
        case incomplete
        /// A whole message: its payload and the number of bytes it used.
        case message(payload: Data, consumed: Int)
        /// The bytes are not a valid frame; the reason says why.
        case malformed(String)
    }

    /// The payload length the header at the start of `buffer` announces, when a whole header is there.
    public static func announcedLength(_ buffer: Data) -> Int? {
        guard let newline = buffer.prefix(maximumHeaderLength).firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let header = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
        guard header.hasPrefix(magic) else { return nil }
        return Int(header.dropFirst(magic.count))
    }

    /// Looks for one framed message at the start of `buffer`, accepting payloads up to `limit` bytes.
    public static func parse(_ buffer: Data, limit: Int) -> Parse {
        guard let newline = buffer.prefix(maximumHeaderLength).firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.count >= maximumHeaderLength { return .malformed("no message header in the first \(maximumHeaderLength) bytes") }
            let magicBytes = Data(magic.utf8)
            let prefix = buffer.prefix(magicBytes.count)
            return magicBytes.starts(with: prefix) ? .incomplete : .malformed("the reply does not start with a message header")
        }
        let header = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
        guard header.hasPrefix(magic), let length = Int(header.dropFirst(magic.count)), length >= 0 else {
            return .malformed("bad message header \"\(header.prefix(40))\"")
        }
        guard length <= limit else { return .malformed("message of \(length) bytes exceeds the \(limit)-byte limit") }
        let start = buffer.index(after: newline)
        guard buffer.distance(from: start, to: buffer.endIndex) >= length else { return .incomplete }
        let end = buffer.index(start, offsetBy: length)
        return .message(payload: Data(buffer[start..<end]), consumed: buffer.distance(from: buffer.startIndex, to: end))
    }
}

/// A request from the grader: an identifier and the call to make.
public struct Request<Call: Codable & Sendable>: Codable, Sendable {
    /// Echoed in the reply, so a stale or forged reply is recognised.
    public var id: UInt64
    /// What to run.
    public var call: Call

    /// Creates a request.
    public init(id: UInt64, call: Call) {
        self.id = id
        self.call = call
    }
}

/// A reply from the submission: the request's identifier and the answer.
public struct Reply: Codable, Sendable {
    /// The identifier of the request this answers.
    public var id: UInt64
    /// What the student's code returned.
    public var answer: Answer

    /// Creates a reply.
    public init(id: UInt64, answer: Answer) {
        self.id = id
        self.answer = answer
    }
}
