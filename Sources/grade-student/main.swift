import GradeCLI

StudentCommand.main()
