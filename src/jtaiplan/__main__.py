from jtaiplan.cli.main import main

main()
