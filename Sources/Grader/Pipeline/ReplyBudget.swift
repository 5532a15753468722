import Foundation

/// The most a call can legitimately return, which bounds how much of a submission's reply the grader reads.
///
/// A reply larger than its budget is refused while it is being read, before any of it is decoded,
/// so neither a runaway loop nor a deliberate flood can cost the grader more than a correct answer would.
public struct ReplyBudget: Sendable, Equatable {
    /// The most numbers (doubles or integers) a correct answer holds.
    public var numbers: Int
    /// The most arrays and objects (iterates, layers, mini-batches) a correct answer holds.
    public var containers: Int
    /// The bound in words, for the message of a reply that exceeds it: "(maxIterations + 1) × n = 201 × 3 numbers".
    public var description: String

    /// JSON bytes per number: the longest double, "-2.2250738585072014e-308", is 24 characters, plus a separator.
    static let bytesPerNumber = 32
    /// JSON bytes per array or object: brackets, keys and separators.
    static let bytesPerContainer = 64
    /// Room for the reply's envelope and the answer's kind.
    static let envelopeBytes = 4096
    /// The ceiling whatever a spec asks for: 64 MiB.
    public static let ceilingBytes = 64 << 20

    /// A budget of `numbers` numbers in `containers` arrays or objects.
    public init(numbers: Int, containers: Int = 1, description: String) {
        self.numbers = max(0, numbers)
        self.containers = max(0, containers)
        self.description = description
    }

    /// The reply size, in bytes, that this many values can take, capped at `ceilingBytes`.
    public var bytes: Int {
        let parts = [Self.product(numbers, Self.bytesPerNumber), Self.product(containers, Self.bytesPerContainer), Self.envelopeBytes]
        return parts.reduce(0) { Self.sum($0, $1) }.clamped(to: Self.envelopeBytes...Self.ceilingBytes)
    }

    /// a × b, or Int.max when it overflows (spec values are the instructor's, but never trusted to be small).
    static func product(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow || value < 0 ? Int.max : value
    }

    /// a + b, or Int.max when it overflows.
    static func sum(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : value
    }

    /// Scalar values (numbers, strings, keys, literals) a reply may hold: the numbers, plus room for the
    /// keys and markers of every container (a matrix is an object with three keys and an array).
    var scalarAllowance: Int { Self.sum(Self.sum(numbers, Self.product(containers, 8)), 256) }
    /// Arrays and objects a reply may hold, with room for the answer's wrappers.
    var containerAllowance: Int { Self.sum(Self.product(containers, 4), 64) }

    /// Why `payload` exceeds this budget, or nil when it fits: too many bytes, or (counted by one pass over
    /// the bytes, before anything is decoded) too many values or containers, so that a reply of two-byte
    /// zeros or empty arrays cannot make the decoder build millions of values.
    func problem(with payload: Data) -> String? {
        if payload.count > bytes { return exceeded(by: payload.count) }
        let (scalars, containers) = Self.valueCounts(payload)
        if scalars > scalarAllowance || containers > containerAllowance {
            return "your answer holds \(scalars) values in \(containers) arrays and objects, more than this call can legitimately return (\(description)); "
                + "return only what the requirement asks for"
        }
        return nil
    }

    /// The scalar values and the arrays and objects of a JSON text, counted in one pass without parsing it.
    static func valueCounts(_ payload: Data) -> (scalars: Int, containers: Int) {
        var scalars = 0, containers = 0
        var inString = false, escaped = false, inNumber = false
        for byte in payload {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                inNumber = false
                scalars += 1
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                containers += 1
                inNumber = false
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
                // A number or a literal (true, false, null): one value per run of such bytes.
                if !inNumber { scalars += 1 }
                inNumber = true
            default:
                inNumber = false
            }
        }
        return (scalars, containers)
    }

    /// The message for a reply of `size` bytes that exceeds this budget.
    func exceeded(by size: Int) -> String {
        "your answer is \(Feedback.bytes(size)), more than this call can legitimately return (\(description), at most \(Feedback.bytes(bytes))); "
            + "return only what the requirement asks for"
    }
}

extension Comparable {
    /// The value brought within `range`.
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
