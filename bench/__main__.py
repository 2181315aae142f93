"""Run one benchmark: `python -m bench NAME [ARGS...]`; with no NAME, list them."""

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    modules = pkgutil.iter_modules([str(Path(__file__).parent)])
    names = sorted(m.name for m in modules if not m.name.startswith("_"))
    if len(sys.argv) < 2 or sys.argv[1] not in names:
        print("usage: python -m bench NAME [ARGS...]\nbenchmarks: " + ", ".join(names))
        return 2
    module = importlib.import_module(f"bench.{sys.argv[1]}")
    return int(module.main(sys.argv[2:]) or 0)


sys.exit(main())
