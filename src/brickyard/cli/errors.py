"""How the CLI reports errors: one clear line on stderr, exit 2 for bad input, never a
traceback (set ``BRICKYARD_DEBUG=1`` to see one)."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from brickyard.errors import BrickyardError, InvalidInputError, InvalidStateError

P = ParamSpec("P")
R = TypeVar("R")

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


class CliExit(Exception):  # noqa: N818 - a way out of a command, not an error
    """Leave the command with ``code`` after printing ``message`` (if any) to stderr."""

    def __init__(self, code: int, message: str | None = None) -> None:
        super().__init__(message or "")
        self.code = code
        self.message = message


def fail(message: str, code: int = EXIT_BAD_INPUT) -> CliExit:
    """An error to raise from a command: one line, exit ``code``."""
    return CliExit(code, message)


def one_line(text: str) -> str:
    """Collapse a message to a single line."""
    return " ".join(text.split())


def reported(command: Callable[P, R]) -> Callable[P, R]:
    """Run ``command``, turning brickyard errors into one line on stderr and an exit code."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except CliExit as done:
            if done.message:
                print(f"brickyard: {one_line(done.message)}", file=sys.stderr)
            raise SystemExit(done.code) from None
        except (InvalidInputError, InvalidStateError) as error:
            print(f"brickyard: {one_line(str(error))}", file=sys.stderr)
            raise SystemExit(EXIT_BAD_INPUT) from None
        except BrickyardError as error:
            print(f"brickyard: {one_line(str(error))}", file=sys.stderr)
            raise SystemExit(EXIT_FAILED) from None
        except KeyboardInterrupt:
            print("brickyard: interrupted", file=sys.stderr)
            raise SystemExit(130) from None
        except Exception as error:
            if os.environ.get("BRICKYARD_DEBUG"):
                traceback.print_exc()
            print(
                f"brickyard: internal error: {type(error).__name__}: {one_line(str(error))} "
                "(set BRICKYARD_DEBUG=1 for the traceback)",
                file=sys.stderr,
            )
            raise SystemExit(EXIT_FAILED) from None

    return wrapper
