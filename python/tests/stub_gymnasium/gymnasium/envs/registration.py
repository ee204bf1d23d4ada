from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class EnvSpec:
    id: str
    entry_point: Any = None
    kwargs: dict = field(default_factory=dict)
    max_episode_steps: Any = None
