import Foundation

/// A deterministic random number generator (xoshiro256**), seeded by one 64-bit integer.
///
/// The same seed always gives the same sequence on every machine, so a shuffle or an
/// initialisation seeded with it can be reproduced exactly by the grader.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// let u = rng.nextUniform()          // in [0, 1)
/// let z = rng.nextGaussian()         // standard normal
/// let order = (0..<10).shuffled(using: &rng)
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose sequence is determined by `seed` (expanded with SplitMix64).
    public init(seed: UInt64) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform double in [0, 1), built from the top 53 bits.
    public mutating func nextUniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform double in [low, high).
    public mutating func nextUniform(in low: Double, _ high: Double) -> Double { low + (high - low) * nextUniform() }

    /// A standard normal sample N(0, 1), by the Box–Muller transform.
    public mutating func nextGaussian() -> Double {
        var u = nextUniform()
        while u == 0 { u = nextUniform() }
        let v = nextUniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// A vector of `count` independent N(0, σ²) samples.
    public mutating func gaussianVector(_ count: Int, standardDeviation: Double = 1) -> Vector {
        Vector((0..<count).map { _ in standardDeviation * nextGaussian() })
    }

    /// A `rows`×`columns` matrix of independent N(0, σ²) samples.
    public mutating func gaussianMatrix(rows: Int, columns: Int, standardDeviation: Double = 1) -> Matrix {
        Matrix(rows: rows, columns: columns, storage: (0..<(rows * columns)).map { _ in standardDeviation * nextGaussian() })
    }
}
