import CourseDrivers
import CourseKit
import Foundation
import Testing
@testable import Grader

/// The IDX reader on the real MNIST files and on broken ones.
@Suite struct IDXFileTests {
    static let mnist = TestSupport.course.dataURL("mnist")

    @Test func theRealTestSetLoads() throws {
        let test = try TrainingData.load(images: Self.mnist.appendingPathComponent("t10k-images-idx3-ubyte.gz"),
                                     labels: Self.mnist.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        #expect(test.inputs.rows == 10_000 && test.inputs.columns == 784)
        #expect(test.labels.count == 10_000)
        // Known facts of MNIST's test set: the first digits are 7, 2, 1, 0, 4, and there are 1,135 ones.
        #expect(Array(test.labels.prefix(5)) == [7, 2, 1, 0, 4])
        #expect(test.labels.filter { $0 == 1 }.count == 1135)
        #expect(test.inputs.storage.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(test.inputs.storage.max() == 1)
        let subset = test.subset([4, 0])
        #expect(subset.labels == [4, 7])
        #expect(subset.inputs.row(1) == test.inputs.row(0))
    }

    @Test func theRealTrainingLabelsLoad() throws {
        let labels = try IDXFile.read(Self.mnist.appendingPathComponent("train-labels-idx1-ubyte.gz"), expectedRank: 1)
        #expect(labels.dimensions == [60_000])
        #expect(Array(labels.bytes.prefix(3)) == [5, 0, 4])
    }

    static func gzip(_ data: Data) throws -> Data {
        let folder = TestSupport.temporaryFolder("idx")
        let file = folder.appendingPathComponent("data")
        try data.write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-n", file.path]
        try process.run()
        process.waitUntilExit()
        return try Data(contentsOf: folder.appendingPathComponent("data.gz"))
    }

    static let labelsHeader: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 3]

    @Test func brokenFilesAreReportedPrecisely() throws {
        func problem(_ bytes: [UInt8], rank: Int? = 1) -> String {
            do {
                _ = try IDXFile.parse(Data(bytes), file: "labels.idx", expectedRank: rank)
                return ""
            } catch { return "\(error)" }
        }
        #expect(problem(Self.labelsHeader + [1, 2, 3]) == "")
        #expect(problem(Self.labelsHeader + [1, 2]) == "labels.idx: truncated: dimensions 3 need 3 bytes of data, found 2")
        #expect(problem(Self.labelsHeader + [1, 2, 3, 4]) == "labels.idx: too long: dimensions 3 need 3 bytes of data, found 4")
        #expect(problem([0, 0]) == "labels.idx: truncated: 2 bytes, not even a magic number")
        #expect(problem([0x1F, 0x8B, 8, 1]) == "labels.idx: bad magic number 1f 8b 08 01 (an IDX file starts with 00 00)")
        #expect(problem([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]) == "labels.idx: element type 0x0d is not unsigned bytes (0x08)")
        #expect(problem(Self.labelsHeader + [1, 2, 3], rank: 3) == "labels.idx: has 1 dimensions, expected 3")
        #expect(problem([0, 0, 8, 3, 0, 0], rank: 3) == "labels.idx: truncated in its header")
    }

    @Test func truncatedAndCorruptGzipAreReported() throws {
        let folder = TestSupport.temporaryFolder("idx")
        let good = try Self.gzip(Data(Self.labelsHeader + [1, 2, 3]))
        let truncated = folder.appendingPathComponent("truncated.gz")
        try good.prefix(good.count - 6).write(to: truncated)
        #expect { try IDXFile.read(truncated) } throws: { "\($0)" == "truncated.gz: the gzip stream is truncated" }
        var flipped = good
        flipped[flipped.count - 5] ^= 0xFF
        let corrupt = folder.appendingPathComponent("corrupt.gz")
        try flipped.write(to: corrupt)
        #expect { try IDXFile.read(corrupt) } throws: { "\($0)".hasPrefix("corrupt.gz: the gzip stream is corrupt") }
        let missing = folder.appendingPathComponent("missing.gz")
        #expect { try IDXFile.read(missing) } throws: { "\($0)".hasPrefix("missing.gz: cannot be read") }
        // Images and labels that do not match.
        let images = folder.appendingPathComponent("images")
        try Data([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 255]).write(to: images)
        let labels = folder.appendingPathComponent("labels")
        try Data(Self.labelsHeader + [1, 2, 3]).write(to: labels)
        #expect { try TrainingData.load(images: images, labels: labels) } throws: { "\($0)" == "labels: has 3 labels for 2 images in images" }
    }
}
