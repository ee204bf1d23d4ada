"""Bit-identical results: the same seed and actions give the same observations, rewards, flags and
infos in Python (over the server) as the TypeScript envs called directly; the same for the vector env."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CASE_NAMES, case, ts_reference

import execution_gym as eg


def f64(h: str) -> np.ndarray:
    return np.frombuffer(bytes.fromhex(h), dtype="<f8")


def actions_for(name: str, env, n: int) -> list:
    env.action_space.seed(99)
    out = []
    for _ in range(n):
        a = env.action_space.sample()
        out.append(int(a) if np.ndim(a) == 0 else [float(x) for x in a])
    return out


@pytest.fixture(scope="module")
def runs(server, replay_options):
    """Every case run from Python and by the TypeScript reference, with the same actions."""
    cases, py = [], []
    for name in CASE_NAMES:
        env_id, options = case(name, replay_options)
        env = eg.make(env_id, server=server, infos="all", **options)
        acts = actions_for(name, env, 40)  # several episodes: covers unseeded resets too
        obs, rewards, flags, infos = [], [], [], []
        o, info = env.reset(seed=1234)
        obs.append(o)
        infos.append(info)
        ended = False
        for a in acts:
            if ended:
                o, info = env.reset()
                obs.append(o)
                infos.append(info)
            o, r, te, tr, info = env.step(a)
            obs.append(o)
            rewards.append(r)
            flags.append([te, tr])
            infos.append(info)
            ended = te or tr
        env.close()
        py.append((name, obs, rewards, flags, infos))
        cases.append({"kind": "env", "id": env_id, "options": options, "seed": 1234, "actions": acts})
    return py, ts_reference(cases)


@pytest.mark.parametrize("k", range(len(CASE_NAMES)), ids=CASE_NAMES)
def test_single_env_bit_identical(runs, k):
    py, ts = runs
    name, obs, rewards, flags, infos = py[k]
    ref = ts[k]
    assert len(obs) == len(ref["obs"])
    for i, (o, h) in enumerate(zip(obs, ref["obs"])):
        assert o.tobytes() == f64(h).tobytes(), f"{name}: observation {i} differs"
    assert np.array([rewards], dtype="<f8").tobytes() == b"".join(f64(h).tobytes() for h in ref["rewards"])
    assert flags == ref["flags"]
    assert infos == ref["infos"]
    assert any(f[0] for f in flags), f"{name}: no episode ended in the test"


def test_vector_env_bit_identical(server):
    n, steps = 6, 15
    rng = np.random.default_rng(0)
    acts = [rng.uniform(0, 3, size=n).round(3).tolist() for _ in range(steps)]
    ref = ts_reference([{"kind": "vec", "id": "Liquidate-v0", "options": {"horizonSeconds": 60}, "numEnvs": n, "seed": 77, "actions": acts}])[0]
    for workers in (0, 2):
        v = eg.make_vec("Liquidate-v0", n, server=server, workers=workers, horizonSeconds=60)
        obs, _ = v.reset(seed=77)
        assert obs.tobytes() == f64(ref["obs"][0]).tobytes()
        for t, a in enumerate(acts):
            obs, rew, term, trunc, _ = v.step(np.array(a).reshape(n, 1))
            assert obs.tobytes() == f64(ref["obs"][t + 1]).tobytes(), f"workers={workers}: observations differ at step {t}"
            assert rew.tobytes() == f64(ref["rewards"][t]).tobytes()
            assert term.astype(int).tolist() == ref["terminated"][t]
            assert trunc.astype(int).tolist() == ref["truncated"][t]
        v.close()
