"""The package's gymnasium branch (envs subclass gymnasium.Env, spaces are gymnasium's), run in a
subprocess against tests/stub_gymnasium, a stand-in for gymnasium's API surface (the real
gymnasium cannot be installed here; with it, test_conformance also runs gymnasium's check_env)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from conftest import HERE, ROOT

SCRIPT = textwrap.dedent(
    """
    import numpy as np, gymnasium
    import execution_gym as eg
    from execution_gym.checker import check_env
    assert eg.HAVE_GYMNASIUM and gymnasium.__file__.startswith({stub!r})
    with eg.Server() as s:
        env = eg.make("Liquidate-v0", server=s, horizonSeconds=60)
        assert isinstance(env, gymnasium.Env)
        assert isinstance(env.observation_space, gymnasium.spaces.Box) and env.observation_space.dtype == np.float64
        assert type(env.spec).__module__ == "gymnasium.envs.registration"
        check_env(env)
        d = eg.make("Liquidate-v0", server=s, horizonSeconds=60, actionMode="discrete")
        assert isinstance(d.action_space, gymnasium.spaces.Discrete)
        check_env(d)
        v = eg.make_vec("Liquidate-v0", 3, server=s, horizonSeconds=60, actionMode="discrete")
        assert isinstance(v, gymnasium.vector.VectorEnv)
        assert v.metadata["autoreset_mode"] is gymnasium.vector.AutoresetMode.NEXT_STEP
        assert isinstance(v.action_space, gymnasium.spaces.MultiDiscrete)
        obs, infos = v.reset(seed=1)
        obs, r, te, tr, infos = v.step(v.action_space.sample())
        assert obs.shape == (3, 11) and v.np_random is not None
        v.close()
        print("ok")
    """
)


def test_gymnasium_branch_against_the_stand_in():
    stub = str(HERE / "stub_gymnasium")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([stub, str(ROOT / "python")])}
    env.pop("EXECUTION_GYM_NO_GYMNASIUM", None)
    p = subprocess.run([sys.executable, "-c", SCRIPT.format(stub=stub)], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "ok"
