import multiprocessing
import sys

from kiosk.cli import main

if __name__ == "__main__":
    # The face model runs in a child process; a frozen (PyInstaller) build must let it start.
    multiprocessing.freeze_support()
    sys.exit(main())
