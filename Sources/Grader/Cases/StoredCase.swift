import Crypto
import Foundation
import SubmissionRuntime

/// A public case written down whole: the call, the reference's answer, and the evidence its judge reads,
/// so that it can be judged where it cannot be generated (a student's kit has no reference engine).
public struct StoredCase<Call: Codable & Sendable>: Codable, Sendable {
    /// The check's id.
    public var check: String
    /// The public case's number in its check, from 1.
    public var number: Int
    /// The case's seed.
    public var seed: UInt64
    /// The inputs in words, as feedback shows them.
    public var inputs: String
    /// The call, with any data file it reads named relative to the bundle's data folder (`CourseLayout.publicCaseDataURL`).
    public var call: Call
    /// The reference's answer.
    public var reference: Answer
    /// The evidence, in the order the driver attached it.
    public var evidence: [StoredEvidence]
    /// The data files the call reads, relative to the data folder.
    public var dataFiles: [String]

    /// The case's label, as feedback gives it.
    public var label: String { "public \(number)" }

    /// The evidence for judges, with `substitutes` for what was not stored.
    public func restoredEvidence(with substitutes: EvidenceSubstitutes) -> CaseEvidence {
        CaseEvidence(evidence.map { $0.restored(with: substitutes) })
    }
}

/// Every public case of one assignment, stored (`StoredCase`), with a digest of the spec they were drawn
/// from and one of the cases themselves: a bundle is used only with that spec, and only as it was written.
public struct PublicCaseBundle<Call: Codable & Sendable>: Codable, Sendable {
    /// The format's version.
    public static var currentFormat: Int { 2 }

    /// The format this bundle was written in.
    public var format: Int
    /// The assignment's id.
    public var assignment: String
    /// The SHA-256 of the spec file the cases were drawn from, in hexadecimal.
    public var specDigest: String
    /// The grader's version that wrote the bundle.
    public var graderVersion: String
    /// The cases, check by check in spec order, public case by public case.
    public var cases: [StoredCase<Call>]
    /// The SHA-256 of the cases (`casesDigest(of:)`), in hexadecimal: an edited case no longer matches it.
    public var casesDigest: String

    /// A bundle of `cases`.
    public init(assignment: String, specDigest: String, cases: [StoredCase<Call>]) throws {
        format = Self.currentFormat
        self.assignment = assignment
        self.specDigest = specDigest
        graderVersion = GraderVersion.current
        self.cases = cases
        casesDigest = try Self.casesDigest(of: cases)
    }

    /// The digest a bundle names its cases by: SHA-256 of their JSON with sorted keys and every number
    /// written to the last bit, which decoding and encoding again reproduces.
    public static func casesDigest(of cases: [StoredCase<Call>]) throws -> String {
        let encoder = WireFormat.encoder()
        encoder.outputFormatting = [.sortedKeys]
        return SHA256.hash(data: try encoder.encode(cases)).hexadecimal
    }

    /// The digest a bundle names the spec it was drawn from by: SHA-256 of the spec file, in hexadecimal.
    public static func specDigest(of spec: Data) -> String { SHA256.hash(data: spec).hexadecimal }

    /// Public case `number` of `check`.
    public func storedCase(check: String, number: Int) -> StoredCase<Call>? {
        cases.first { $0.check == check && $0.number == number }
    }

    /// The bundle as bit-exact JSON (`WireFormat.encoder`: every Double round-trips).
    public func encoded() throws -> Data { try WireFormat.encoder().encode(self) }

    /// The bundle in `data`, refusing another format with what to do.
    public static func decode(_ data: Data) throws -> PublicCaseBundle {
        let header: BundleHeader
        do { header = try WireFormat.decoder().decode(BundleHeader.self, from: data) } catch {
            throw BundleError("it is not a bundle of public cases (\(error))")
        }
        guard header.format == currentFormat else {
            throw BundleError("it is in format \(header.format), and this grader reads format \(currentFormat): use the grader it was made for")
        }
        let bundle: PublicCaseBundle
        do { bundle = try WireFormat.decoder().decode(PublicCaseBundle.self, from: data) } catch {
            throw BundleError("it cannot be read (\(error))")
        }
        guard (try? casesDigest(of: bundle.cases)) == bundle.casesDigest else {
            throw BundleError("its cases were edited after the kit was written (they no longer match their digest): unpack the kit again")
        }
        return bundle
    }

    /// A bundle that cannot be read.
    public struct BundleError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}

/// The field every format of a bundle starts with.
private struct BundleHeader: Decodable {
    var format: Int
}
