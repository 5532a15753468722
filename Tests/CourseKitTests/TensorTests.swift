import CourseKit
import Foundation
import Testing

/// Tensors: row-major layout, indices and offsets, and decoding that holds a tensor to its shape.
struct TensorTests {
    @Test func entriesAreRowMajorWithTheLastIndexFastest() {
        var x = Tensor(zeros: [2, 3, 4])
        x[1, 2, 3] = 7
        x[0, 1, 0] = 5
        #expect(x.storage[23] == 7 && x.storage[4] == 5 && x.count == 24 && x.rank == 3)
        for offset in 0..<x.count { #expect(x.offset(x.indices(ofOffset: offset)) == offset) }
        #expect(x.indices(ofOffset: 17) == [1, 1, 1])
        #expect(Tensor(Matrix(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5, 6]))[1, 0] == 4)
        #expect(x.reshaped([6, 4])[5, 3] == 7 && Tensor.describe([2, 3, 4]) == "2×3×4" && Tensor.describe([]) == "scalar")
    }

    @Test func decodingHoldsATensorToItsShape() throws {
        let decoder = JSONDecoder()
        let good = try decoder.decode(Tensor.self, from: Data(#"{"shape": [1, 2, 2], "storage": [1, 2, 3, 4]}"#.utf8))
        #expect(good == Tensor(shape: [1, 2, 2], storage: [1, 2, 3, 4]))
        #expect(try decoder.decode(Tensor.self, from: JSONEncoder().encode(good)) == good)
        for (json, reason) in [(#"{"shape": [2, 2], "storage": [1, 2, 3]}"#, "a 2×2 tensor needs 4 entries in storage, not 3"),
                               (#"{"shape": [2, -2], "storage": []}"#, "a tensor cannot have the shape 2×-2"),
                               (#"{"shape": [4294967296, 4294967296], "storage": []}"#, "a 4294967296×4294967296 tensor is too large")] {
            #expect {
                try decoder.decode(Tensor.self, from: Data(json.utf8))
            } throws: { error in
                guard case let DecodingError.dataCorrupted(context) = error else { return false }
                return context.debugDescription == reason
            }
        }
    }
}

/// Image batches: NCHW layout, rows as samples, and decoding that holds a batch to its shape.
struct ImageBatchTests {
    @Test func oneSamplePerRowChannelThenRowThenColumn() throws {
        let rows = Matrix(rows: 2, columns: 8, storage: (0..<16).map(Double.init))
        let x = ImageBatch(rows: rows, channels: 2, height: 2, width: 2)
        #expect(x[1, 0, 1, 0] == 10 && x[0, 1, 0, 1] == 5 && x.flattened == rows && x.shape == [2, 2, 2, 2])
        #expect(ImageBatch(x.tensor) == x && x.tensor[1, 1, 1, 1] == 15)
        let layer = ConvolutionLayer(weights: Tensor(zeros: [4, 2, 3, 3]), bias: .zeros(4), stride: 2, padding: 1)
        #expect(layer.outputSize(height: 28, width: 28)! == (14, 14) && layer.outputSize(height: 0, width: 5) == nil)
        #expect(Pooling(.max, window: 2).outputSize(height: 7, width: 6)! == (3, 3))
        #expect(try JSONDecoder().decode(ImageBatch.self, from: JSONEncoder().encode(x)) == x)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ImageBatch.self, from: Data(#"{"count":1,"channels":1,"height":2,"width":2,"storage":[1,2,3]}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ConvolutionLayer.self, from: Data(#"{"weights":{"shape":[2,1,3,2],"storage":[1,2,3,4,5,6,7,8,9,10,11,12]},"bias":[0,0],"stride":1,"padding":0}"#.utf8))
        }
    }

    @Test func dropoutMasksComeFromTheSeedInOrder() {
        var rng = SeededGenerator(seed: 5), again = SeededGenerator(seed: 5)
        let dropout = Dropout(probability: 0.3)
        let mask = dropout.mask(count: 1000, using: &rng)
        #expect(mask == (0..<1000).map { _ in again.nextUniform() < 0.3 ? 0 : 1 })
        #expect(abs(mask.reduce(0, +) / 1000 - 0.7) < 0.05 && dropout.scale == 1 / 0.7)
    }
}
