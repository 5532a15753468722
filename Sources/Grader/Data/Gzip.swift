internal import CZlibShim
import Foundation

/// Decompresses gzip data with zlib.
enum Gzip {
    /// Why data could not be decompressed.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The decompressed bytes of `data`, which must be one complete gzip stream of at most `limit` bytes uncompressed.
    static func decompress(_ data: Data, limit: Int = 1 << 30) throws -> Data {
        guard data.count >= 18, data[data.startIndex] == 0x1F, data[data.startIndex + 1] == 0x8B else {
            throw Failure(description: "not gzip data (no 1f 8b signature)")
        }
        var stream = z_stream()
        // 16 + MAX_WBITS: expect a gzip header and trailer.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(description: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        let status: Int32 = data.withUnsafeBytes { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            var code = Z_OK
            repeat {
                code = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    let result = inflate(&stream, Z_NO_FLUSH)
                    output.append(buffer.baseAddress!, count: buffer.count - Int(stream.avail_out))
                    return result
                }
                if output.count > limit { return Z_BUF_ERROR }
            } while code == Z_OK
            return code
        }
        switch status {
        case Z_STREAM_END: return output
        case Z_BUF_ERROR where output.count > limit: throw Failure(description: "more than \(limit) bytes once decompressed")
        case Z_BUF_ERROR: throw Failure(description: "the gzip stream is truncated")
        default: throw Failure(description: "the gzip stream is corrupt (zlib error \(status))")
        }
    }
}
