"""Anthropic Messages API checks with the official `anthropic` Python SDK, unmodified (version pinned
in scripts/client-sdks.sh). Run by io.infercore.api.OfficialClientSdksTest:

    python anthropic_sdk.py <check>

Environment: INFERCORE_URL (service root), MODEL (the embedded test model), TOOL_MODEL (a model
on an engine that calls functions). Exit status 0 when every assertion of the check holds.
"""
import json
import os
import sys

import anthropic
from pydantic import BaseModel

BASE = os.environ["INFERCORE_URL"]
MODEL = os.environ["MODEL"]
TOOL_MODEL = os.environ["TOOL_MODEL"]
CAT = [{"role": "user", "content": "Tell me about a cat"}]
WEATHER = {
    "name": "get_weather",
    "description": "Current weather of a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}

# This SDK version has no temperature / top_p arguments any more (Anthropic's newest models fix
# them); the API still takes them, so they go as body fields.
GREEDY = {"temperature": 0}

client = anthropic.Anthropic(base_url=BASE, api_key="sk-not-checked", max_retries=0, timeout=60)


def message():
    m = client.messages.create(model=MODEL, max_tokens=12, messages=CAT,
                               system=[{"type": "text", "text": "Once upon a time"}],
                               extra_body={"temperature": 0, "top_p": 1.0})
    assert m.type == "message" and m.role == "assistant", m
    assert m.id.startswith("msg_"), m.id
    assert m.model == MODEL, m.model
    assert m.content[0].type == "text" and m.content[0].text, m.content
    assert m.stop_reason == "max_tokens", m.stop_reason
    assert m.stop_sequence is None
    assert m.usage.output_tokens == 12 and m.usage.input_tokens > 0, m.usage
    same = client.messages.create(model=MODEL, max_tokens=12, extra_body=GREEDY, messages=CAT, system="Once upon a time")
    assert same.content[0].text == m.content[0].text
    # a stop sequence taken from that answer ends the generation before it
    word = m.content[0].text.split()[-2]
    stopped = client.messages.create(model=MODEL, max_tokens=12, extra_body=GREEDY, messages=CAT,
                                     system="Once upon a time", stop_sequences=[word])
    assert stopped.stop_reason == "end_turn" and stopped.usage.output_tokens < 12, stopped
    assert m.content[0].text.startswith(stopped.content[0].text) and word not in stopped.content[0].text, stopped


def stream():
    plain = client.messages.create(model=MODEL, max_tokens=12, extra_body=GREEDY, messages=CAT).content[0].text
    with client.messages.stream(model=MODEL, max_tokens=12, extra_body=GREEDY, messages=CAT) as s:
        text = "".join(s.text_stream)
        final = s.get_final_message()
    assert text == plain, (text, plain)
    assert final.content[0].text == plain
    assert final.stop_reason == "max_tokens" and final.usage.output_tokens == 12 and final.usage.input_tokens > 0
    types = [e.type for e in client.messages.create(model=MODEL, max_tokens=6, extra_body=GREEDY, messages=CAT, stream=True)]
    assert types[0] == "message_start" and types[1] == "content_block_start", types
    assert types[-3:] == ["content_block_stop", "message_delta", "message_stop"], types
    assert set(types[2:-3]) == {"content_block_delta"}, types  # the SDK consumes ping itself


def count_tokens():
    m = client.messages.create(model=MODEL, max_tokens=2, messages=CAT, system="Once upon a time")
    c = client.messages.count_tokens(model=MODEL, messages=CAT, system="Once upon a time")
    assert c.input_tokens == m.usage.input_tokens, (c, m.usage)


def tools():
    first = client.messages.create(model=TOOL_MODEL, max_tokens=64, tools=[WEATHER],
                                   messages=[{"role": "user", "content": "Paris"}])
    assert first.stop_reason == "tool_use", first
    use = next(b for b in first.content if b.type == "tool_use")
    assert use.name == "get_weather" and isinstance(use.input, dict) and isinstance(use.input.get("city"), str), use
    assert use.id.startswith("toolu_"), use.id
    forced = client.messages.create(model=TOOL_MODEL, max_tokens=64, tools=[WEATHER],
                                    tool_choice={"type": "tool", "name": "get_weather"},
                                    messages=[{"role": "user", "content": "Paris"}])
    assert forced.stop_reason == "tool_use"
    answer = client.messages.create(model=TOOL_MODEL, max_tokens=64, tools=[WEATHER], messages=[
        {"role": "user", "content": "Paris"},
        {"role": "assistant", "content": first.content},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": use.id, "content": "18 C, sunny"}]},
    ])
    assert answer.stop_reason == "end_turn" and answer.content[0].type == "text" and answer.content[0].text, answer
    with client.messages.stream(model=TOOL_MODEL, max_tokens=64, tools=[WEATHER],
                                messages=[{"role": "user", "content": "Paris"}]) as s:
        events = [e.type for e in s]
        final = s.get_final_message()
    assert "input_json" in events, events
    streamed = next(b for b in final.content if b.type == "tool_use")
    assert final.stop_reason == "tool_use" and streamed.name == "get_weather" and isinstance(streamed.input, dict), final


class Mood(BaseModel):
    happy: bool


def structured():
    m = client.messages.create(model=MODEL, max_tokens=200, extra_body=GREEDY, messages=CAT, output_config={"format": {
        "type": "json_schema", "schema": {"type": "object", "properties": {"name": {"type": "string", "maxLength": 8}},
                                          "required": ["name"], "additionalProperties": False}}})
    value = json.loads(m.content[0].text)
    assert isinstance(value["name"], str), value
    parsed = client.messages.parse(model=MODEL, max_tokens=50, messages=CAT, output_format=Mood)
    assert isinstance(parsed.parsed_output, Mood), parsed


def errors():
    try:
        client.messages.create(model=MODEL, max_tokens=0, messages=CAT)
        raise AssertionError("max_tokens 0 was accepted")
    except anthropic.BadRequestError as e:
        assert e.status_code == 400 and e.body["type"] == "error", e.body
        assert e.body["error"]["type"] == "invalid_request_error" and "max_tokens" in e.body["error"]["message"], e.body
    try:
        client.messages.create(model="no-such-model", max_tokens=4, messages=CAT)
        raise AssertionError("an unknown model was accepted")
    except anthropic.NotFoundError as e:
        assert e.body["error"]["type"] == "not_found_error", e.body
    try:
        with client.messages.stream(model="no-such-model", max_tokens=4, messages=CAT) as s:
            s.get_final_message()
        raise AssertionError("an unknown model was streamed")
    except anthropic.NotFoundError:
        pass
    try:
        client.messages.create(model=MODEL, max_tokens=4, messages=CAT, tools=[WEATHER],
                               tool_choice={"type": "tool", "name": "no_such_tool"})
        raise AssertionError("a tool_choice naming no declared tool was accepted")
    except anthropic.BadRequestError as e:
        assert e.body["error"]["type"] == "invalid_request_error", e.body


if __name__ == "__main__":
    globals()[sys.argv[1]]()
    print("ok", sys.argv[1])
