import CourseDrivers
import GradeCLI
import Grader
import StudentCLI

Practicals.$registry.withValue(.course) { GradeCommand.main() }
