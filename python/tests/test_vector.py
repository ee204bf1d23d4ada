"""make_vec: Gymnasium's VectorEnv API with next-step autoreset, batched arrays, infos with masks."""

from __future__ import annotations

import numpy as np
import pytest

import execution_gym as eg


def test_vector_api_and_next_step_autoreset(server):
    n = 4
    v = eg.make_vec("Liquidate-AC-v0", n, server=server)
    assert v.num_envs == n and v.metadata["autoreset_mode"] == eg.vector._NEXT_STEP
    assert v.single_observation_space.shape == (3,) and v.observation_space.shape == (n, 3)
    assert v.single_action_space.shape == (1,) and v.action_space.shape == (n, 1)
    obs, infos = v.reset(seed=3)
    assert obs.shape == (n, 3) and obs.dtype == np.float64 and obs.flags.writeable
    assert infos["_decisionCount"].all() and (infos["decisionCount"] == 5).all()
    # Liquidate-AC-v0 ends after N = 5 decisions: step 5 ends every env, step 6 resets them.
    a = np.ones((n, 1))
    for t in range(5):
        obs, rew, term, trunc, infos = v.step(a)
        assert rew.shape == (n,) and rew.dtype == np.float64 and term.dtype == bool and trunc.dtype == bool
        assert term.all() == (t == 4) and not trunc.any()
    assert infos["_isBps"].all() and np.isfinite(infos["isBps"]).all() and infos["remainingQty"].tolist() == [0] * n
    last = obs.copy()
    obs, rew, term, trunc, infos = v.step(np.full((n, 1), 1e9))  # ignored: every env resets
    assert (rew == 0).all() and not term.any()
    assert (obs[:, 0] == 1).all() and (obs[:, 1] == 1).all() and not np.array_equal(obs, last)
    assert infos["autoreset"].all() and infos["_autoreset"].all()
    # A bad action is rejected before any env moves (the TypeScript message), and the env goes on.
    with pytest.raises(eg.EnvError, match="invalid action for env 2"):
        v.step(np.array([[1.0], [1.0], [np.nan], [1.0]]))
    with pytest.raises(eg.EnvError, match="num_envs × action size = 4 values"):
        v.step(np.ones((n, 2)))
    with pytest.raises(eg.EnvTypeError):
        v.step("go")
    with pytest.raises(eg.EnvTypeError, match="one integer"):
        v.reset(seed=[1, 2, 3, 4])
    obs2, *_ = v.step(a)
    assert obs2.shape == (n, 3)
    v.close()


def test_infos_all_final_none_and_workers_agree(server):
    outs = {}
    for workers in (0, 2):
        for mode in ("final", "all", "none"):
            v = eg.make_vec("Liquidate-v0", 3, server=server, workers=workers, infos=mode, horizonSeconds=30)
            obs, infos0 = v.reset(seed=8)
            seq = [obs]
            info_seq = []
            for _ in range(8):
                o, r, te, tr, infos = v.step(np.ones((3, 1)))
                seq += [o, r, te]
                info_seq.append(infos)
            outs[(workers, mode)] = (seq, info_seq, infos0)
            v.close()
    base = outs[(0, "final")][0]
    for k, (seq, _, _) in outs.items():
        assert all(np.array_equal(a, b) for a, b in zip(seq, base)), k
    for workers in (0, 2):
        final, allinf, none = outs[(workers, "final")][1], outs[(workers, "all")][1], outs[(workers, "none")][1]
        assert all(i == {} for i in none) and outs[(workers, "none")][2] == {}
        for f, a in zip(final, allinf):
            assert a["_quantity"].all()
            ended = f.get("_remainingQty", np.zeros(3, bool))
            for i in np.flatnonzero(ended):
                assert f["remainingQty"][i] == a["remainingQty"][i] == 0
    # The same infos from the server's thread and from its worker threads.
    f0, f2 = outs[(0, "final")][1], outs[(2, "final")][1]
    assert len(f0) == len(f2)
    for x, y in zip(f0, f2):
        assert x.keys() == y.keys()
        for key in x:
            if isinstance(x[key], dict):
                continue
            assert [repr(e) for e in x[key]] == [repr(e) for e in y[key]], key


def test_discrete_vector_env(server):
    v = eg.make_vec("Liquidate-v0", 2, server=server, actionMode="discrete", horizonSeconds=30)
    assert v.single_action_space.n == 4 and v.action_space.shape == (2,)
    v.reset(seed=1)
    v.step(np.array([2, 1]))
    with pytest.raises(eg.EnvError, match="got 7"):
        v.step(np.array([7, 1]))
    v.close()


def test_bad_vector_options(server):
    with pytest.raises(eg.EnvError, match="workers must be an integer in"):
        eg.make_vec("Liquidate-v0", 2, server=server, workers=3)
    with pytest.raises(eg.EnvError, match="num_envs must be a positive integer"):
        eg.make_vec("Liquidate-v0", 0, server=server)
    with pytest.raises(eg.EnvError, match="infos must be one of"):
        eg.make_vec("Liquidate-v0", 2, server=server, infos="some")
