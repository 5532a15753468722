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
