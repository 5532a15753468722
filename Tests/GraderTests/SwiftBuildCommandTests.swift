import Foundation
import Grader
import Testing

/// The build a missing product needs is the one that fills the folder it is looked for in.
@Suite struct SwiftBuildCommandTests {
    @Test func aReleaseFolderIsFilledByAReleaseBuildAndAnyOtherByTheDefaultOne() {
        #expect(SwiftBuildCommand.building("grade-student", into: URL(fileURLWithPath: "/course/.build/x86_64-unknown-linux-gnu/release"))
                == "swift build -c release --product grade-student")
        #expect(SwiftBuildCommand.building("SubmissionKit", into: URL(fileURLWithPath: "/course/.build/x86_64-unknown-linux-gnu/debug"))
                == "swift build --product SubmissionKit")
    }
}
