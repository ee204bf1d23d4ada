"""``evaluate(policy, ...)``: a Python policy against the baselines, on the held-out seeds of the
command line's ``evaluate``, with the same paired summary.

The policy's episodes run on TypeScript envs stepped from here (``num_envs`` at a time; an
episode's record depends only on the policy, the env and the seed, so the batch size changes
nothing). The TypeScript side makes each episode's record with the command line's own
``runEpisode``, runs the baselines with its ``evaluate`` and summarizes everything with its
``summarize``: the baselines' numbers are the command line's, bit for bit.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Callable, Iterable, Optional, Sequence

import numpy as np

from . import _protocol as P
from ._server import Server, dumps
from .env import camel_options
from .errors import EnvError, EnvTypeError

DEFAULT_BASELINES = ("twap", "passive-twap", "vwap", "ac")


class EvaluationResult:
    """What ``evaluate`` returns.

    Attributes:
        summary: ``{policy: summary}``, exactly the command line's ``evaluate --json`` object
            (meanIsBps, ciLowBps, ciHighBps, stdIsBps, meanVarianceBps, pBeatTwap, vsTwap,
            vsPassiveTwap, ...; None where the command line prints null).
        records: ``{policy: [record, ...]}`` per episode in seed order (with ``records=True``),
            the fields of the command line's episodes.jsonl.
        table: the command line's summary table (text).
        env, env_options, episodes, seeds (``{first, count, offset}``), lambda_per_bps.
    """

    def __init__(self, raw: dict) -> None:
        self.raw = raw
        self.summary: dict = raw["policies"]
        self.records: Optional[dict] = raw.get("records")
        self.table: str = raw.get("table", "")
        self.env: str = raw["env"]
        self.env_options: dict = raw["envOptions"]
        self.episodes: int = raw["episodes"]
        self.seeds: dict = raw["seeds"]
        self.lambda_per_bps: float = raw["lambdaPerBps"]

    def __getitem__(self, policy: str) -> dict:
        return self.summary[policy]

    def __iter__(self) -> Iterable[str]:
        return iter(self.summary)

    def __str__(self) -> str:
        s = self.seeds
        head = (
            f"{self.env} {json.dumps(self.env_options)}: {self.episodes} episodes per policy on evaluation seeds "
            f"{s['first']}…{s['first'] + s['count'] - 1}; IS in bps of arrival notional (positive = cost); λ = {self.lambda_per_bps}/bps\n"
        )
        return head + self.table

    def __repr__(self) -> str:
        return f"<EvaluationResult {self.env}, {self.episodes} episodes, policies {list(self.summary)}>"


def _as_policy(policy: Any, batched: Optional[bool]) -> tuple[Callable[[np.ndarray], Any], bool]:
    predict = getattr(policy, "predict", None)
    if not callable(policy) and callable(predict):
        # A Stable-Baselines3 model (or anything with predict(obs, deterministic=...) -> (action, state)).
        return (lambda obs: predict(obs, deterministic=True)[0]), True
    if not callable(policy):
        raise EnvTypeError(f"policy must be a callable from an observation to an action (or a model with .predict), got {policy!r}")
    if batched is None:
        batched = bool(getattr(policy, "batched", False))
    return policy, batched


def evaluate(
    policy: Any,
    env: str = "Liquidate-v0",
    episodes: int = 1000,
    baselines: Sequence[str] = DEFAULT_BASELINES,
    *,
    env_options: Optional[dict] = None,
    name: str = "policy",
    batched: Optional[bool] = None,
    num_envs: int = 16,
    seed_offset: int = 0,
    lambda_per_bps: float = 0.01,
    pov_rho: float = 0.1,
    calibration_seeds: int = 500,
    workers: Optional[int] = None,
    records: bool = False,
    server: Optional[Server] = None,
    progress: bool = False,
) -> EvaluationResult:
    """Evaluates ``policy`` and ``baselines`` on the same held-out seeds and summarizes them.

    Args:
        policy: a callable observation -> action; with ``batched=True`` (or an attribute
            ``policy.batched = True``) a callable (k, obs_dim) -> (k, action_dim) (or (k,) for a
            Discrete action space); an object with ``predict(obs, deterministic=True)`` (a
            Stable-Baselines3 model) is called batched. ``None``: only the baselines.
        env: env id; ``env_options`` its options (as ``make``'s keyword arguments).
        episodes: episodes per policy, on evaluation seeds 1e9 + seed_offset, ... (env/seeds.ts).
        baselines: baseline names of the command line's ``--policy`` (twap, passive-twap, vwap,
            pov, ac, sell-now, or a run directory of a trained TypeScript agent).
        name: the policy's name in the summary.
        num_envs: episodes stepped at once (batch size of a batched policy).
        lambda_per_bps, pov_rho, calibration_seeds: as ``--lambda``, ``--pov-rho``,
            ``--calibration-seeds`` of the command line.
        workers: worker threads of the baselines' evaluation (default: the machine's cores).
        records: also return every episode's record.
        server: a :class:`Server` to use (default: a new one, closed at the end).
        progress: print episodes done to stderr.

    Returns:
        EvaluationResult: ``.summary`` equals the command line's ``evaluate --json`` output.
    """
    own = server is None
    srv = Server() if server is None else server
    handle = 0
    try:
        opts = camel_options(env_options or {}, "env option")
        start = {"env": env, "envOptions": opts, "episodes": episodes, "seedOffset": seed_offset, "numEnvs": num_envs, "policy": None if policy is None else name}
        _, _, handle, body = srv.call_json(P.EVAL_START, start, what="starting the evaluation")
        desc = json.loads(body)
        if policy is not None:
            _run_policy(srv, handle, desc, *_as_policy(policy, batched), progress=progress)
        finish = {
            "baselines": list(baselines),
            "lambdaPerBps": lambda_per_bps,
            "povRho": pov_rho,
            "calibrationSeeds": calibration_seeds,
            "workers": workers,
            "records": records,
        }
        _, _, _, body = srv.call(P.EVAL_FINISH, handle, dumps(finish), what="evaluating the baselines")
        return EvaluationResult(json.loads(body))
    finally:
        if own:
            srv.close()
        elif handle and srv.alive:
            try:
                srv.call(P.CLOSE, handle, what="closing the evaluation")
            except EnvError:
                pass


def _run_policy(srv: Server, handle: int, desc: dict, policy: Callable[[np.ndarray], Any], batched: bool, progress: bool) -> None:
    n = int(desc["numEnvs"])
    obs_dim = int(desc["obsDim"])
    act_dim = int(desc["actionDim"])
    total = int(desc["seeds"]["count"])
    obs_shape = tuple(desc["observationSpace"]["shape"])
    discrete = desc["actionSpace"]["type"] == "Discrete"
    actions = np.zeros((n, act_dim), dtype=np.float64)

    def parse(body: bytes) -> tuple[int, np.ndarray, np.ndarray]:
        finished = int.from_bytes(body[:4], "little")
        obs = np.frombuffer(body, dtype="<f8", count=n * obs_dim, offset=4).reshape((n, *obs_shape))
        active = np.frombuffer(body, dtype=np.uint8, count=n, offset=4 + 8 * n * obs_dim).astype(bool)
        return finished, obs, active

    _, _, _, body = srv.call(P.EVAL_RESET, handle, what="starting the policy's episodes")
    finished, obs, active = parse(body)
    last = -1
    while active.any():
        idx = np.flatnonzero(active)
        if batched:
            out = np.asarray(policy(obs[idx].copy()), dtype=np.float64)
            try:
                actions[idx] = out.reshape(len(idx), act_dim)
            except ValueError:
                raise EnvError(f"a batched policy must return {len(idx)} actions of size {act_dim} for {len(idx)} observations, got shape {out.shape}") from None
        else:
            for i in idx:
                a = policy(obs[i].copy())
                if isinstance(a, (str, bytes)) or a is None:
                    raise EnvTypeError(f"the policy returned {a!r}, not an action")
                try:
                    actions[i] = np.asarray(a, dtype=np.float64).reshape(act_dim)
                except (TypeError, ValueError):
                    raise EnvTypeError(f"the policy returned {a!r}, not an action of size {act_dim}{' (an integer)' if discrete else ''}") from None
        _, _, _, body = srv.call(P.EVAL_STEP, handle, actions.tobytes(), what="stepping the policy's episodes")
        finished, obs, active = parse(body)
        if progress and finished != last and (finished % max(1, total // 20) == 0 or finished == total):
            print(f"evaluate: {finished}/{total} episodes", file=sys.stderr)
            last = finished
