import CourseKit
import Foundation

/// Labelled images as the grader reads, subsets and transforms them: CourseKit's `TrainingData`, one
/// image per row of `inputs` with pixels scaled to [0, 1], and its class in `labels`.
extension TrainingData {
    /// Loads an IDX images file and labels file (gzip'd or not, as MNIST ships them) and checks that they
    /// match and that every label is a digit.
    public static func load(images imagesURL: URL, labels labelsURL: URL) throws -> TrainingData {
        let images = try IDXFile.read(imagesURL, expectedRank: 3)
        let labels = try IDXFile.read(labelsURL, expectedRank: 1)
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw IDXFile.Problem(file: labelsURL.lastPathComponent,
                                  reason: "has \(labels.dimensions[0]) labels for \(images.dimensions[0]) images in \(imagesURL.lastPathComponent)")
        }
        if let bad = labels.bytes.first(where: { $0 > 9 }) {
            throw IDXFile.Problem(file: labelsURL.lastPathComponent, reason: "label \(bad) is not a digit")
        }
        let pixels = images.dimensions[1] * images.dimensions[2]
        return TrainingData(inputs: Matrix(rows: images.dimensions[0], columns: pixels, storage: images.bytes.map { Double($0) / 255 }),
                            labels: labels.bytes.map(Int.init))
    }

    /// The rows `indices`, in that order.
    public func subset(_ indices: [Int]) -> TrainingData {
        var storage: [Double] = []
        storage.reserveCapacity(indices.count * inputs.columns)
        for index in indices { storage += inputs.storage[(index * inputs.columns)..<((index + 1) * inputs.columns)] }
        return TrainingData(inputs: Matrix(rows: indices.count, columns: inputs.columns, storage: storage), labels: indices.map { labels[$0] })
    }

    /// This set's images followed by `other`'s (which must have as many pixels).
    public func followed(by other: TrainingData) -> TrainingData {
        precondition(other.inputs.columns == inputs.columns, "images of \(other.inputs.columns) and \(inputs.columns) pixels")
        return TrainingData(inputs: Matrix(rows: inputs.rows + other.inputs.rows, columns: inputs.columns, storage: inputs.storage + other.inputs.storage),
                        labels: labels + other.labels)
    }

    /// The set with pixel j of every image taken from pixel `pixels[j]`, and every label l replaced by `classes[l]`.
    public func transformed(pixels: [Int], classes: [Int]) -> TrainingData {
        precondition(pixels.count == inputs.columns, "a pixel permutation of \(pixels.count) for \(inputs.columns) pixels")
        var storage = [Double](repeating: 0, count: inputs.storage.count)
        let n = inputs.columns
        inputs.storage.withUnsafeBufferPointer { source in
            storage.withUnsafeMutableBufferPointer { target in
                for row in 0..<inputs.rows {
                    let base = row * n
                    for j in 0..<n { target[base + j] = source[base + pixels[j]] }
                }
            }
        }
        return TrainingData(inputs: Matrix(rows: inputs.rows, columns: n, storage: storage), labels: labels.map { classes[$0] })
    }
}
