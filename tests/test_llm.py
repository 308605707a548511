"""``LLM.acomplete`` and the quote pipeline against the fake OpenAI server (no model).

The fake server answers what each test scripts; these tests check how quotecheck reacts to
bad JSON, wrong ids, invented speakers, auth and model errors, unreachable endpoints and 429s.
"""

from __future__ import annotations

import json
import socket

import pytest
from pydantic import BaseModel, ConfigDict

from conftest_fakeserver import FAKE_KEY, FAKE_MODEL
from fakeserver import (
    FakeOpenAIServer,
    attribution_answer,
    attribution_inventor,
    chat_completion,
    error_body,
    json_responder,
)
from quotecheck.errors import (
    AuthenticationFailed,
    EndpointUnavailable,
    InvalidOutput,
    ModelNotFound,
)
from quotecheck.llm import LLM
from quotecheck.llm.config import LLMConfig
from quotecheck.quotes import extract_quotes, extract_quotes_async

ARTICLE = (
    "Plans for the river bridge change again\n\n"
    # the comma outside the marks and the words after the name keep this off the rule paths
    # (quotes/rules.py, quotes/reported.py): the model is asked
    "\u201cWe expect the river bridge to be ready within six weeks\u201d, "
    "wrote Mayor Lena Okafor in her weekly letter to residents.\n\n"
    "Residents have waited since spring for news about the crossing.\n"
)
INVENTED = "Imaginary Nobody"


class Pair(BaseModel):
    model_config = ConfigDict(extra="forbid")

    speaker: str | None
    cue: str | None


def make_llm(server: FakeOpenAIServer, **overrides: object) -> LLM:
    settings: dict[str, object] = dict(
        base_url=server.base_url,
        api_key=FAKE_KEY,
        model=FAKE_MODEL,
        timeout=2.0,
        attempts=3,
        transport_retries=2,
        max_backoff=0.2,
    )
    settings.update(overrides)
    return LLM(LLMConfig(**settings))  # type: ignore[arg-type]


def scripted(*contents: str, prompt_tokens: int = 10, completion_tokens: int = 5):
    """A responder answering ``contents`` in order (the last one repeats)."""
    calls = {"n": 0}

    def respond(request: dict):
        content = contents[min(calls["n"], len(contents) - 1)]
        calls["n"] += 1
        body = chat_completion(
            content, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens
        )
        return 200, {}, body

    return respond


MESSAGES = [{"role": "user", "content": "Who said it?"}]


async def test_malformed_json_then_valid_succeeds_on_attempt_two(
    fake_server: FakeOpenAIServer,
) -> None:
    fake_server.responder = scripted('{"speaker": "she", ', '{"speaker": "she", "cue": "said"}')
    done = await make_llm(fake_server).acomplete(MESSAGES, Pair, prompt_id="t")
    assert done.attempts == 2
    assert done.value == Pair(speaker="she", cue="said")
    assert len(fake_server.requests) == 2
    second = fake_server.requests[1]["messages"]
    assert second[-2] == {"role": "assistant", "content": '{"speaker": "she", '}
    assert "not valid JSON" in second[-1]["content"]
    # usage is summed over both calls
    assert done.usage.calls == 2
    assert done.usage.prompt_tokens == 20 and done.usage.completion_tokens == 10


async def test_missing_field_gets_schema_feedback(fake_server: FakeOpenAIServer) -> None:
    fake_server.responder = scripted('{"speaker": "she"}', '{"speaker": "she", "cue": null}')
    done = await make_llm(fake_server).acomplete(MESSAGES, Pair, prompt_id="t")
    assert done.attempts == 2 and done.value.cue is None
    feedback = fake_server.requests[1]["messages"][-1]["content"]
    assert "does not match the schema" in feedback and "cue" in feedback


async def test_validator_feedback_is_sent_back(fake_server: FakeOpenAIServer) -> None:
    fake_server.responder = scripted(
        json.dumps({"speaker": INVENTED, "cue": "said"}), '{"speaker": "she", "cue": "said"}'
    )

    def grounded(answer: Pair) -> None:
        if answer.speaker == INVENTED:
            raise ValueError("speaker is not in the text; copy it exactly")

    done = await make_llm(fake_server).acomplete(MESSAGES, Pair, prompt_id="t", validate=grounded)
    assert done.value.speaker == "she" and done.attempts == 2
    assert "speaker is not in the text" in fake_server.requests[1]["messages"][-1]["content"]


async def test_always_invalid_raises_invalid_output(fake_server: FakeOpenAIServer) -> None:
    fake_server.responder = scripted("not json at all")
    with pytest.raises(InvalidOutput) as info:
        await make_llm(fake_server, attempts=3).acomplete(MESSAGES, Pair, prompt_id="t")
    assert info.value.attempts == 3
    assert info.value.last_completion == "not json at all"
    assert info.value.usage.calls == 3
    assert len(fake_server.requests) == 3


async def test_wrong_ids_get_schema_feedback(fake_server: FakeOpenAIServer) -> None:
    calls = {"n": 0}

    def answer(request: dict) -> dict:
        calls["n"] += 1
        if calls["n"] == 1:
            return {"Q9": {"speaker": INVENTED, "cue": "said", "name": None}}
        return attribution_answer(request)

    fake_server.responder = json_responder(answer)
    report = await extract_quotes_async(ARTICLE, llm=make_llm(fake_server), strategy="article")
    feedback = fake_server.requests[1]["messages"][-1]["content"]
    assert "does not match the schema" in feedback
    assert "Q1" in feedback and "Q9" in feedback
    (quote,) = report.quotes
    assert quote.speaker_mention is not None
    assert quote.speaker_mention.text == "Mayor Lena Okafor"
    assert INVENTED not in report.model_dump_json()


