import GradeCLI
GradeCommand.main()
