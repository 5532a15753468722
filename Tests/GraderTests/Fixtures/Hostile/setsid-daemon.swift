import CourseKit
import Foundation

func hostileAction(_ x: Vector) {
    // Double fork into a new session, ignore SIGTERM, outlive the submission.
    if fork() == 0 {
        setsid()
        if fork() == 0 {
            signal(SIGTERM, SIG_IGN)
            signal(SIGHUP, SIG_IGN)
            while true { sleep(1) }
        }
        exit(0)
    }
}
