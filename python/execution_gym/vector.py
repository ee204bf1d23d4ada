"""A TypeScript vector env behind Gymnasium's ``VectorEnv`` API (``make_vec``).

All ``num_envs`` envs step in one round trip: the actions go as one float64 array, the
observations, rewards and flags come back as arrays. Next-step autoreset (Gymnasium's
``AutoresetMode.NEXT_STEP``, the TypeScript vector envs' mode): when env i ends on step t, step
t+1 ignores action i, resets env i and returns its first observation with reward 0. Env i is
seeded with the TypeScript side's ``deriveSeed(seed, i)``.
"""

from __future__ import annotations

import json
import weakref
from typing import Any, Optional

import numpy as np

from . import _protocol as P
from ._server import Server, dumps
from .env import INFO_MODES, _finalize, _spec, camel_options
from .errors import ClosedError, EnvError, EnvTypeError, ServerError
from .spaces import _gym, batch_space, space_from_json

_VecBase: Any = object
_NEXT_STEP: Any = "next-step"
if _gym is not None:
    import gymnasium.vector as _gv  # type: ignore[import-not-found]

    _VecBase = _gv.VectorEnv
    _NEXT_STEP = getattr(getattr(_gv, "AutoresetMode", None), "NEXT_STEP", "next-step")


def _new_array(v: Any, n: int) -> np.ndarray:
    if isinstance(v, bool):
        return np.zeros(n, dtype=bool)
    if isinstance(v, int):
        return np.zeros(n, dtype=np.int64)
    if isinstance(v, float):
        return np.zeros(n, dtype=np.float64)
    return np.full(n, None, dtype=object)


def add_info(infos: dict, info: dict, i: int, n: int) -> dict:
    """Adds env i's info to the batched infos, Gymnasium's way: ``infos[k][i]`` and the mask ``infos['_' + k][i]``."""
    for k, v in info.items():
        if isinstance(v, dict):
            infos[k] = add_info(infos.get(k, {}), v, i, n)
        else:
            arr = infos.get(k)
            if arr is None:
                arr = _new_array(v, n)
            elif arr.dtype == np.int64 and isinstance(v, float):
                arr = arr.astype(np.float64)
            elif arr.dtype != object and not isinstance(v, (bool, int, float)):
                arr = arr.astype(object)
            arr[i] = v
            infos[k] = arr
        mask = infos.get("_" + k)
        if mask is None:
            mask = np.zeros(n, dtype=bool)
            infos["_" + k] = mask
        mask[i] = True
    return infos


