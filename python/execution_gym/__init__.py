"""execution-gym from Python: the TypeScript limit-order-book execution gym behind Gymnasium's API.

    import execution_gym
    env = execution_gym.make("Liquidate-v0")
    obs, info = env.reset(seed=7)
    obs, reward, terminated, truncated, info = env.step([1.0])   # one TWAP slice

``make`` / ``make_vec`` start a TypeScript server (``execution-gym serve --stdio``) as a child
process, or use the ``server=`` given; ``evaluate`` benchmarks a Python policy against the
baselines on the command line's held-out seeds. See python/README.md.
"""

from __future__ import annotations

from typing import Any, Optional

from ._protocol import PROTOCOL_VERSION
from ._server import Server, find_root, server_command
from .env import ExecutionEnv
from .errors import ClosedError, EnvError, EnvTypeError, ExecutionGymError, NodeNotFoundError, ProtocolError, ServerDiedError, ServerError
from .evaluate import DEFAULT_BASELINES, EvaluationResult, evaluate
from .spaces import HAVE_GYMNASIUM
from .vector import ExecutionVectorEnv

__version__ = "0.1.0"

#: The built-in env ids of the TypeScript registry (``list_envs()`` asks a server, custom ids included).
ENV_IDS = ("Acquire-v0", "Liquidate-AC-v0", "Liquidate-Limit-v0", "Liquidate-Replay-v0", "Liquidate-v0")


def make(env_id: str, *, server: Optional[Server] = None, infos: str = "final", render_mode: Optional[str] = None, **options: Any) -> ExecutionEnv:
    """The TypeScript env ``env_id`` with ``options`` (the TypeScript option names; ``snake_case``
    is accepted for ``camelCase``), behind Gymnasium's Env API.

    ``server``: share a :class:`Server` (default: the env starts its own and stops it on close).
    ``infos``: ``'final'`` (default: the info of the step that ends the episode, ``{}`` on the
    others; the JSON of an info costs about as much as the round trip), ``'all'`` (every step's
    info), or ``'none'``. ``reset`` always returns its info.
    """
    return ExecutionEnv(env_id, server=server, infos=infos, render_mode=render_mode, **options)


def make_vec(
    env_id: str,
    num_envs: int = 1,
    *,
    workers: int = 0,
    server: Optional[Server] = None,
    infos: str = "final",
    render_mode: Optional[str] = None,
    **options: Any,
) -> ExecutionVectorEnv:
    """``num_envs`` copies of ``env_id`` stepped in one round trip, with Gymnasium's VectorEnv API
    (next-step autoreset). ``workers``: 0 steps them in the server's thread, k > 0 on k worker
    threads of the server. ``infos``: ``'final'`` (default), ``'all'`` or ``'none'``.
    """
    return ExecutionVectorEnv(env_id, num_envs, server=server, workers=workers, infos=infos, render_mode=render_mode, **options)


def list_envs(server: Optional[Server] = None) -> list[dict]:
    """``[{id, description}]`` of every env id the TypeScript registry knows."""
    if server is not None:
        return list(server.info["envs"])
    with Server() as s:
        return list(s.info["envs"])


__all__ = [
    "make",
    "make_vec",
    "evaluate",
    "list_envs",
    "Server",
    "ExecutionEnv",
    "ExecutionVectorEnv",
    "EvaluationResult",
    "DEFAULT_BASELINES",
    "ENV_IDS",
    "PROTOCOL_VERSION",
    "HAVE_GYMNASIUM",
    "ExecutionGymError",
    "EnvError",
    "EnvTypeError",
    "ClosedError",
    "ServerError",
    "ServerDiedError",
    "NodeNotFoundError",
    "ProtocolError",
    "find_root",
    "server_command",
]
