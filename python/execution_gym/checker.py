"""``check_env``: what Gymnasium's ``utils.env_checker.check_env`` checks, without gymnasium.

Run by the tests on every env id (and, where gymnasium is installed, gymnasium's own checker
too). Raises ``AssertionError`` naming the first violation; returns the warnings.

Checks: the spaces are spaces (shape, dtype, bounds, seeded ``sample`` inside the space);
``reset`` takes ``seed`` and ``options`` keywords and returns ``(obs, info)`` with the
observation in the space and of its dtype; ``reset(seed=s)`` twice gives the same observation
and info and reseeds ``np_random``; an unseeded ``reset`` continues; ``step`` returns
``(obs, float reward, bool terminated, bool truncated, dict info)``; the same seed and actions
give the same trajectory (observations, rewards, flags, infos); stepping an ended episode
raises; ``render_mode`` is None and ``metadata['render_modes']`` exists; ``close`` may be
called twice.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np


def data_equivalence(a: Any, b: Any) -> bool:
    """Gymnasium's ``data_equivalence``: equal types and values, arrays by dtype, shape and bits."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(data_equivalence(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(data_equivalence(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if isinstance(a, float) and a != a:
        return b != b
    return bool(a == b)


def _check_space(space: Any, what: str) -> None:
    for attr in ("shape", "dtype", "sample", "contains", "seed"):
        assert hasattr(space, attr), f"{what} has no {attr!r}"
    space.seed(7)
    x = space.sample()
    assert space.contains(x), f"{what}.sample() = {x!r} is not in {what}"
    space.seed(7)
    assert data_equivalence(space.sample(), x), f"{what}.seed(7) does not make sample() repeat"
    if hasattr(space, "low"):
        assert space.low.shape == space.shape and space.high.shape == space.shape, f"{what} bounds have the wrong shape"
        assert np.all(space.low <= space.high), f"{what} has low > high"


def _check_obs(obs: Any, space: Any, where: str) -> None:
    assert isinstance(obs, np.ndarray), f"{where}: the observation must be a numpy array, got {type(obs).__name__}"
    assert obs.dtype == space.dtype, f"{where}: observation dtype {obs.dtype} != the space's {space.dtype}"
    assert obs.shape == space.shape, f"{where}: observation shape {obs.shape} != the space's {space.shape}"
    assert np.all(np.isfinite(obs)), f"{where}: observation has NaN or infinity: {obs}"
    assert space.contains(obs), f"{where}: observation {obs} is outside the observation space"


def _check_step(r: Any, env: Any, where: str) -> None:
    assert isinstance(r, tuple) and len(r) == 5, f"{where}: step must return (obs, reward, terminated, truncated, info), got {r!r}"
    obs, reward, terminated, truncated, info = r
    _check_obs(obs, env.observation_space, where)
    assert isinstance(reward, (float, int, np.floating, np.integer)) and not isinstance(reward, bool), f"{where}: reward must be a number, got {type(reward).__name__}"
    assert np.isfinite(reward), f"{where}: reward is {reward}"
    assert isinstance(terminated, (bool, np.bool_)), f"{where}: terminated must be a bool, got {type(terminated).__name__}"
    assert isinstance(truncated, (bool, np.bool_)), f"{where}: truncated must be a bool, got {type(truncated).__name__}"
    assert isinstance(info, dict), f"{where}: info must be a dict, got {type(info).__name__}"


def _episode(env: Any, seed: int, action_seed: int, max_steps: int) -> list:
    out = [env.reset(seed=seed)]
    env.action_space.seed(action_seed)
    for _ in range(max_steps):
        r = env.step(env.action_space.sample())
        out.append(r)
        if r[2] or r[3]:
            break
    return out


def check_env(env: Any, seed: int = 123, max_steps: int = 1000) -> list[str]:
    """Checks ``env`` against Gymnasium's Env contract. @raises AssertionError on the first violation."""
    warnings: list[str] = []
    _check_space(env.observation_space, "observation_space")
    _check_space(env.action_space, "action_space")
    assert env.render_mode is None, f"render_mode must be None, got {env.render_mode!r}"
    assert "render_modes" in env.metadata, "metadata has no 'render_modes'"

    params = inspect.signature(env.reset).parameters
    assert "seed" in params and "options" in params, "reset must take seed= and options="

    # reset: types, seeding determinism, np_random reseeded, an unseeded reset continues.
    r1 = env.reset(seed=seed)
    assert isinstance(r1, tuple) and len(r1) == 2, f"reset must return (obs, info), got {r1!r}"
    _check_obs(r1[0], env.observation_space, "reset(seed)")
    assert isinstance(r1[1], dict), f"reset info must be a dict, got {type(r1[1]).__name__}"
    rng1 = env.np_random.bit_generator.state
    r2 = env.reset()
    _check_obs(r2[0], env.observation_space, "reset()")
    r3 = env.reset(seed=seed)
    assert data_equivalence(r1[0], r3[0]), "reset(seed) twice gives different observations"
    assert data_equivalence(r1[1], r3[1]), "reset(seed) twice gives different infos"
    assert env.np_random.bit_generator.state == rng1, "reset(seed) does not reseed np_random"
    r4 = env.reset(seed=seed + 333)
    if data_equivalence(r4[0], r1[0]):
        warnings.append("reset with another seed gives the same observation")

    # step: types and determinism over a whole episode (observations, rewards, flags, infos).
    a = _episode(env, seed, seed, max_steps)
    for k, r in enumerate(a[1:]):
        _check_step(r, env, f"step {k}")
    b = _episode(env, seed, seed, max_steps)
    assert len(a) == len(b), f"the same seed and actions gave episodes of {len(a) - 1} and {len(b) - 1} steps"
    for k, (x, y) in enumerate(zip(a, b)):
        assert data_equivalence(x, y), f"the same seed and actions differ at {'reset' if k == 0 else f'step {k - 1}'}"
    ended = a[-1][2] or a[-1][3]
    if ended:
        try:
            env.step(env.action_space.sample())
        except Exception:  # noqa: BLE001 - any error is right; what matters is that it is not silently accepted
            pass
        else:
            raise AssertionError("step() after the episode ended did not raise")
    else:
        warnings.append(f"the episode did not end within {max_steps} steps")
    # Terminated is the task ending; these envs are never cut off from inside (truncated stays False).
    assert all(not r[3] for r in a[1:]), "truncated must stay False without a TimeLimit"
    return warnings
