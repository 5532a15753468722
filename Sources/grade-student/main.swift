import StudentCLI

StudentCommand.main()
