"""evaluate(): the baselines' numbers are the command line's, exactly; a Python policy's records
depend only on (policy, env, seed), whatever the batch; a Python TWAP equals the TypeScript one."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest
from conftest import NODE, ROOT

import execution_gym as eg

EPISODES = 12
BASELINES = ["twap", "passive-twap", "vwap", "ac"]
CALIBRATION_SEEDS = 40  # the AC calibration's seed count, on both sides (the default, 500, takes seconds)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A fresh working directory: the AC calibration cache (runs/cache) starts empty there."""
    return tmp_path_factory.mktemp("evaluate")


@pytest.fixture(scope="module")
def python_result(workdir):
    with eg.Server(cwd=workdir) as s:
        return eg.evaluate(lambda obs: [1.0], "Liquidate-v0", EPISODES, BASELINES, name="py-twap", calibration_seeds=CALIBRATION_SEEDS, records=True, server=s, workers=0)


def test_baselines_equal_the_command_line_exactly(python_result, workdir):
    cli = subprocess.run(
        [NODE, str(ROOT / "bin" / "execution-gym.js"), "evaluate", "--policy", ",".join(BASELINES), "--env", "Liquidate-v0", "--episodes", str(EPISODES), "--calibration-seeds", str(CALIBRATION_SEEDS), "--workers", "1", "--json"],
        capture_output=True,
        text=True,
        cwd=str(workdir),
        check=False,
    )
    assert cli.returncode == 0, cli.stderr
    want = json.loads(cli.stdout)
    assert list(want) == BASELINES
    for name in BASELINES:
        assert python_result.summary[name] == want[name], name  # every number, bit for bit (JSON floats round-trip)
    assert python_result.summary["py-twap"]["vsTwap"]["meanDiffBps"] == 0.0


def test_python_twap_records_are_the_typescript_twaps(python_result):
    r = python_result
    assert r.episodes == EPISODES and r.seeds == {"first": 1_000_000_000, "count": EPISODES, "offset": 0}
    assert r.lambda_per_bps == 0.01 and r.env == "Liquidate-v0"
    mine, theirs = r.records["py-twap"], r.records["twap"]
    assert [x["seed"] for x in mine] == list(range(1_000_000_000, 1_000_000_000 + EPISODES))
    assert [{**x, "policy": "twap"} for x in mine] == theirs
    assert "py-twap" in str(r) and "passive-twap" in r.table
    assert r["twap"]["episodes"] == EPISODES and list(r) == ["py-twap", *BASELINES]


def test_records_do_not_depend_on_the_batch(server):
    rng_policy = lambda obs: [0.5 + obs[1] + 0.3 * obs[3]]  # noqa: E731 - a deterministic function of the observation

    def batched(obs):
        return (0.5 + obs[:, 1] + 0.3 * obs[:, 3]).reshape(-1, 1)

    batched.batched = True
    common = dict(env_options={"horizonSeconds": 60}, baselines=[], records=True, server=server, seed_offset=500)
    a = eg.evaluate(rng_policy, "Liquidate-v0", 9, num_envs=1, **common)
    b = eg.evaluate(rng_policy, "Liquidate-v0", 9, num_envs=4, **common)
    c = eg.evaluate(batched, "Liquidate-v0", 9, num_envs=9, **common)
    assert a.records["policy"] == b.records["policy"] == c.records["policy"]
    assert a.summary == b.summary == c.summary
    assert a.records["policy"][0]["seed"] == 1_000_000_500


def test_model_with_predict_and_discrete_actions(server):
    class Model:  # the Stable-Baselines3 predict() convention
        def predict(self, obs, deterministic=False):
            assert deterministic and obs.ndim == 2
            return np.full(len(obs), 2), None

    r = eg.evaluate(Model(), "Liquidate-v0", 5, baselines=[], env_options={"actionMode": "discrete", "horizonSeconds": 60}, server=server)
    assert r["policy"]["episodes"] == 5 and r["policy"]["completion"] == 1


def test_only_baselines_and_bad_input(server):
    r = eg.evaluate(None, "Liquidate-AC-v0", 6, ["twap", "ac"], server=server, workers=0)
    assert list(r) == ["twap", "ac"]
    with pytest.raises(eg.EnvError, match="also a baseline"):
        eg.evaluate(lambda o: [1.0], "Liquidate-AC-v0", 2, ["twap"], name="twap", server=server)
    with pytest.raises(eg.EnvTypeError, match="not an action"):
        eg.evaluate(lambda o: "sell", "Liquidate-AC-v0", 2, [], server=server)
    with pytest.raises(eg.EnvError, match="invalid action for env 0"):
        eg.evaluate(lambda o: [-1.0], "Liquidate-AC-v0", 2, [], server=server)
    with pytest.raises(eg.EnvError, match="episodes must be an integer >= 1"):
        eg.evaluate(lambda o: [1.0], "Liquidate-AC-v0", 0, [], server=server)
    with pytest.raises(eg.EnvTypeError, match="policy must be a callable"):
        eg.evaluate(42, "Liquidate-AC-v0", 2, [], server=server)
    assert server.alive
