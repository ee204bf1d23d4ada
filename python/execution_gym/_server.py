"""The TypeScript server process: start, round trips, and a lifecycle without orphans.

A :class:`Server` runs ``execution-gym serve --stdio`` as a child process and talks to it over
its standard streams (see PROTOCOL.md). Envs made without ``server=`` own a server each; several
envs may share one ``Server``. No orphan processes:

* the server exits as soon as its stdin closes, which happens when this process exits in any way
  (even SIGKILL: the kernel closes the pipe);
* ``close()``, garbage collection of the last object using the server, and interpreter exit close
  its stdin, wait briefly and kill it if it is still there;
* the child runs in its own session, so a terminal's Ctrl-C reaches Python only: the call in
  progress finishes (up to a couple of seconds) so the env stays usable, and
  ``KeyboardInterrupt`` is raised; if it does not finish in time the server is stopped.

Where the TypeScript project is: ``root=``, else ``$EXECUTION_GYM_ROOT``, else the checkout this
package sits in (``python/`` of the repository, the case for ``PYTHONPATH=python`` and
``pip install -e ./python``), else an ``execution-gym`` command on ``PATH``. Node is ``node=``,
else ``$EXECUTION_GYM_NODE``, else ``node`` on ``PATH``.
"""

from __future__ import annotations

import errno
import json
import os
import select
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
import weakref
from pathlib import Path
from typing import Any, Optional, Sequence

from . import _protocol as P
from .errors import ClosedError, EnvError, EnvTypeError, NodeNotFoundError, ProtocolError, ServerDiedError, ServerError

_U32 = struct.Struct("<I")
_HDR = struct.Struct("<BBHI")


def _looks_like_root(p: Path) -> bool:
    return (p / "bin" / "execution-gym.js").is_file() and (p / "experiments" / "cli.ts").is_file()


def find_root(root: Optional[str | os.PathLike] = None) -> Optional[Path]:
    """The TypeScript project's root directory (see the module docstring), or None."""
    if root is not None:
        p = Path(root).expanduser().resolve()
        if not _looks_like_root(p):
            raise ServerError(f"root={str(root)!r} is not the execution-gym repository (no bin/execution-gym.js and experiments/cli.ts there)")
        return p
    env = os.environ.get("EXECUTION_GYM_ROOT")
    if env:
        p = Path(env).expanduser().resolve()
        if not _looks_like_root(p):
            raise ServerError(f"EXECUTION_GYM_ROOT={env!r} is not the execution-gym repository (no bin/execution-gym.js and experiments/cli.ts there)")
        return p
    here = Path(__file__).resolve().parent.parent.parent
    return here if _looks_like_root(here) else None


def server_command(root: Optional[str | os.PathLike] = None, node: Optional[str] = None, modules: Sequence[str] = ()) -> list[str]:
    """The command line that starts the server (``node <root>/bin/execution-gym.js serve --stdio``)."""
    tail = ["serve", "--stdio"]
    if modules:
        tail += ["--modules", ",".join(os.path.abspath(m) for m in modules)]
    r = find_root(root)
    if r is None:
        exe = shutil.which("execution-gym")
        if exe is None:
            raise ServerError(
                "cannot find the execution-gym TypeScript project: run from its checkout (PYTHONPATH=<repo>/python), "
                "set EXECUTION_GYM_ROOT=<repo>, pass root=<repo>, or put the `execution-gym` command on PATH (npm link)"
            )
        return [exe, *tail]
    nodebin = node or os.environ.get("EXECUTION_GYM_NODE") or shutil.which("node")
    if nodebin is None:
        raise NodeNotFoundError("Node.js >= 20 is needed to run the execution-gym server, and no `node` is on PATH: install Node.js, or set EXECUTION_GYM_NODE=/path/to/node")
    if not (r / "node_modules" / "tsx").is_dir():
        raise ServerError(f"the TypeScript dependencies are not installed in {r}: run `npm ci` there")
    return [nodebin, str(r / "bin" / "execution-gym.js"), *tail]


