"""A TypeScript env behind Gymnasium's ``Env`` API (``make``)."""

from __future__ import annotations

import json
import struct
import weakref
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from . import _protocol as P
from ._server import Server, dumps
from .errors import ClosedError, EnvError, EnvTypeError, ServerError
from .spaces import _gym, space_from_json

_F64 = struct.Struct("<d")
INFO_MODES = ("all", "final", "none")


class _FallbackEnv:
    """What this package needs of ``gymnasium.Env`` where gymnasium is not installed."""

    metadata: dict[str, Any] = {"render_modes": []}
    render_mode: Optional[str] = None
    spec: Any = None
    _np_random: Optional[np.random.Generator] = None

    def reset(self, *, seed: Optional[int] = None, options: Optional[dict] = None) -> Any:
        if seed is not None:
            self._np_random = np.random.default_rng(seed)

    @property
    def np_random(self) -> np.random.Generator:
        """A numpy Generator for the user's own randomness, seeded by ``reset(seed=...)`` (as Gymnasium)."""
        if self._np_random is None:
            self._np_random = np.random.default_rng()
        return self._np_random

    @property
    def unwrapped(self) -> "_FallbackEnv":
        return self

    def render(self) -> None:
        return None

    def close(self) -> None:
        pass

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *args: Any) -> bool:
        self.close()
        return False


_EnvBase: Any = _gym.Env if _gym is not None else _FallbackEnv


@dataclass
class EnvSpec:
    """The recipe of an env (Gymnasium's ``EnvSpec`` fields that apply here)."""

    id: str
    entry_point: str = "execution_gym.env:ExecutionEnv"
    kwargs: dict = field(default_factory=dict)
    max_episode_steps: Optional[int] = None
    reward_threshold: Optional[float] = None
    nondeterministic: bool = False
    order_enforce: bool = True
    disable_env_checker: bool = False


def _spec(env_id: str, kwargs: dict) -> Any:
    if _gym is not None:
        from gymnasium.envs.registration import EnvSpec as GymEnvSpec  # type: ignore[import-not-found]

        return GymEnvSpec(id=env_id, entry_point="execution_gym.env:ExecutionEnv", kwargs={"env_id": env_id, **kwargs})
    return EnvSpec(id=env_id, kwargs={"env_id": env_id, **kwargs})


def camel_options(options: Optional[dict], what: str = "option") -> dict:
    """TypeScript option names: ``action_mode`` is accepted for ``actionMode`` (top level only)."""
    out: dict = {}
    for k, v in (options or {}).items():
        if not isinstance(k, str):
            raise EnvTypeError(f"{what} names must be strings, got {k!r}")
        if "_" in k.strip("_"):
            head, *rest = k.split("_")
            k2 = head + "".join(p[:1].upper() + p[1:] for p in rest)
        else:
            k2 = k
        if k2 in out:
            raise EnvTypeError(f"{what} {k2!r} given twice (as {k2!r} and in snake_case)")
        out[k2] = v
    return out


def action_bytes(action: Any, discrete: bool) -> bytes:
    """The action as raw float64 for the wire (the TypeScript side checks shape, bounds and finiteness)."""
    if type(action) is np.ndarray and action.dtype == np.float64:
        return action.tobytes()
    if isinstance(action, (bool, np.bool_)) or action is None or isinstance(action, (str, bytes)):
        raise EnvTypeError(f"an action must be {'an integer' if discrete else 'an array of numbers'}, got {action!r}")
    try:
        a = np.asarray(action, dtype=np.float64)
    except (TypeError, ValueError):
        raise EnvTypeError(f"an action must be {'an integer' if discrete else 'an array of numbers'}, got {action!r}") from None
    return a.tobytes()


def _finalize(server: Server, handle: int, owns: bool) -> None:
    if owns:
        server.close()
    else:
        server.release(handle)


