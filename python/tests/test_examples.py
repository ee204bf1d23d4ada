"""The examples: the PyTorch PPO trains briefly and benchmarks itself where torch is installed;
every example at least compiles (SB3 and RLlib cannot be installed here: no PyPI)."""

from __future__ import annotations

import os
import py_compile
import subprocess
import sys

import pytest
from conftest import ROOT

EXAMPLES = ROOT / "examples" / "python"

try:
    import torch  # noqa: F401

    HAVE_TORCH = True
except ImportError:
    HAVE_TORCH = False


@pytest.mark.parametrize("name", ["ppo_cleanrl.py", "sb3_ppo.py", "rllib_ppo.py", "evaluate_my_policy.py"])
def test_example_compiles(name, tmp_path):
    py_compile.compile(str(EXAMPLES / name), cfile=str(tmp_path / "x.pyc"), doraise=True)


def run(args: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "python")}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=str(ROOT), timeout=600)


@pytest.mark.skipif(not HAVE_TORCH, reason="torch is not installed (apt-get install python3-torch)")
def test_pytorch_ppo_trains_and_benchmarks():
    p = run([str(EXAMPLES / "ppo_cleanrl.py"), "--total-timesteps", "2048", "--num-envs", "8", "--num-steps", "64", "--update-epochs", "2", "--eval-episodes", "8", "--baselines", "twap"])
    assert p.returncode == 0, p.stderr
    assert "iteration    4/4" in p.stdout
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith(("ppo-torch ", "twap "))]
    assert len(lines) == 2, p.stdout


def test_evaluate_example_runs():
    p = run([str(EXAMPLES / "evaluate_my_policy.py"), "--episodes", "6", "--baselines", "twap"])
    assert p.returncode == 0, p.stderr
    assert "mid-tilt vs TWAP" in p.stdout
