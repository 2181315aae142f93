"""The `kiosk` command: one entry point, one sub-command module each.

Every sub-command module exposes `register(subparsers)` and keeps heavy imports inside its
handler, so `kiosk --help` and the kiosk's cold start stay fast. A handler returns an exit code.
Bad input raises `CliError` (or `ConfigError`), printed as one line with exit code 2. So is a
failure of the surroundings (storage, files, keys, network: `kiosk.ops.failures`), mapped here
once for every command; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

# Command name → the module that registers it (one module may register several). Order is the
# order in `kiosk --help`. Only the named command's module is imported when one is given.
COMMAND_MODULES = {
    "run": "kiosk.cli.run",
    "simulate": "kiosk.cli.simulate",
    "journey": "kiosk.cli.journey",
    "db": "kiosk.cli.db",
    "audit": "kiosk.cli.audit",
    "camera": "kiosk.cli.camera",
    "card": "kiosk.cli.card",
    "config": "kiosk.cli.config_cmd",
    "keys": "kiosk.cli.keys",
    "staff": "kiosk.cli.staff",
    "retention": "kiosk.cli.retention",
    "trust": "kiosk.cli.trust",
    "doctor": "kiosk.cli.doctor",
    "watchdog": "kiosk.cli.watchdog",
    "receipt": "kiosk.cli.receipt",
    "report": "kiosk.cli.report",
    "vietqr": "kiosk.cli.vietqr",
    "workdays": "kiosk.cli.workdays",
    "catalogue": "kiosk.cli.catalogue",
    "portal-serve": "kiosk.cli.portal",
    "sync": "kiosk.cli.sync",
    "outbox": "kiosk.cli.sync",
    "fleet": "kiosk.cli.fleet",
    "fleet-serve": "kiosk.cli.fleet_serve",
}

EXIT_BAD_INPUT = 2


class CliError(Exception):
    """Bad input on the command line: printed as one line, exit code 2."""


class _OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="kiosk.toml to use (default: $KIOSK_CONFIG, else built-in demo defaults)",
    )
    return common


Handler = Callable[[argparse.Namespace], int]


def add_command(
    subparsers: Any, name: str, handler: Handler, help: str, **kwargs: Any
) -> argparse.ArgumentParser:
    """Add a sub-command that accepts the global options (`--config`) too."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help, description=help, parents=[_common_options()], **kwargs
    )
    parser.set_defaults(handler=handler)
    return parser


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The `kiosk` parser; with `only`, just that command's module is imported (fast start)."""
    parser = _OneLineParser(
        prog="kiosk",
        description="Một Cửa Kiosk — one-stop-shop counter kiosk.",
        parents=[_common_options()],
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_OneLineParser
    )
    modules = [COMMAND_MODULES[only]] if only in COMMAND_MODULES else COMMAND_MODULES.values()
    for module_name in dict.fromkeys(modules):
        importlib.import_module(module_name).register(subparsers)
    return parser


def _command_named(argv: Sequence[str]) -> str | None:
    """The command word of `argv` when it is the first word after the global options."""
    words = iter(argv)
    for word in words:
        if word == "--config":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def load_config_from_args(args: argparse.Namespace) -> Any:
    """The validated configuration named by `--config` / $KIOSK_CONFIG (or the demo defaults)."""
    from kiosk.config import load_config

    return load_config(getattr(args, "config", None))


def main(argv: Sequence[str] | None = None) -> int:
    from kiosk.config import ConfigError

    argv = list(sys.argv[1:] if argv is None else argv)
    command = _command_named(argv)
    if command is None and not {"-h", "--help"} & set(argv):
        command = "run"  # plain `kiosk` starts the kiosk
    parser = build_parser(only=command)
    args = parser.parse_args(argv)
    from kiosk.ops.logging_setup import setup_logging

    setup_logging(None, args.verbose)  # masked console; the kiosk adds its rotating file
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        # Plain `kiosk` runs the kiosk, as on the kiosk PC's autostart.
        args = parser.parse_args([*argv, "run"])
        handler = args.handler
    try:
        return handler(args)
    except (CliError, ConfigError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from kiosk.ops.failures import describe_failure

        line = describe_failure(exc)
        if line is None:
            raise
        logging.getLogger("kiosk.cli").debug("%s failed", args.command, exc_info=True)
        return _fail(line)


def _fail(message: str) -> int:
    """Print `message` as one line (a multi-line driver message is folded) and exit 2."""
    print(f"kiosk: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_BAD_INPUT
