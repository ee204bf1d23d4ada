from __future__ import annotations

import numpy as np

from ..spaces import Box, Discrete, MultiDiscrete


def batch_space(space, n=1):
    if isinstance(space, Box):
        return Box(np.stack([space.low] * n), np.stack([space.high] * n), (n, *space.shape), space.dtype)
    if isinstance(space, Discrete):
        return MultiDiscrete(np.full((n,), space.n), start=np.full((n,), space.start))
    raise TypeError(space)
