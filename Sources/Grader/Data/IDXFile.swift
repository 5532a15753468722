import CourseKit
import Foundation
import SafeText

/// An IDX file (the MNIST format): a magic number giving the element type and rank, the dimensions,
/// then the elements in row-major order, all big-endian.
///
/// MNIST's images are `00 00 08 03`, count × 28 × 28 unsigned bytes; its labels `00 00 08 01`,
/// count unsigned bytes (LeCun, Cortes and Burges, "THE MNIST DATABASE of handwritten digits").
public struct IDXFile: Sendable {
    /// The dimensions, outermost first.
    public let dimensions: [Int]
    /// The elements as unsigned bytes.
    public let bytes: [UInt8]

    /// Why a file is not a usable IDX file, naming the file.
    public struct Problem: Error, CustomStringConvertible {
        /// The file.
        public let file: String
        /// What is wrong with it.
        public let reason: String
        /// "<file>: <reason>".
        public var description: String { "\(file): \(reason)" }

        /// The problem `reason` with `file`.
        package init(file: String, reason: String) {
            self.file = file
            self.reason = reason
        }
    }

    /// Reads an IDX file, gzip'd (`.gz`) or not, checking the magic number, the dimensions and the length.
    public static func read(_ url: URL, expectedRank: Int? = nil) throws -> IDXFile {
        let name = url.lastPathComponent
        let raw: Data
        do { raw = try Data(contentsOf: url) } catch {
            throw Problem(file: name, reason: "cannot be read: \(FileErrorText.reason(error, .reading, path: url.path))")
        }
        let data: Data
        if raw.starts(with: [0x1F, 0x8B]) {
            do { data = try Gzip.decompress(raw) } catch { throw Problem(file: name, reason: "\(error)") }
        } else {
            data = raw
        }
        return try parse(data, file: name, expectedRank: expectedRank)
    }

    /// Parses the bytes of an uncompressed IDX file.
    static func parse(_ data: Data, file: String, expectedRank: Int?) throws -> IDXFile {
        let bytes = [UInt8](data)
        guard bytes.count >= 4 else { throw Problem(file: file, reason: "truncated: \(bytes.count) bytes, not even a magic number") }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw Problem(file: file, reason: String(format: "bad magic number %02x %02x %02x %02x (an IDX file starts with 00 00)", bytes[0], bytes[1], bytes[2], bytes[3]))
        }
        guard bytes[2] == 0x08 else {
            throw Problem(file: file, reason: String(format: "element type 0x%02x is not unsigned bytes (0x08)", bytes[2]))
        }
        let rank = Int(bytes[3])
        if let expectedRank, rank != expectedRank {
            throw Problem(file: file, reason: "has \(rank) dimensions, expected \(expectedRank)")
        }
        guard rank >= 1, bytes.count >= 4 + 4 * rank else { throw Problem(file: file, reason: "truncated in its header") }
        var dimensions: [Int] = []
        for axis in 0..<rank {
            let offset = 4 + 4 * axis
            dimensions.append(bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) })
        }
        let count = dimensions.reduce(1, *)
        let start = 4 + 4 * rank
        guard bytes.count - start == count else {
            let verb = bytes.count - start < count ? "truncated" : "too long"
            throw Problem(file: file, reason: "\(verb): dimensions \(dimensions.map(String.init).joined(separator: "×")) need \(count) bytes of data, found \(bytes.count - start)")
        }
        return IDXFile(dimensions: dimensions, bytes: Array(bytes[start...]))
    }
}

extension IDXFile {
    /// Writes `set` as an uncompressed IDX pair (28×28 unsigned-byte images, unsigned-byte labels).
    package static func write(_ set: TrainingData, images: URL, labels: URL) throws {
        let count = set.inputs.rows
        func header(_ magic: UInt8, _ dimensions: [Int]) -> [UInt8] {
            [0, 0, 8, magic] + dimensions.flatMap { value in (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        }
        let side = Int(Double(set.inputs.columns).squareRoot())
        var imageBytes = header(3, [count, side, set.inputs.columns / max(1, side)])
        imageBytes += set.inputs.storage.map { UInt8(($0 * 255).rounded()) }
        try Data(imageBytes).write(to: images, options: .atomic)
        try Data(header(1, [count]) + set.labels.map { UInt8($0) }).write(to: labels, options: .atomic)
    }
}