class ExecutionVectorEnv(_VecBase):
    """``num_envs`` copies of a TypeScript env, stepped in lockstep in one round trip.

    Use :func:`execution_gym.make_vec`. ``workers=0`` steps the envs one after the other in the
    server's thread (the TypeScript ``SyncVectorEnv``); ``workers=k`` spreads them over k worker
    threads of the server (``WorkerVectorEnv``; identical results). ``infos``: ``'final'``
    (default: infos only of envs whose episode ended, plus ``autoreset`` flags), ``'all'`` or
    ``'none'``.
    """

    def __init__(
        self,
        env_id: str,
        num_envs: int,
        *,
        server: Optional[Server] = None,
        workers: int = 0,
        infos: str = "final",
        render_mode: Optional[str] = None,
        **options: Any,
    ) -> None:
        if render_mode is not None:
            raise EnvError(f"render_mode must be None (the execution envs have no renderer), got {render_mode!r}")
        if infos not in INFO_MODES:
            raise EnvError(f"infos must be one of {INFO_MODES}, got {infos!r}")
        if isinstance(num_envs, bool) or not isinstance(num_envs, (int, np.integer)):
            raise EnvTypeError(f"num_envs must be a positive integer, got {num_envs!r}")
        self._closed = True
        opts = camel_options(options)
        owns = server is None
        srv = Server() if server is None else server
        try:
            req = {"id": env_id, "numEnvs": int(num_envs), "options": opts, "workers": workers, "infos": infos}
            _, _, handle, body = srv.call(P.MAKE_VEC, 0, dumps(req), what=f"making {num_envs} × {env_id}")
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
        self.num_envs = int(ready["numEnvs"])
        self.workers = int(ready["workers"])
        self.infos = infos
        self.options = opts
        self.single_observation_space = space_from_json(ready["observationSpace"])
        self.single_action_space = space_from_json(ready["actionSpace"])
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self._obs_shape = (self.num_envs, *ready["observationSpace"]["shape"])
        self._obs_count = self.num_envs * int(ready["obsDim"])
        self._action_count = self.num_envs * int(ready["actionDim"])
        self.metadata = {"autoreset_mode": _NEXT_STEP, "render_modes": [], **ready.get("metadata", {})}
        self.render_mode = None
        self.spec = _spec(env_id, options)
        self.closed = False
        self._finalizer = weakref.finalize(self, _finalize, srv, handle, owns)

    @property
    def server(self) -> Server:
        return self._server

    def reset(self, *, seed: Optional[int] = None, options: Optional[dict] = None) -> tuple[np.ndarray, dict]:
        """Resets every env; env i gets ``deriveSeed(seed, i)`` when a seed is given (an int; a list is not supported)."""
        self._check_open()
        if isinstance(seed, (list, tuple, np.ndarray)):
            raise EnvTypeError(f"vector env seed must be one integer (env i is seeded with deriveSeed(seed, i)) or None, got {seed!r}")
        req: dict = {}
        if seed is not None:
            req["seed"] = int(seed) if isinstance(seed, np.integer) else seed
        if options:
            req["options"] = camel_options(options, "reset option")
        _, _, _, body = self._server.call(P.VRESET, self._handle, dumps(req), what="resetting the vector env")
        if isinstance(req.get("seed"), int):
            self._np_random = np.random.default_rng(req["seed"])
        n8 = 8 * self._obs_count
        obs = np.frombuffer(body, dtype="<f8", count=self._obs_count).reshape(self._obs_shape)
        infos: dict = {}
        if len(body) > n8:
            for i, info in enumerate(json.loads(body[n8:])):
                add_info(infos, info, i, self.num_envs)
        return obs, infos

    def step(self, actions: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict]:
        """One lockstep step of every env: actions of shape (num_envs, *action shape)."""
        if self._closed:
            raise ClosedError(f"{self.id} vector env: step() after close()")
        if isinstance(actions, (str, bytes)) or actions is None:
            raise EnvTypeError(f"vector env actions must be an array of shape (num_envs, ...), got {actions!r}")
        try:
            a = np.ascontiguousarray(actions, dtype=np.float64)
        except (TypeError, ValueError):
            raise EnvTypeError(f"vector env actions must be numeric, got {actions!r}") from None
        if a.size != self._action_count:
            raise EnvError(f"vector env actions must have num_envs × action size = {self._action_count} values, got shape {a.shape}")
        _, flags, _, body = self._server.call(P.VSTEP, self._handle, a.tobytes(), what="stepping the vector env")
        n = self.num_envs
        rewards = np.frombuffer(body, dtype="<f8", count=n)  # views of this reply's own bytearray
        o = 8 * n
        obs = np.frombuffer(body, dtype="<f8", count=self._obs_count, offset=o).reshape(self._obs_shape)
        o += 8 * self._obs_count
        terminated = np.frombuffer(body, dtype=np.uint8, count=n, offset=o).astype(bool)
        truncated = np.frombuffer(body, dtype=np.uint8, count=n, offset=o + n).astype(bool)
        infos: dict = {}
        if flags & P.HAS_INFO:
            sparse = json.loads(body[o + 2 * n :])
            for i, info in zip(sparse["index"], sparse["infos"]):
                add_info(infos, info, i, n)
        return obs, rewards, terminated, truncated, infos

    def close(self, **kwargs: Any) -> None:
        """Frees the vector env (its worker threads) and, if it started it, the server. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self.closed = True
        self._finalizer.detach()
        if self._owns:
            self._server.close()
            return
        if self._server.alive:
            try:
                self._server.call(P.CLOSE, self._handle, what="closing the vector env")
            except (EnvError, ServerError):
                pass

    def render(self) -> None:
        return None

    @property
    def unwrapped(self) -> "ExecutionVectorEnv":
        return self

    @property
    def np_random(self) -> np.random.Generator:
        r = getattr(self, "_np_random", None)
        if r is None:
            r = self._np_random = np.random.default_rng()
        return r

    def _check_open(self) -> None:
        if self._closed:
            raise ClosedError(f"{self.id} vector env is closed")

    def __enter__(self) -> "ExecutionVectorEnv":
        return self

    def __exit__(self, *args: Any) -> bool:
        self.close()
        return False

    def __repr__(self) -> str:
        return f"<ExecutionVectorEnv {self.num_envs} × {self.id}{' (closed)' if self._closed else ''}>"
