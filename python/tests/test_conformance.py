"""Gymnasium API conformance on every env id: what gymnasium's env_checker checks (our port,
execution_gym.checker), plus gymnasium's own check_env where gymnasium is installed."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CASE_NAMES, case

import execution_gym as eg
from execution_gym.checker import check_env


@pytest.mark.parametrize("name", CASE_NAMES)
def test_env_checker(name, server, replay_options):
    env_id, options = case(name, replay_options)
    env = eg.make(env_id, server=server, **options)
    try:
        warnings = check_env(env, seed=123)
        assert not any("same observation" in w for w in warnings) or env_id == "Liquidate-AC-v0"
        # The details the checker does not cover: dtypes and spaces as the TypeScript side declares them.
        assert env.observation_space.dtype == np.float64
        if name == "Liquidate-v0-discrete":
            assert env.action_space.n == 4 and env.action_space.start == 0
        else:
            assert env.action_space.dtype == np.float64
            assert env.action_space.shape == ((2,) if env_id == "Liquidate-Limit-v0" else (1,))
        assert env.spec.id == env_id and env.spec.kwargs["env_id"] == env_id
        assert env.unwrapped is env and env.render() is None
    finally:
        env.close()
        env.close()


@pytest.mark.skipif(not eg.HAVE_GYMNASIUM, reason="gymnasium is not installed (PyPI is not reachable here): only the package's port of its checker ran")
@pytest.mark.parametrize("name", CASE_NAMES)
def test_gymnasium_check_env(name, server, replay_options):  # pragma: no cover - needs gymnasium
    import gymnasium
    from gymnasium.utils.env_checker import check_env as gym_check_env

    env_id, options = case(name, replay_options)
    env = eg.make(env_id, server=server, **options)
    assert isinstance(env, gymnasium.Env)
    assert isinstance(env.observation_space, gymnasium.spaces.Box)
    gym_check_env(env, skip_render_check=True)
    env.close()


def test_registry_ids(server):
    ids = [e["id"] for e in eg.list_envs(server)]
    assert sorted(eg.ENV_IDS) == sorted(ids)
    assert all(e["description"] for e in eg.list_envs(server))


def test_seeding_continues_like_typescript(server):
    env = eg.make("Liquidate-v0", server=server, horizonSeconds=60)
    _, i0 = env.reset(seed=5)
    _, i1 = env.reset()
    _, i2 = env.reset()
    _, j0 = env.reset(seed=5)
    _, j1 = env.reset()
    assert i0["episodeSeed"] == 5 and j0["episodeSeed"] == 5
    assert i1["episodeSeed"] == j1["episodeSeed"] != i2["episodeSeed"]
    # Before any seed, as if seeded with 0.
    fresh = eg.make("Liquidate-v0", server=server, horizonSeconds=60)
    _, k1 = fresh.reset()
    _, k2 = fresh.reset()
    _, z = env.reset(seed=0)
    _, z1 = env.reset()
    assert [k1["episodeSeed"], k2["episodeSeed"]] == [z["episodeSeed"], z1["episodeSeed"]] == [0, z1["episodeSeed"]]
    env.close()
    fresh.close()


def test_options_snake_case_and_reset_options(server):
    env = eg.make("Liquidate-v0", server=server, action_mode="limit", horizon_seconds=60)
    assert env.action_space.shape == (2,) and env.metadata["actionMode"] == "limit"
    _, info = env.reset(seed=1, options={"quantity": 1234, "start_seconds": 600})
    assert info["quantity"] == 1234 and info["startSeconds"] == 600 and info["horizonSeconds"] == 60
    with pytest.raises(eg.EnvTypeError, match="given twice"):
        eg.make("Liquidate-v0", server=server, actionMode="limit", action_mode="limit")
    env.close()


def test_info_modes(server):
    full = eg.make("Liquidate-v0", server=server, horizonSeconds=60, infos="all")
    final = eg.make("Liquidate-v0", server=server, horizonSeconds=60)  # the default: infos="final"
    full.reset(seed=2)
    final.reset(seed=2)
    while True:
        a = full.step([1.0])
        b = final.step([1.0])
        assert np.array_equal(a[0], b[0]) and a[1] == b[1]
        assert isinstance(a[4]["fills"], list) and isinstance(a[4]["isBps"], float)
        if a[2]:
            assert b[4] == a[4]  # the last step's info comes in every mode but 'none'
            break
        assert b[4] == {}
    full.close()
    final.close()


def test_protocol_constants_match_the_typescript_side():
    import re

    from conftest import ROOT

    from execution_gym import _protocol as P

    ts = (ROOT / "experiments" / "serve" / "protocol.ts").read_text()
    assert int(re.search(r"PROTOCOL_VERSION = (\d+);", ts).group(1)) == P.PROTOCOL_VERSION
    kinds = dict(re.findall(r"^  (R?_?[A-Z_]+): (0x[0-9a-f]+|\d+),$", ts, re.M))
    assert len(kinds) >= 20
    for name, value in kinds.items():
        assert getattr(P, name) == int(value, 0), name
    for flag in ("WANT_INFO", "TERMINATED", "TRUNCATED", "HAS_INFO"):
        assert int(re.search(rf"export const {flag} = (\d+);", ts).group(1)) == getattr(P, flag)
