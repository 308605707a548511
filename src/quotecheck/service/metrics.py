"""Prometheus metrics of one service instance (its own registry, so two apps in one process
never share counters): requests, latency, model tokens, queue depth, rejections, jobs.

Imports ``service.gate`` (whose depth it reports); ``prometheus_client`` does the text format.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from quotecheck.service.gate import ModelGate

CONTENT_TYPE = CONTENT_TYPE_LATEST  # the text format /metrics answers in
_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)


class Metrics:
    def __init__(self, gate: ModelGate, jobs: Callable[[], dict[str, int]]) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "quotecheck_http_requests",
            "HTTP requests by route, method and status",
            ["route", "method", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "quotecheck_http_request_duration_seconds",
            "Time to answer, by route",
            ["route"],
            buckets=_BUCKETS,
            registry=r,
        )
        self.tokens = Counter(
            "quotecheck_model_tokens", "Model tokens, prompt and completion", ["kind"], registry=r
        )
        self.calls = Counter("quotecheck_model_calls", "Requests sent to the model", registry=r)
        self.rejected = Counter(
            "quotecheck_rejected_requests",
            "Requests refused before or instead of the model",
            ["reason"],
            registry=r,
        )
        self.articles = Counter(
            "quotecheck_job_articles", "Job articles finished, by outcome", ["outcome"], registry=r
        )
        depth = Gauge("quotecheck_queue_depth", "Waiting for a model slot", ["kind"], registry=r)
        for kind in ("request", "job"):
            depth.labels(kind=kind).set_function(lambda k=kind: gate.waiting[k])
        Gauge("quotecheck_model_busy_slots", "Model slots in use", registry=r).set_function(
            lambda: gate.active
        )
        Gauge("quotecheck_model_slots", "Model slots", registry=r).set(gate.slots)
        self._jobs = Gauge("quotecheck_jobs", "Jobs by status", ["status"], registry=r)
        self._job_counts = jobs

    def add_usage(self, usage: object | None) -> None:
        if usage is None:
            return
        self.tokens.labels(kind="prompt").inc(getattr(usage, "prompt_tokens", 0))
        self.tokens.labels(kind="completion").inc(getattr(usage, "completion_tokens", 0))
        self.calls.inc(getattr(usage, "calls", 0))

    def render(self) -> bytes:
        counts = self._job_counts()
        for status in ("queued", "running", "done", "failed", "cancelled"):
            self._jobs.labels(status=status).set(counts.get(status, 0))
        return generate_latest(self.registry)