def _stderr_tail(f: Any, limit: int = 8192) -> str:
    if f is None or not hasattr(f, "seek"):
        return ""
    try:
        f.flush()
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(max(0, size - limit))
        text = f.read().decode("utf-8", errors="replace")
        f.seek(0, os.SEEK_END)
        return "\n".join(text.splitlines()[-40:])
    except (OSError, ValueError):
        return ""


def _shutdown(proc: subprocess.Popen, owner_pid: int, timeout: float = 3.0) -> None:
    """Closes the server's stdin (it exits on end of file), then kills it if it lingers."""
    if os.getpid() != owner_pid:
        return  # a forked child must not stop its parent's server
    try:
        if proc.stdin is not None:
            proc.stdin.close()
    except OSError:
        pass
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    for s in (proc.stdout,):
        try:
            if s is not None:
                s.close()
        except OSError:
            pass


class _HeldInterrupt:
    """A SIGINT handler for the length of one round trip: holds the first Ctrl-C, raises on the second."""

    __slots__ = ("held", "what")

    def __init__(self, what: str) -> None:
        self.held = False
        self.what = what

    def handler(self, signum: int, frame: Any) -> None:
        if self.held:
            raise KeyboardInterrupt
        self.held = True
        try:
            os.write(2, f"execution_gym: finishing the call in progress ({self.what or 'a request'}); Ctrl-C again stops the server\n".encode())
        except OSError:
            pass


