"""Spaces: Gymnasium's when ``gymnasium`` is importable, otherwise small compatible classes.

The fallback classes :class:`Box`, :class:`Discrete` and :class:`MultiDiscrete` have what
Gymnasium's checker and the usual RL libraries use: ``shape``, ``dtype``, ``low``/``high``
(``n``/``start``, ``nvec``), seeded ``sample()``, ``contains()`` / ``in``, ``seed()``,
``np_random`` and equality. Set ``EXECUTION_GYM_NO_GYMNASIUM=1`` to use them even where
gymnasium is installed.
"""

from __future__ import annotations

import os
from typing import Any, Optional, Sequence

import numpy as np

try:
    if os.environ.get("EXECUTION_GYM_NO_GYMNASIUM"):
        raise ImportError("disabled by EXECUTION_GYM_NO_GYMNASIUM")
    import gymnasium as _gym  # type: ignore[import-not-found]
except ImportError:
    _gym = None

#: True when the envs subclass gymnasium.Env and the spaces are gymnasium's.
HAVE_GYMNASIUM = _gym is not None


class Space:
    """Base of the fallback spaces: a seeded numpy Generator for ``sample``."""

    shape: tuple[int, ...]
    dtype: np.dtype

    def __init__(self, seed: Optional[int] = None) -> None:
        self._np_random: Optional[np.random.Generator] = None
        if seed is not None:
            self.seed(seed)

    @property
    def np_random(self) -> np.random.Generator:
        if self._np_random is None:
            self.seed()
        return self._np_random  # type: ignore[return-value]

    def seed(self, seed: Optional[int] = None) -> list[Optional[int]]:
        """Reseeds ``sample`` (numpy's PCG64 via default_rng, as Gymnasium)."""
        self._np_random = np.random.default_rng(seed)
        return [seed]

    def contains(self, x: Any) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def __contains__(self, x: Any) -> bool:
        return self.contains(x)

    @property
    def is_np_flattenable(self) -> bool:
        return True


class Box(Space):
    """The product of closed intervals [low_i, high_i] (bounds may be infinite), float64."""

    def __init__(self, low: Any, high: Any, shape: Optional[Sequence[int]] = None, dtype: Any = np.float64, seed: Optional[int] = None) -> None:
        super().__init__(seed)
        self.dtype = np.dtype(dtype)
        if shape is None:
            shape = np.shape(low) if np.ndim(low) > 0 else np.shape(high)
        self.shape = tuple(int(d) for d in shape)
        self.low = np.broadcast_to(np.asarray(low, dtype=self.dtype), self.shape).copy()
        self.high = np.broadcast_to(np.asarray(high, dtype=self.dtype), self.shape).copy()
        if np.any(np.isnan(self.low)) or np.any(np.isnan(self.high)) or np.any(self.low > self.high):
            raise ValueError(f"Box bounds must satisfy low <= high without NaN, got low={self.low}, high={self.high}")

    def is_bounded(self, manner: str = "both") -> bool:
        below = bool(np.all(np.isfinite(self.low)))
        above = bool(np.all(np.isfinite(self.high)))
        return {"both": below and above, "below": below, "above": above}[manner]

    def sample(self, mask: Any = None) -> np.ndarray:
        r = self.np_random
        lo, hi = self.low, self.high
        lf, hf = np.isfinite(lo), np.isfinite(hi)
        out = np.empty(self.shape, dtype=np.float64)
        both, lower, upper, free = lf & hf, lf & ~hf, ~lf & hf, ~lf & ~hf
        out[both] = r.uniform(lo[both], hi[both])
        out[lower] = lo[lower] + r.exponential(size=int(lower.sum()))
        out[upper] = hi[upper] - r.exponential(size=int(upper.sum()))
        out[free] = r.normal(size=int(free.sum()))
        return out.astype(self.dtype)

    def contains(self, x: Any) -> bool:
        if not isinstance(x, np.ndarray):
            try:
                x = np.asarray(x, dtype=self.dtype)
            except (TypeError, ValueError):
                return False
        return bool(np.can_cast(x.dtype, self.dtype) and x.shape == self.shape and np.all(x >= self.low) and np.all(x <= self.high))

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Box) and self.shape == other.shape and self.dtype == other.dtype and np.array_equal(self.low, other.low) and np.array_equal(self.high, other.high)

    def __repr__(self) -> str:
        return f"Box({self.low.min()}, {self.high.max()}, {self.shape}, {self.dtype})"


