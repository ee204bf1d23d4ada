"""Benchmark your own policy against the baselines, on the command line's held-out seeds.

    PYTHONPATH=python python3 examples/python/evaluate_my_policy.py --episodes 200

The policy here is a hand-written rule (sell faster when the mid has moved in our favour); replace
it with your agent: any callable from an observation to an action, a batched one
(``policy.batched = True``), or a model with ``predict``. The baselines' rows are exactly what
``npm run cli -- evaluate`` prints for the same seeds. Ran here.
"""

from __future__ import annotations

import argparse

import numpy as np

import execution_gym


def my_policy(obs: np.ndarray) -> np.ndarray:
    """Liquidate-v0's observation: [timeLeft, inventoryLeft, spread, midMove, ...]."""
    mid_move = obs[3]  # positive = the price moved up since arrival (good for a seller)
    return np.array([np.clip(1.0 + 5.0 * mid_move, 0.5, 2.0)])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--episodes", type=int, default=200)
    p.add_argument("--baselines", default="twap,passive-twap,vwap,ac")
    args = p.parse_args()
    result = execution_gym.evaluate(my_policy, "Liquidate-v0", args.episodes, args.baselines.split(","), name="mid-tilt")
    print(result)
    s = result["mid-tilt"]
    print(f"mid-tilt vs TWAP: {s['vsTwap']['meanDiffBps']:+.2f} bps [{s['vsTwap']['ciLowBps']:+.2f}, {s['vsTwap']['ciHighBps']:+.2f}], Wilcoxon p = {s['vsTwap']['wilcoxonP']:.3g}")


if __name__ == "__main__":
    main()
