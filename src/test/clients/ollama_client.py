"""Drives infercore's Ollama API with the official, unmodified `ollama` Python library.

Usage: python ollama_client.py http://127.0.0.1:PORT
Each check asserts what an Ollama user would rely on; on the first failure the script prints the
check's name and exits 1. On success it prints one JSON object of measured facts (last line),
which the Java test (io.infercore.api.ollama.OllamaPythonClientTest) reads.
"""
import asyncio
import json
import sys

import ollama
from pydantic import BaseModel

HOST = sys.argv[1]
MODEL = "stories260k"
EMBEDDER = "all-minilm-l6-v2"
ASK = [{"role": "user", "content": "Tell me about a cat"}]
OPTS = {"num_predict": 8, "temperature": 0, "seed": 1}
client = ollama.Client(host=HOST)
facts = {"ollama_version": __import__("importlib.metadata").metadata.version("ollama")}


def check(name, condition, detail=""):
    if not condition:
        print(f"FAILED {name}: {detail}")
        sys.exit(1)


# list / show / ps / version-free discovery
models = client.list().models
names = [m.model for m in models]
check("list", MODEL in names and EMBEDDER in names, names)
facts["listed"] = len(names)
shown = client.show(MODEL)
check("show capabilities", shown.capabilities == ["completion", "tools"], shown.capabilities)
check("show context length", shown.modelinfo.get("llamacpp.context_length") == 512, shown.modelinfo)
running = [m.model for m in client.ps().models]
check("ps", MODEL in running, running)

# chat, whole and streamed: the same text, Ollama's final metrics
whole = client.chat(model=MODEL, messages=ASK, options=OPTS, stream=False)
check("chat text", whole.message.role == "assistant" and whole.message.content, whole)
check("chat done", whole.done and whole.done_reason == "length" and whole.eval_count == 8, whole)
check("chat metrics", whole.prompt_eval_count > 0 and whole.total_duration > 0, whole)
parts = list(client.chat(model=MODEL, messages=ASK, options=OPTS, stream=True))
streamed = "".join(p.message.content for p in parts)
check("chat stream text", streamed == whole.message.content, (streamed, whole.message.content))
check("chat stream end", parts[-1].done and not any(p.done for p in parts[:-1]), parts[-1])
facts["chat_stream_parts"] = len(parts)
facts["chat_text"] = whole.message.content

# generate, whole and streamed
gen = client.generate(model=MODEL, prompt="Once upon a time", options=OPTS, keep_alive="5m")
check("generate", gen.done and gen.response and gen.eval_count == 8, gen)
gen_parts = list(client.generate(model=MODEL, prompt="Once upon a time", options=OPTS, stream=True))
check("generate stream", "".join(p.response for p in gen_parts) == gen.response, gen_parts)

# structured output: "json" and a pydantic model's schema
as_json = client.chat(model=MODEL, messages=ASK, options={"num_predict": 24, "temperature": 0}, format="json")
check("format json", as_json.message.content.startswith("{"), as_json.message.content)


class Pet(BaseModel):
    name: str
    happy: bool


schema = Pet.model_json_schema()
schema["properties"]["name"]["maxLength"] = 8
pet_reply = client.chat(model=MODEL, messages=ASK, options={"num_predict": 120, "temperature": 0}, format=schema)
pet = Pet.model_validate_json(pet_reply.message.content)
facts["pet"] = pet.model_dump()

# embeddings: the current and the older route
emb = client.embed(model=EMBEDDER, input=["a cat", "a dog"])
check("embed", len(emb.embeddings) == 2 and len(emb.embeddings[0]) == 384, len(emb.embeddings))
short = client.embed(model=EMBEDDER, input="a cat", dimensions=64)
check("embed dimensions", len(short.embeddings[0]) == 64, len(short.embeddings[0]))
legacy = client.embeddings(model=EMBEDDER, prompt="a cat")
check("embeddings (legacy)", len(legacy.embedding) == 384, len(legacy.embedding))
facts["dimensions"] = len(emb.embeddings[0])

# errors surface as ollama.ResponseError with Ollama's statuses
try:
    client.chat(model="no-such-model", messages=ASK)
    check("unknown model", False, "no error")
except ollama.ResponseError as e:
    check("unknown model", e.status_code == 404 and "not found" in e.error, (e.status_code, e.error))
    facts["not_found"] = e.error
try:
    client.chat(model=MODEL, messages=ASK, options={"num_predict": 8, "temperature": "hot"}, stream=False)
    check("bad option", False, "no error")
except ollama.ResponseError as e:
    check("bad option", e.status_code == 400 and "temperature" in e.error, (e.status_code, e.error))
try:
    for _ in client.chat(model="no-such-model", messages=ASK, stream=True):
        pass
    check("unknown model, streamed", False, "no error")
except ollama.ResponseError as e:
    check("unknown model, streamed", e.status_code == 404, (e.status_code, e.error))


# the async client, streamed
async def streamed_async():
    parts = []
    async for part in await ollama.AsyncClient(host=HOST).chat(model=MODEL, messages=ASK, options=OPTS, stream=True):
        parts.append(part.message.content)
    return "".join(parts)


check("async stream", asyncio.run(streamed_async()) == whole.message.content)
print(json.dumps(facts))