class Discrete(Space):
    """The integers {start, ..., start + n - 1}; samples are np.int64."""

    def __init__(self, n: int, seed: Optional[int] = None, start: int = 0) -> None:
        super().__init__(seed)
        self.n = np.int64(n)
        self.start = np.int64(start)
        self.shape = ()
        self.dtype = np.dtype(np.int64)

    def sample(self, mask: Any = None) -> np.int64:
        return np.int64(self.start + self.np_random.integers(self.n))

    def contains(self, x: Any) -> bool:
        if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
            v = int(x)
        elif isinstance(x, np.ndarray) and x.shape == () and np.issubdtype(x.dtype, np.integer):
            v = int(x)
        else:
            return False
        return bool(self.start <= v < self.start + self.n)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Discrete) and self.n == other.n and self.start == other.start

    def __repr__(self) -> str:
        return f"Discrete({self.n})" if self.start == 0 else f"Discrete({self.n}, start={self.start})"


class MultiDiscrete(Space):
    """Independent discrete values, one per entry of ``nvec`` (the batched Discrete space)."""

    def __init__(self, nvec: Any, dtype: Any = np.int64, seed: Optional[int] = None, start: Any = None) -> None:
        super().__init__(seed)
        self.nvec = np.asarray(nvec, dtype=dtype)
        self.start = np.zeros_like(self.nvec) if start is None else np.asarray(start, dtype=dtype)
        self.shape = self.nvec.shape
        self.dtype = np.dtype(dtype)

    def sample(self, mask: Any = None) -> np.ndarray:
        return (self.start + self.np_random.integers(self.nvec)).astype(self.dtype)

    def contains(self, x: Any) -> bool:
        x = np.asarray(x)
        return bool(x.shape == self.shape and np.issubdtype(x.dtype, np.integer) and np.all(x >= self.start) and np.all(x < self.start + self.nvec))

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, MultiDiscrete) and np.array_equal(self.nvec, other.nvec) and np.array_equal(self.start, other.start)

    def __repr__(self) -> str:
        return f"MultiDiscrete({self.nvec})"


def _bound(x: Any) -> float:
    if x == "inf":
        return float("inf")
    if x == "-inf":
        return float("-inf")
    return float(x)


def space_from_json(j: dict) -> Any:
    """The space described by the TypeScript side's ``toJSON()`` (Box or Discrete)."""
    t = j.get("type")
    if t == "Box":
        low = np.array([_bound(x) for x in j["low"]], dtype=np.float64).reshape(j["shape"])
        high = np.array([_bound(x) for x in j["high"]], dtype=np.float64).reshape(j["shape"])
        if _gym is not None:
            return _gym.spaces.Box(low=low, high=high, shape=tuple(j["shape"]), dtype=np.float64)
        return Box(low, high, tuple(j["shape"]), np.float64)
    if t == "Discrete":
        if _gym is not None:
            return _gym.spaces.Discrete(int(j["n"]), start=int(j.get("start", 0)))
        return Discrete(int(j["n"]), start=int(j.get("start", 0)))
    raise ValueError(f"spaces of type {t!r} are not supported over the bridge: {j}")


def batch_space(space: Any, n: int) -> Any:
    """The space of n stacked values (Gymnasium's ``batch_space``)."""
    if _gym is not None:
        from gymnasium.vector.utils import batch_space as gym_batch  # type: ignore[import-not-found]

        return gym_batch(space, n)
    if isinstance(space, Box):
        return Box(np.stack([space.low] * n), np.stack([space.high] * n), (n, *space.shape), space.dtype)
    if isinstance(space, Discrete):
        return MultiDiscrete(np.full((n,), space.n), start=np.full((n,), space.start))
    raise ValueError(f"cannot batch {space!r}")