def assert_grounded(report, text: str) -> None:  # type: ignore[no-untyped-def]
    dumped = report.model_dump_json()
    assert INVENTED not in dumped and "proclaimed" not in dumped
    for q in report.quotes:
        for s in [*q.fragments, q.speaker_mention, q.cue]:
            if s is not None:
                assert text[s.start : s.end] == s.text


async def test_invented_speaker_dropped_article_strategy(fake_server: FakeOpenAIServer) -> None:
    fake_server.responder = json_responder(lambda r: attribution_inventor(r))
    report = await extract_quotes_async(ARTICLE, llm=make_llm(fake_server), strategy="article")
    assert_grounded(report, ARTICLE)
    assert report.run is not None
    assert report.run.dropped == 2  # the speaker and the cue of Q1
    assert report.run.attempts == 3  # every attempt was refused
    assert all(q.speaker_id is None for q in report.quotes)


async def test_invented_speaker_dropped_item_strategy(fake_server: FakeOpenAIServer) -> None:
    fake_server.responder = json_responder(
        lambda r: {"speaker": "Professor " + INVENTED, "cue": "proclaimed"}
    )
    report = await extract_quotes_async(ARTICLE, llm=make_llm(fake_server), strategy="item")
    assert_grounded(report, ARTICLE)
    assert report.run is not None and report.run.dropped == 2
    # the item prompt (few-shot turns) was used, not the article prompt
    assert not any("Article:" in str(r["messages"]) for r in fake_server.requests)


def test_sync_extract_honours_strategy(fake_server: FakeOpenAIServer) -> None:
    fake_server.responder = json_responder(
        lambda r: {"speaker": "Mayor Lena Okafor", "cue": "said"}
    )
    report = extract_quotes(ARTICLE, llm=make_llm(fake_server), strategy="item")
    assert report.run is not None and report.run.prompts.keys() == {
        "attribute_item_system",
        "attribute_item",
    }
    (quote,) = report.quotes
    assert quote.speaker_mention is not None
    assert quote.speaker_mention.text == "Mayor Lena Okafor"


async def test_wrong_key_is_authentication_failed(fake_server: FakeOpenAIServer) -> None:
    with pytest.raises(AuthenticationFailed, match="API key"):
        await make_llm(fake_server, api_key="sk-wrong").acomplete(MESSAGES, Pair, prompt_id="t")
    assert len(fake_server.requests) == 1  # not retried


async def test_unknown_model_is_model_not_found(fake_server: FakeOpenAIServer) -> None:
    with pytest.raises(ModelNotFound, match="no-such-model"):
        await make_llm(fake_server, model="no-such-model").acomplete(MESSAGES, Pair, prompt_id="t")
    assert len(fake_server.requests) == 1


async def test_unreachable_port_is_endpoint_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    llm = LLM(
        LLMConfig(
            base_url=f"http://127.0.0.1:{port}/v1",
            api_key=FAKE_KEY,
            model=FAKE_MODEL,
            timeout=2.0,
            transport_retries=1,
            max_backoff=0.1,
        )
    )
    with pytest.raises(EndpointUnavailable, match="cannot reach"):
        await llm.acomplete(MESSAGES, Pair, prompt_id="t")


async def test_429_with_retry_after_then_ok(fake_server: FakeOpenAIServer) -> None:
    ok = scripted('{"speaker": "he", "cue": "said"}', prompt_tokens=7, completion_tokens=3)
    calls = {"n": 0}

    def respond(request: dict):
        calls["n"] += 1
        if calls["n"] == 1:
            return 429, {"Retry-After": "0"}, error_body(429, "slow down")
        return ok(request)

    fake_server.responder = respond
    done = await make_llm(fake_server).acomplete(MESSAGES, Pair, prompt_id="t")
    assert done.value.speaker == "he"
    assert done.attempts == 1  # a transport retry is not a validation attempt
    assert len(fake_server.requests) == 2
    assert done.usage.prompt_tokens == 7 and done.usage.completion_tokens == 3


async def test_usage_summed_over_items(fake_server: FakeOpenAIServer) -> None:
    fake_server.responder = scripted(
        '{"speaker": "Mayor Lena Okafor", "cue": "said"}', prompt_tokens=11, completion_tokens=4
    )
    text = ARTICLE + "\n\u201cThe crossing will open in June this year\u201d, said Tomas Brandt.\n"
    report = await extract_quotes_async(text, llm=make_llm(fake_server), strategy="item")
    assert report.run is not None
    calls = len(fake_server.requests)
    assert calls >= 2  # one question per quote (plus refused answers for the second quote)
    assert report.run.usage.calls == calls
    assert report.run.usage.prompt_tokens == 11 * calls
    assert report.run.usage.completion_tokens == 4 * calls


async def test_one_unusable_item_answer_does_not_sink_the_article(
    fake_server: FakeOpenAIServer,
) -> None:
    fake_server.responder = scripted("this is not json at all")
    report = await extract_quotes_async(ARTICLE, llm=make_llm(fake_server), strategy="item")
    assert report.run is not None and report.run.dropped >= 1
    bridge = [q for q in report.quotes if "river bridge" in q.text]
    assert len(bridge) == 1 and bridge[0].speaker_mention is None  # kept, never invented
