from __future__ import annotations

import enum


class AutoresetMode(enum.Enum):
    NEXT_STEP = "NextStep"
    SAME_STEP = "SameStep"
    DISABLED = "Disabled"


class VectorEnv:
    metadata: dict = {}
    spec = None
    render_mode = None
    closed = False
    _np_random = None

    def close(self, **kwargs):
        self.closed = True

    def __del__(self):
        if not getattr(self, "closed", True):
            self.close()