class Server:
    """One ``execution-gym serve --stdio`` process.

    Args:
        root: the TypeScript repository (default: see the module docstring).
        node: the Node.js executable.
        modules: TypeScript modules the server imports first (they may register envs or policies).
        cwd: the server's working directory (default: this process's); relative paths in env
            options (market YAML, LOBSTER files) and the AC calibration cache ``runs/cache`` are
            relative to it.
        startup_timeout: seconds to wait for the server's HELLO.

    Raises:
        NodeNotFoundError: no Node.js.
        ServerDiedError: the server exited during start-up (its stderr is in the message).
        ProtocolError: the server speaks another protocol version.
    """

    def __init__(
        self,
        *,
        root: Optional[str | os.PathLike] = None,
        node: Optional[str] = None,
        modules: Sequence[str] = (),
        cwd: Optional[str | os.PathLike] = None,
        startup_timeout: float = 120.0,
    ) -> None:
        self.command = server_command(root, node, modules)
        self._stderr = tempfile.TemporaryFile()
        try:
            self._proc = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                cwd=None if cwd is None else str(cwd),
                bufsize=0,
                start_new_session=True,
            )
        except FileNotFoundError as e:
            raise NodeNotFoundError(f"cannot start the execution-gym server: {e.strerror}: {self.command[0]!r} (install Node.js >= 20, or set EXECUTION_GYM_NODE)") from None
        self.pid = self._proc.pid
        self._owner = os.getpid()
        self._forked = False
        _servers.add(self)
        self._wfd = self._proc.stdin.fileno()  # type: ignore[union-attr]
        self._rfd = self._proc.stdout.fileno()  # type: ignore[union-attr]
        self._buf = bytearray(1 << 16)
        self._start = 0
        self._end = 0
        self._lock = threading.RLock()
        self._failure: Optional[ServerError] = None
        self._closed = False
        #: Handles whose Python objects were garbage-collected: closed before the next request.
        self._orphans: list[int] = []
        self._finalizer = weakref.finalize(self, _shutdown, self._proc, self._owner)
        self.info: dict = {}
        try:
            self.info = self._hello(startup_timeout)
        except BaseException:
            self._finalizer()
            raise

    # -- lifecycle -------------------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        """True while the server process runs and this object can use it."""
        return not self._closed and self._failure is None and self._proc.poll() is None

    def close(self) -> None:
        """Stops the server (idempotent). Envs using it become unusable."""
        self._closed = True
        self._finalizer()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def stderr_tail(self) -> str:
        """The last lines the server wrote to its stderr."""
        return _stderr_tail(self._stderr)

    def release(self, handle: int) -> None:
        """Frees a handle whose Python object is gone; sent before the next request (never from a finalizer)."""
        self._orphans.append(handle)

    def __repr__(self) -> str:
        return f"<execution_gym.Server pid={self.pid} {'alive' if self.alive else 'closed'}>"

    # -- round trips -----------------------------------------------------------------------------

    def call(self, kind: int, handle: int = 0, payload: bytes = b"", flags: int = 0, *, what: str = "") -> tuple[int, int, int, bytearray]:
        """Sends one request and returns the reply (kind, flags, handle, body).

        Raises EnvError / EnvTypeError for an ERROR reply, ServerDiedError when the server is gone.
        """
        data = P.frame(kind, handle, payload, flags)
        with self._lock:
            self._usable(what)
            while self._orphans:
                h = self._orphans.pop()
                self._roundtrip(P.frame(P.CLOSE, h), f"closing handle {h}")
            rk, rf, rh, body = self._roundtrip(data, what)
        if rk == P.R_ERROR:
            self._raise_error(body)
        return rk, rf, rh, body

    def call_json(self, kind: int, obj: Any, handle: int = 0, *, what: str = "") -> tuple[int, int, int, bytes]:
        return self.call(kind, handle, dumps(obj), what=what)

    def _usable(self, what: str) -> None:
        if self._forked:
            raise ServerError("this execution-gym server belongs to the process that started it: make envs after forking (each process its own)")
        if self._closed:
            raise ClosedError(f"the execution-gym server was closed{': ' + what if what else ''}")
        if self._failure is not None:
            raise self._failure

    def _roundtrip(self, data: bytes, what: str) -> tuple[int, int, int, bytes]:
        # A KeyboardInterrupt between a read returning and its bytes being counted would put the
        # stream out of step, so in the main thread (with Python's own SIGINT handler) the first
        # Ctrl-C is held until the reply is in, then raised: the env stays usable. A second Ctrl-C
        # interrupts at once and stops the server (its state is then unknown).
        guard = None
        if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            guard = _HeldInterrupt(what)
            signal.signal(signal.SIGINT, guard.handler)
        try:
            self._send(data, what)
            reply = self._recv(what)
        except (KeyboardInterrupt, SystemExit):
            self._fail(ServerError("a call to the execution-gym server was interrupted before its reply arrived; the server was stopped (make a new env)"))
            try:
                self._proc.kill()
            except OSError:
                pass
            raise
        finally:
            if guard is not None:
                signal.signal(signal.SIGINT, signal.default_int_handler)
        if guard is not None and guard.held:
            raise KeyboardInterrupt
        return reply

    def _fail(self, err: ServerError) -> ServerError:
        if self._failure is None:
            self._failure = err
        return self._failure

    def _died(self, what: str) -> ServerDiedError:
        try:
            code = self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        if code is None:
            how = "stopped answering"
        elif code < 0:
            try:
                how = f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"was killed by signal {-code}"
        else:
            how = f"exited with code {code}"
        err = ServerDiedError(f"the execution-gym server (pid {self.pid}) {how}{' while ' + what if what else ''}", self.stderr_tail())
        self._fail(err)
        return err

    def _send(self, data: bytes, what: str) -> None:
        view = memoryview(data)
        try:
            while view:
                n = os.write(self._wfd, view)
                view = view[n:]
        except OSError as e:
            if e.errno not in (errno.EPIPE, errno.ECONNRESET, errno.EBADF):
                raise
            raise self._died(what) from None

    def _fill(self, n: int, what: str) -> None:
        """Makes n bytes available at _start."""
        if self._end - self._start >= n:
            return
        if self._start:
            self._buf[: self._end - self._start] = self._buf[self._start : self._end]
            self._end -= self._start
            self._start = 0
        if n > len(self._buf):
            self._buf.extend(bytes(max(n, 2 * len(self._buf)) - len(self._buf)))
        view = memoryview(self._buf)
        while self._end < n:
            try:
                got = os.readv(self._rfd, [view[self._end :]])
            except OSError:
                got = 0
            if got == 0:
                raise self._died(what)
            self._end += got

    def _recv(self, what: str) -> tuple[int, int, int, bytes]:
        self._fill(4, what)
        (length,) = _U32.unpack_from(self._buf, self._start)
        if length < P.HEADER_BYTES or length > 1 << 31:
            raise self._fail(ProtocolError(f"malformed reply frame of {length} bytes from the server (stdout out of step){': ' + what if what else ''}", self.stderr_tail()))
        self._fill(4 + length, what)
        s = self._start + 4
        kind, flags, _, handle = _HDR.unpack_from(self._buf, s)
        body = self._buf[s + P.HEADER_BYTES : s + length]  # one copy (a bytearray): valid after the next read
        self._start += 4 + length
        if self._start == self._end:
            self._start = self._end = 0
        return kind, flags, handle, body

    @staticmethod
    def _raise_error(body: bytes) -> None:
        try:
            e = json.loads(body)
            msg, name, cat = str(e.get("message", "")), str(e.get("name", "Error")), e.get("category", "value")
        except ValueError:
            msg, name, cat = body.decode("utf-8", errors="replace"), "Error", "value"
        if cat == "type":
            raise EnvTypeError(msg, name)
        raise EnvError(msg, name)

    def _hello(self, timeout: float) -> dict:
        payload = P.MAGIC + _U32.pack(P.PROTOCOL_VERSION) + dumps({"client": "execution_gym"})
        with self._lock:
            self._send(P.frame(P.HELLO, 0, payload), "starting")
            ready, _, _ = select.select([self._rfd], [], [], timeout)
            if not ready:
                self._proc.kill()
                raise self._fail(ServerError(f"the execution-gym server did not answer within {timeout:g} s of starting ({' '.join(self.command)})", self.stderr_tail()))
            kind, _, _, body = self._recv("starting")
        if kind == P.R_ERROR:
            msg = json.loads(body).get("message", "")
            raise self._fail(ProtocolError(f"the execution-gym server refused this client: {msg}", self.stderr_tail()))
        if kind != P.R_HELLO or body[:4] != P.MAGIC:
            raise self._fail(ProtocolError(f"the process at the other end is not an execution-gym server (reply kind {kind})", self.stderr_tail()))
        (version,) = _U32.unpack_from(body, 4)
        if version != P.PROTOCOL_VERSION:
            raise self._fail(ProtocolError(f"protocol version mismatch: this package speaks {P.PROTOCOL_VERSION}, the server {version}"))
        return json.loads(body[8:])


#: Every live Server, so that a forked child marks them as its parent's (no per-call getpid).
_servers: "weakref.WeakSet[Server]" = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for s in list(_servers):
        s._forked = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def dumps(obj: Any) -> bytes:
    """Compact JSON for the wire. Raises EnvTypeError for values JSON cannot carry."""
    try:
        return json.dumps(obj, separators=(",", ":"), allow_nan=False, default=_json_default).encode()
    except TypeError as e:
        raise EnvTypeError(f"cannot send {obj!r} to the TypeScript side: {e}") from None
    except ValueError as e:  # NaN or infinity: JSON has none, and the TypeScript side rejects them anyway
        raise EnvError(f"cannot send {obj!r} to the TypeScript side: {e} (NaN and infinities are not accepted)") from None


def _json_default(o: Any) -> Any:
    try:
        import numpy as np

        if isinstance(o, np.integer):
            return int(o)
        if isinstance(o, np.floating):
            return float(o)
        if isinstance(o, np.bool_):
            return bool(o)
        if isinstance(o, np.ndarray):
            return o.tolist()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(o, os.PathLike):
        return os.fspath(o)
    raise TypeError(f"{type(o).__name__} is not JSON serializable")
