"""Exceptions of the Python package.

Errors from the TypeScript side (a bad action, a bad option, a step before reset) arrive as
:class:`EnvError` (a ``ValueError``) or :class:`EnvTypeError` (a ``TypeError``) carrying the
TypeScript side's message; the env stays usable. Problems with the server process itself
(Node missing, the process died, a protocol mismatch) are :class:`ServerError` (a
``RuntimeError``) with the server's stderr.
"""

from __future__ import annotations


class ExecutionGymError(Exception):
    """Base class of every exception this package raises on purpose."""


class EnvError(ExecutionGymError, ValueError):
    """A request the TypeScript side rejected (bad action, option, seed; step before reset).

    ``ts_name`` is the TypeScript error's class name (``EnvError``, ``SpaceError``, ...). The env
    is untouched and stays usable.
    """

    def __init__(self, message: str, ts_name: str = "EnvError") -> None:
        super().__init__(message)
        self.ts_name = ts_name


class EnvTypeError(ExecutionGymError, TypeError):
    """A value of the wrong type (an action that is not numeric, options that are not JSON, ...)."""

    def __init__(self, message: str, ts_name: str = "TypeError") -> None:
        super().__init__(message)
        self.ts_name = ts_name


class ClosedError(ExecutionGymError, RuntimeError):
    """The env (or its server) was closed."""


class ServerError(ExecutionGymError, RuntimeError):
    """The TypeScript server could not be started, died, or spoke an unexpected protocol.

    ``stderr`` holds the end of the server's standard error output.
    """

    def __init__(self, message: str, stderr: str = "") -> None:
        text = message
        if stderr.strip():
            text += "\n--- server stderr (last lines) ---\n" + stderr.rstrip()
        super().__init__(text)
        self.stderr = stderr


class NodeNotFoundError(ServerError):
    """No ``node`` executable (Node.js >= 20) was found."""


class ServerDiedError(ServerError):
    """The server process exited (crashed, was killed) while an env needed it."""


class ProtocolError(ServerError):
    """The server speaks another protocol version, or the byte stream is out of step."""
