"""`python -m scheduler`: the same command line as the installed `scheduler`, for a
machine where the scripts folder is not on PATH (a user install, a venv not activated)."""

from scheduler.entry import main

if __name__ == "__main__":
    main()
