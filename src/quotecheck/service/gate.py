"""The bounded queue in front of the model: a few requests at a time, a few more waiting, and
an immediate 429 (with a ``Retry-After`` estimate) beyond that, never an unbounded wait.

Interactive requests go before background jobs: a job's article waits while any request does.
Imports nothing of the package.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class QueueFull(Exception):
    """Every model slot is busy and the waiting line is full."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"the model is busy; retry in {retry_after} s")
        self.retry_after = retry_after


class ModelGate:
    """``slots`` calls at once; up to ``queue`` interactive requests wait for one."""

    def __init__(self, slots: int, queue: int) -> None:
        self.slots = max(1, slots)
        self.queue = max(0, queue)
        self.active = 0
        self.waiting = {"request": 0, "job": 0}
        self._cond = asyncio.Condition()
        self._wakers: set[asyncio.Task] = set()
        self._mean = 5.0  # seconds a slot is held, smoothed; a first guess until measured

    def retry_after(self) -> int:
        """Seconds until a new request would likely get a slot."""
        ahead = self.waiting["request"] + 1
        return max(1, min(600, math.ceil(self._mean * ahead / self.slots)))

    def _free(self, kind: str) -> bool:
        if self.active >= self.slots:
            return False
        return kind == "request" or self.waiting["request"] == 0

    @asynccontextmanager
    async def slot(self, kind: str = "request") -> AsyncIterator[None]:
        """Hold one model slot; raises :class:`QueueFull` for a request that cannot wait."""
        async with self._cond:
            if kind == "request" and not self._free(kind) and self.waiting[kind] >= self.queue:
                raise QueueFull(self.retry_after())
            self.waiting[kind] += 1
            try:
                await self._cond.wait_for(lambda: self._free(kind))
            finally:
                self.waiting[kind] -= 1
                if self.waiting["request"] == 0:
                    self._cond.notify_all()  # a job may go now
            self.active += 1
        started = time.monotonic()
        try:
            yield
        finally:
            self._mean = 0.8 * self._mean + 0.2 * (time.monotonic() - started)
            self.active -= 1  # at once, even when cancelled; waiters are woken by a task
            task = asyncio.get_running_loop().create_task(self._wake())
            self._wakers.add(task)
            task.add_done_callback(self._wakers.discard)

    async def _wake(self) -> None:
        async with self._cond:
            self._cond.notify_all()
