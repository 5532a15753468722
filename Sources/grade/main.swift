import CourseDrivers
import GradeCLI
import Grader

Practicals.$registry.withValue(.course) { GradeCommand.main() }
