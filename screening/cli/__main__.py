from screening.cli.main import main

main()
