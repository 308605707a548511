"""The ``/v1`` routes: quotes and fact-checks of one article (JSON, or the HTML report), and
jobs of many articles (status, JSONL results, the archive dashboard of their results).

Every model call waits in the bounded gate and runs under the per-request timeout; what goes
wrong becomes a ``Problem`` with the right status (see ``service.app``). Uses the public faces
of ``quotes``, ``factcheck`` and ``output``; imports the rest of ``service``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Path, Query, Request, Response, Security
from fastapi.responses import HTMLResponse, StreamingResponse
from fastapi.security import HTTPBearer

from quotecheck.errors import BadInput, InvalidOutput
from quotecheck.factcheck import ClaimOptions, EvidenceIndex, QuoteOptions, check_article_async
from quotecheck.output import asset, content_security_policy, to_dashboard, to_html
from quotecheck.quotes import extract_quotes_async
from quotecheck.service.models import (
    CheckRequest,
    CheckResponse,
    JobRequest,
    JobStatus,
    Problem,
    QuoteRequest,
    QuoteResponse,
)
from quotecheck.service.sources import article_of, evidence_sources, transcripts_of
from quotecheck.service.state import ModelLoading, RequestTimeout, Service

T = TypeVar("T")
Format = Annotated[
    Literal["json", "html"],
    Query(description="json (the report) or html (the editor's view, one self-contained page)"),
]
JobId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="as returned on creation")]


def _problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {
        401: "Missing or wrong API token",
        404: "No such job",
        413: "Request body over the limit",
        422: "Malformed body or unusable input",
        429: "The model's queue is full; see Retry-After",
        502: "The model gave no valid answer",
        503: "The model is loading or unreachable; see Retry-After",
        504: "The request took longer than the per-request timeout",
    }
    return {c: {"model": Problem, "description": text[c]} for c in codes}


MODEL_ERRORS = _problems(401, 413, 422, 429, 502, 503, 504)
HTML_OK: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {"schema": {"type": "string"}}}},
}
REPORT_POLICY = content_security_policy([asset("report.css")], [asset("report.js")])

# documents the scheme in the spec; the token itself is checked by ``middleware.Guard``
# before any body is read
BEARER = HTTPBearer(auto_error=False, scheme_name="bearer", description="an API token")
router = APIRouter(prefix="/v1", tags=["v1"], dependencies=[Security(BEARER)])


def _service(request: Request) -> Service:
    return request.app.state.service


async def _on_model(service: Service, work: Callable[[], Awaitable[T]]) -> T:
    """Run ``work`` in a model slot, under the per-request timeout."""
    if not service.accepting():
        raise ModelLoading(service.loading_reason())
    try:
        async with asyncio.timeout(service.config.request_timeout):
            async with service.gate.slot():
                return await work()
    except TimeoutError:
        service.metrics.rejected.labels(reason="timeout").inc()
        raise RequestTimeout(service.config.request_timeout) from None


def _html(page: str) -> HTMLResponse:
    return HTMLResponse(page, headers={"Content-Security-Policy": REPORT_POLICY})


def _article_route(path: str, model: type, summary: str) -> Callable:
    """A route that takes one article to the model: JSON ``model`` or the HTML report."""
    return router.post(
        path, response_model=model, responses={**HTML_OK, **MODEL_ERRORS}, summary=summary
    )


@_article_route(
    "/quotes", QuoteResponse, "Every quote of one article, with speaker, cue, anonymity and relay"
)
async def quotes(body: QuoteRequest, request: Request, format: Format = "json") -> Any:  # noqa: A002
    service = _service(request)
    page, warnings, changed = await asyncio.to_thread(article_of, body.text, body.html)
    text = page.text

    async def work() -> Any:
        return await extract_quotes_async(
            text,
            article_id=body.article_id,
            llm=service.llm,
            indirect=body.indirect,
            article=page.meta,
        )

    report = await _on_model(service, work)
    service.metrics.add_usage(report.run.usage if report.run else None)
    report.warnings = [*warnings, *report.warnings]
    if format == "html":
        return _html(await asyncio.to_thread(to_html, report, text))
    data = report.model_dump()
    return QuoteResponse.model_validate({**data, "article_text": text if changed else None})


@_article_route(
    "/check",
    CheckResponse,
    "Check one article's claims against evidence and its quotes against transcripts",
)
async def check(body: CheckRequest, request: Request, format: Format = "json") -> Any:  # noqa: A002
    service = _service(request)
    page, _, changed = await asyncio.to_thread(article_of, body.text, body.html)
    text = page.text
    index = await asyncio.to_thread(_index, body)
    transcripts = transcripts_of(body.transcripts)

    async def work() -> Any:
        try:
            quote_report = await extract_quotes_async(
                text, article_id=body.article_id, llm=service.llm, article=page.meta
            )
        except InvalidOutput:
            if transcripts:
                raise
            quote_report = None
        report = await check_article_async(
            text,
            evidence=index,
            transcripts=transcripts or None,
            article_id=body.article_id,
            quotes=quote_report,
            llm=service.llm,
            article=page.meta,
            claim_options=ClaimOptions(top_k=body.top_k, include_opinions=body.include_opinions),
            quote_options=QuoteOptions(judge_meaning=body.judge_meaning),
        )
        return report, quote_report

    report, quote_report = await _on_model(service, work)
    for r in (report, quote_report):
        service.metrics.add_usage(r.run.usage if r is not None and r.run else None)
    if format == "html":
        return _html(await asyncio.to_thread(to_html, report, text, quotes=quote_report))
    return CheckResponse.model_validate(
        {
            **report.model_dump(),
            "article_text": text if changed else None,
            "quote_report": quote_report.model_dump() if quote_report else None,
        }
    )


def _index(body: CheckRequest) -> EvidenceIndex | None:
    return EvidenceIndex.build(evidence_sources(body.evidence)) if body.evidence else None


def _status(request: Request, job_id: str) -> JobStatus:
    service = _service(request)
    if not service.store.exists(job_id):
        raise KeyError(job_id)
    return service.runner.status(job_id, f"/v1/jobs/{job_id}/results")


@router.post(
    "/jobs",
    status_code=202,
    response_model=JobStatus,
    responses=_problems(401, 413, 422),
    summary="Queue many articles; they are processed in the background, resumably",
)
async def create_job(body: JobRequest, request: Request, response: Response) -> JobStatus:
    service = _service(request)
    if len(body.articles) > service.config.max_job_articles:
        raise BadInput(
            f"a job holds at most {service.config.max_job_articles:,} articles; split it"
        )
    job_id = await asyncio.to_thread(service.store.create, body)
    service.runner.submit(job_id)
    response.headers["Location"] = f"/v1/jobs/{job_id}"
    return _status(request, job_id)


@router.get("/jobs", response_model=list[JobStatus], responses=_problems(401))
async def list_jobs(request: Request) -> list[JobStatus]:
    service = _service(request)
    return [_status(request, job_id) for job_id in service.store.ids()]


@router.get("/jobs/{job_id}", response_model=JobStatus, responses=_problems(401, 404, 422))
async def job_status(job_id: JobId, request: Request) -> JobStatus:
    return _status(request, job_id)


@router.get(
    "/jobs/{job_id}/results",
    responses={
        200: {"content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
        **_problems(401, 404, 422),
    },
    summary="Finished records as JSONL (one per article; failed articles as error records)",
)
async def job_results(job_id: JobId, request: Request) -> StreamingResponse:
    _status(request, job_id)
    lines = _service(request).store.results(job_id)
    return StreamingResponse(lines, media_type="application/x-ndjson")


@router.get(
    "/jobs/{job_id}/dashboard",
    responses={**HTML_OK, **_problems(401, 404, 422)},
    summary="The archive dashboard (source mix) of the job's results so far",
)
async def job_dashboard(job_id: JobId, request: Request) -> HTMLResponse:
    _status(request, job_id)
    store = _service(request).store

    def render() -> str:  # reads the whole journal: off the event loop
        records = [json.loads(line) for line in store.results(job_id)]
        return to_dashboard(records, title=f"Source mix of job {job_id}")

    page = await asyncio.to_thread(render)
    policy = content_security_policy([asset("dashboard.css")], [])
    return HTMLResponse(page, headers={"Content-Security-Policy": policy})


@router.delete(
    "/jobs/{job_id}", status_code=204, responses=_problems(401, 404, 422), summary="Cancel, delete"
)
async def delete_job(job_id: JobId, request: Request) -> Response:
    _status(request, job_id)
    await _service(request).runner.cancel(job_id)
    return Response(status_code=204)
