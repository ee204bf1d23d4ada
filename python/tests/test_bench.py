"""The benchmark command runs and reports its figures (never asserted on: tests do not time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT


def test_bench_json_reports_every_figure():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "python")}
    p = subprocess.run(
        [sys.executable, "-m", "execution_gym.bench", "--json", "--steps", "300", "--num-envs", "4", "--batch-steps", "8", "--rounds", "1"],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    for key in ("typescriptStepsPerSecond", "pythonStepsPerSecondInfosFinal", "pythonStepsPerSecondInfosAll", "overheadMicrosecondsInfosFinal"):
        assert r["single"][key] > 0 or key.startswith("overhead"), key
    for key in ("typescriptSyncStepsPerSecond", "pythonStepsPerSecondServerThread", "pythonStepsPerSecondWorkers", "ratioServerThread"):
        assert r["vector"][key] > 0, key
    assert r["vector"]["numEnvs"] == 4 and r["node"].startswith("v") and r["machine"]["cpus"] >= 1
