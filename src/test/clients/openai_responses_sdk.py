"""OpenAI Responses API checks with the official `openai` Python SDK, unmodified (version pinned in
scripts/client-sdks.sh). Run by io.infercore.api.OfficialClientSdksTest:

    python openai_responses_sdk.py <check>

Environment: INFERCORE_URL (service root), MODEL (the embedded test model), TOOL_MODEL (a model
on an engine that calls functions). Exit status 0 when every assertion of the check holds.
"""
import json
import os
import sys

import openai
from pydantic import BaseModel

BASE = os.environ["INFERCORE_URL"]
MODEL = os.environ["MODEL"]
TOOL_MODEL = os.environ["TOOL_MODEL"]
CAT = "Tell me about a cat"
WEATHER = {"type": "function", "name": "get_weather", "description": "Current weather of a city",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}

client = openai.OpenAI(base_url=BASE + "/v1", api_key="sk-not-checked", max_retries=0, timeout=60)


def create():
    r = client.responses.create(model=MODEL, input=CAT, max_output_tokens=12, temperature=0,
                                instructions="Once upon a time", top_p=1.0)
    assert r.object == "response" and r.id.startswith("resp_"), r
    assert r.status == "incomplete" and r.incomplete_details.reason == "max_output_tokens", r
    assert r.output_text, r
    assert r.usage.output_tokens == 12 and r.usage.total_tokens == r.usage.input_tokens + 12, r.usage
    items = client.responses.create(model=MODEL, max_output_tokens=12, temperature=0, instructions="Once upon a time",
                                    input=[{"role": "user", "content": [{"type": "input_text", "text": CAT}]}])
    assert items.output_text == r.output_text


def stream():
    plain = client.responses.create(model=MODEL, input=CAT, max_output_tokens=12, temperature=0, store=False).output_text
    events = list(client.responses.create(model=MODEL, input=CAT, max_output_tokens=12, temperature=0, stream=True))
    types = [e.type for e in events]
    assert types[:4] == ["response.created", "response.in_progress", "response.output_item.added",
                         "response.content_part.added"], types
    assert types[-4:] == ["response.output_text.done", "response.content_part.done", "response.output_item.done",
                          "response.incomplete"], types
    assert [e.sequence_number for e in events] == list(range(len(events)))
    assert "".join(e.delta for e in events if e.type == "response.output_text.delta") == plain
    assert events[-1].response.output_text == plain and events[-1].response.usage.output_tokens == 12
    # the SDK's stream helper, on a response that completes (a constrained answer ends by itself)
    with client.responses.stream(model=MODEL, input=CAT, max_output_tokens=50, text_format=Mood) as s:
        deltas = "".join(e.delta for e in s if e.type == "response.output_text.delta")
        final = s.get_final_response()
    assert final.status == "completed" and final.output_text == deltas, final
    assert isinstance(final.output_parsed, Mood), final


def store():
    first = client.responses.create(model=MODEL, input=CAT, max_output_tokens=8, temperature=0)
    again = client.responses.retrieve(first.id)
    assert again.id == first.id and again.output_text == first.output_text, again
    follow = client.responses.create(model=MODEL, input="And then?", max_output_tokens=4, temperature=0,
                                     previous_response_id=first.id)
    alone = client.responses.create(model=MODEL, input="And then?", max_output_tokens=4, temperature=0, store=False)
    assert follow.previous_response_id == first.id
    assert follow.usage.input_tokens > alone.usage.input_tokens + first.usage.output_tokens, (follow.usage, alone.usage)
    items = list(client.responses.input_items.list(follow.id))
    assert [i.type for i in items] == ["message", "message", "message"], items
    assert items[0].role == "user" and items[0].content[0].text == "And then?", items[0]
    assert items[2].content[0].text == CAT, items[2]
    client.responses.delete(first.id)
    try:
        client.responses.retrieve(first.id)
        raise AssertionError("a deleted response was found")
    except openai.NotFoundError as e:
        assert e.body["type"] == "not_found_error", e.body


def tools():
    first = client.responses.create(model=TOOL_MODEL, input="Paris", tools=[WEATHER], max_output_tokens=64)
    calls = [o for o in first.output if o.type == "function_call"]
    assert len(calls) == 1 and calls[0].name == "get_weather", first.output
    assert isinstance(json.loads(calls[0].arguments)["city"], str), calls[0]
    forced = client.responses.create(model=TOOL_MODEL, input="Paris", tools=[WEATHER],
                                     tool_choice={"type": "function", "name": "get_weather"})
    assert any(o.type == "function_call" for o in forced.output)
    answer = client.responses.create(model=TOOL_MODEL, tools=[WEATHER], input=[
        {"role": "user", "content": "Paris"},
        {"type": "function_call", "call_id": calls[0].call_id, "name": "get_weather", "arguments": calls[0].arguments},
        {"type": "function_call_output", "call_id": calls[0].call_id, "output": "18 C, sunny"},
    ])
    assert answer.output_text and not any(o.type == "function_call" for o in answer.output), answer
    chained = client.responses.create(model=TOOL_MODEL, tools=[WEATHER], previous_response_id=first.id, input=[
        {"type": "function_call_output", "call_id": calls[0].call_id, "output": "18 C, sunny"}])
    assert chained.output_text, chained
    with client.responses.stream(model=TOOL_MODEL, input="Paris", tools=[WEATHER]) as s:
        types = [e.type for e in s]
        final = s.get_final_response()
    assert "response.function_call_arguments.delta" in types and "response.function_call_arguments.done" in types
    streamed = [o for o in final.output if o.type == "function_call"]
    assert streamed and json.loads(streamed[0].arguments), final.output


class Mood(BaseModel):
    happy: bool


def structured():
    r = client.responses.create(model=MODEL, input=CAT, max_output_tokens=200, temperature=0, text={"format": {
        "type": "json_schema", "name": "pet", "strict": True, "schema": {
            "type": "object", "properties": {"name": {"type": "string", "maxLength": 8}}, "required": ["name"],
            "additionalProperties": False}}})
    assert isinstance(json.loads(r.output_text)["name"], str), r.output_text
    parsed = client.responses.parse(model=MODEL, input=CAT, max_output_tokens=50, text_format=Mood)
    assert isinstance(parsed.output_parsed, Mood), parsed


def errors():
    try:
        client.responses.create(model="no-such-model", input=CAT)
        raise AssertionError("an unknown model was accepted")
    except openai.NotFoundError as e:
        assert e.status_code == 404 and e.body["param"] == "model", e.body
    try:
        client.responses.create(model=MODEL, input=CAT, max_output_tokens=0)
        raise AssertionError("max_output_tokens 0 was accepted")
    except openai.BadRequestError as e:
        assert e.body["param"] == "max_output_tokens", e.body
    try:
        client.responses.create(model=MODEL, input=CAT, tools=[{"type": "web_search"}])
        raise AssertionError("a hosted tool was accepted")
    except openai.BadRequestError as e:
        assert "web_search" in e.body["message"], e.body
    try:
        client.responses.create(model=MODEL, input=CAT, previous_response_id="resp_" + "0" * 32)
        raise AssertionError("an unknown previous_response_id was accepted")
    except openai.NotFoundError as e:
        assert e.body["param"] == "previous_response_id", e.body
    try:
        list(client.responses.create(model="no-such-model", input=CAT, stream=True))
        raise AssertionError("an unknown model was streamed")
    except openai.NotFoundError:
        pass


if __name__ == "__main__":
    globals()[sys.argv[1]]()
    print("ok", sys.argv[1])
