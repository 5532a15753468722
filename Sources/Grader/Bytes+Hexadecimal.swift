extension Sequence where Element == UInt8 {
    /// The bytes as lowercase hexadecimal, two digits each, as digests are written in keys and file names.
    package var hexadecimal: String { map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined() }
}

private extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
