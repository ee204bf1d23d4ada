"""A stand-in for gymnasium 1.x's API surface that execution_gym touches (gymnasium cannot be
installed here: no PyPI). It lets a test run the package's gymnasium branch: subclassing
gymnasium.Env / VectorEnv, gymnasium's spaces, batch_space, EnvSpec, AutoresetMode. It is not
gymnasium: the real check_env runs only where gymnasium is installed."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from . import spaces  # noqa: F401


class Env:
    metadata: dict = {"render_modes": []}
    render_mode: Optional[str] = None
    spec: Any = None
    _np_random: Optional[np.random.Generator] = None

    def reset(self, *, seed: Optional[int] = None, options: Optional[dict] = None) -> Any:
        if seed is not None:
            self._np_random = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))

    @property
    def np_random(self) -> np.random.Generator:
        if self._np_random is None:
            self._np_random = np.random.default_rng()
        return self._np_random

    @property
    def unwrapped(self) -> "Env":
        return self

    def close(self) -> None:
        pass