class ExecutionEnv(_EnvBase):
    """One TypeScript env (``make(env_id, options)`` on the server) with Gymnasium's API.

    Use :func:`execution_gym.make`. ``step`` returns ``(obs, reward, terminated, truncated,
    info)``: obs a fresh float64 array, reward a float, info a dict of Python scalars and lists
    (per ``infos``: ``'final'``, the default, only where the episode ends and ``{}`` elsewhere;
    ``'all'`` every step; ``'none'`` never).
    """

    def __init__(self, env_id: str, *, server: Optional[Server] = None, infos: str = "final", render_mode: Optional[str] = None, **options: Any) -> None:
        if render_mode is not None:
            raise EnvError(f"render_mode must be None (the execution envs have no renderer), got {render_mode!r}")
        if infos not in INFO_MODES:
            raise EnvError(f"infos must be one of {INFO_MODES}, got {infos!r}")
        if not isinstance(env_id, str):
            raise EnvTypeError(f"env id must be a string such as 'Liquidate-v0', got {env_id!r}")
        self._closed = True
        opts = camel_options(options)
        owns = server is None
        srv = Server() if server is None else server
        try:
            _, _, handle, body = srv.call(P.MAKE, 0, dumps({"id": env_id, "options": opts, "infos": infos}), what=f"making {env_id}")
        except BaseException:
            if owns:
                srv.close()
            raise
        ready = json.loads(body)
        self._server = srv
        self._handle = handle
        self._owns = owns
        self._closed = False
        self.id = env_id
        self.options = opts
        self.infos = infos
        self.description: str = ready.get("description", "")
        self.observation_space = space_from_json(ready["observationSpace"])
        self.action_space = space_from_json(ready["actionSpace"])
        self._discrete = ready["actionSpace"]["type"] == "Discrete"
        self._obs_shape = tuple(ready["observationSpace"]["shape"])
        self._obs_dim = int(np.prod(self._obs_shape))
        self._obs_bytes = 8 * self._obs_dim
        self.metadata = {"render_modes": [], **ready.get("metadata", {})}
        self.render_mode = None
        self.spec = _spec(env_id, options)
        self._finalizer = weakref.finalize(self, _finalize, srv, handle, owns)

    @property
    def server(self) -> Server:
        """The server process this env lives in."""
        return self._server

    def reset(self, *, seed: Optional[int] = None, options: Optional[dict] = None) -> tuple[np.ndarray, dict]:
        """Starts an episode: ``seed`` reseeds it, ``None`` continues the seed sequence (as the TypeScript env).

        ``options``: per-episode ``quantity`` and ``startSeconds`` overrides.
        """
        self._check_open()
        req: dict = {}
        if seed is not None:
            req["seed"] = int(seed) if isinstance(seed, np.integer) else seed
        if options:
            req["options"] = camel_options(options, "reset option")
        _, _, _, body = self._server.call(P.RESET, self._handle, dumps(req), what="resetting")
        super().reset(seed=req.get("seed") if isinstance(req.get("seed"), int) else None)
        obs = np.frombuffer(body, dtype="<f8", count=self._obs_dim).reshape(self._obs_shape)
        info = json.loads(body[self._obs_bytes :]) if len(body) > self._obs_bytes else {}
        return obs, info

    def step(self, action: Any) -> tuple[np.ndarray, float, bool, bool, dict]:
        """One decision. Raises EnvError (a ValueError) with the TypeScript side's message for a bad action."""
        if self._closed:
            raise ClosedError(f"{self.id}: step() after close()")
        _, flags, _, body = self._server.call(P.STEP, self._handle, action_bytes(action, self._discrete), what="stepping")
        (reward,) = _F64.unpack_from(body, 0)
        obs = np.frombuffer(body, dtype="<f8", count=self._obs_dim, offset=8).reshape(self._obs_shape)  # body is this reply's own bytearray: no copy needed
        info = json.loads(body[8 + self._obs_bytes :]) if flags & P.HAS_INFO else {}
        return obs, reward, bool(flags & P.TERMINATED), bool(flags & P.TRUNCATED), info

    def close(self) -> None:
        """Frees the env on the server (and stops the server if this env started it). Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._finalizer.detach()
        if self._owns:
            self._server.close()
            return
        if self._server.alive:
            try:
                self._server.call(P.CLOSE, self._handle, what="closing")
            except (EnvError, ServerError):
                pass

    @property
    def closed(self) -> bool:
        return self._closed

    def render(self) -> None:
        return None

    def _check_open(self) -> None:
        if self._closed:
            raise ClosedError(f"{self.id}: the env is closed")

    def __repr__(self) -> str:
        return f"<ExecutionEnv {self.id}{' (closed)' if self._closed else ''}>"

    def __str__(self) -> str:
        return self.__repr__()
