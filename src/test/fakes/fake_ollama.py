#!/usr/bin/env python3
"""Fake `ollama serve` for tests: `python3 fake_ollama.py [serve] --host H --port P [--models a,b]`
(without flags OLLAMA_HOST is honoured like the real server; default 127.0.0.1:11434).

Protocol: Ollama API 0.12.x. POST /api/generate /api/chat (NDJSON stream by default, lazily sent
headers, `stream:false` gives one JSON object; errors after the stream started are a line
{"error":"..."} with status 200; zero metrics omitted; load_duration only when the request loaded
the model; empty prompt / messages:[] answers done_reason "load", or "unload" with keep_alive 0),
POST /api/embed /api/embeddings, GET /api/tags /api/ps, POST /api/show, POST /api/pull (NDJSON
progress; unknown model -> 200 then {"error":"pull model manifest: file does not exist"}; a pulled
model is added; an interrupted pull resumes from its last completed size), DELETE /api/delete,
GET /api/version, GET|HEAD / ("Ollama is running"), and /v1/models /v1/chat/completions
/v1/completions /v1/embeddings (OpenAI shape, errors {"error":{"message","type","param","code"}}).
Errors: 400 "missing request body" / "model is required" / Go-style JSON errors, 404 "model 'x' not
found", 400 '"x" does not support generate' (embedding models = names containing "embed"),
400 '"x" does not support thinking' (names containing "nothink"). `think` -> `thinking` field
(/v1: reasoning_effort -> `reasoning`). `logprobs: true` (+ `top_logprobs` k) -> a `logprobs` array
per content line as Ollama 0.17.4 writes it (transcripts/ollama-0.17.4/; none on the streamed done
line, all of them on the stream:false answer). /api/chat `tools` -> message.tool_calls (see tool_calls()). `format` "json" or a schema -> JSON text content.
keep_alive (Go duration, seconds, negative = forever, 0 = unload after the request) drives /api/ps.
Context: num_ctx (options) > --fake-max-model-len > OLLAMA_CONTEXT_LENGTH > 4096; longer prompts
are truncated with a WARN log like the real server, or rejected with 400 "the input length exceeds
the context length" when the request says "truncate": false.
Unpullable names: containing "missing", "unknown", "nonexistent", "no-such" or "doesnotexist".
Knob leak_slot_on_cancel: Ollama 0.17.4's lost slot (ollama/ollama#17131, server/routes.go: the
generating goroutine sends each chunk on an unbuffered channel that the handler stops reading when
the client leaves, and blocks there holding llmServer.sem): a client that disconnects from a
streamed /api/generate or /api/chat takes the model's slot with it. With the knob the model has one
slot (OLLAMA_NUM_PARALLEL=1): a generation waits for the one before it, so after a lost slot the
later prompts for that model (streamed or not) are read and never answered, until the model is
unloaded (keep_alive 0), which replaces the runner and its semaphore. The real server loses this
race only sometimes; the knob always loses it.

NOT modelled: real tokenisation (a token is a whitespace-separated word), templates, raw, suffix,
images, context shifting, /api/create /api/copy /api/push /api/blobs, concurrency
limits (OLLAMA_NUM_PARALLEL, 503 queue full), GPU placement (size_vram == size).
"""
import argparse
import datetime
import json
import os
import sys
import threading
import time

sys.dont_write_bytecode = True  # keep src/test free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
from fakeengine.engine import EngineApp  # noqa: E402
from fakeengine.httpbase import ApiError, ClientGone  # noqa: E402
from fakeengine.knobs import add_knob_arguments  # noqa: E402
from fakeengine.ollama_models import (FOREVER, go_duration, model_record, normalize, now_iso,  # noqa: E402
                                      parse_keep_alive)
from fakeengine.logprobs import ollama_entries  # noqa: E402
from fakeengine.openai_compat import OpenAIRoutes  # noqa: E402
from fakeengine.tools import plan_calls, validate_tools  # noqa: E402
from fakeengine.textgen import (EMBED_DIM, chat_key, chat_prompt_tokens, count_tokens, embed,  # noqa: E402
                                generate, word_token_id)

VERSION = "0.12.6"
UNPULLABLE = ("missing", "unknown", "nonexistent", "no-such", "doesnotexist")


class OllamaApp(OpenAIRoutes, EngineApp):
    name = "ollama"
    server_header = None
    oa_reasoning_field = "reasoning"
    oa_top_extras = {"system_fingerprint": "fp_ollama"}

    def __init__(self, args):
        super().__init__(args)
        self.models = {normalize(n.strip()): model_record(normalize(n.strip()))
                       for n in args.models.split(",") if n.strip()}
        self.loaded, self.partial_pulls = {}, {}
        self.slots = {}  # model -> its runner's one generation slot (modelled only with leak_slot_on_cancel)
        self.default_ctx = int(os.environ.get("OLLAMA_CONTEXT_LENGTH") or 4096)
        self.default_keep_alive = parse_keep_alive(os.environ.get("OLLAMA_KEEP_ALIVE"), 300.0)
        self.route("POST", "/api/generate", lambda h: self.complete(h, chat=False), inference=True)
        self.route("POST", "/api/chat", lambda h: self.complete(h, chat=True), inference=True)
        self.route("POST", "/api/embed", self.embed_route, inference=True)
        self.route("POST", "/api/embeddings", self.embeddings_legacy, inference=True)
        self.route("GET", "/api/tags", self.tags)
        self.route("GET", "/api/ps", self.ps)
        self.route("POST", "/api/show", self.show)
        self.route("POST", "/api/pull", self.pull)
        self.route("DELETE", "/api/delete", self.delete)
        self.route("GET", "/api/version", lambda h: h.send_json(200, {"version": VERSION}))
        self.route("GET", "/", self.root)
        self.register_openai_routes()

    # ---- logging -------------------------------------------------------------------------------
    def log(self, level, message, source="routes.go:1331"):
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        msg = message if message.startswith("msg=") else "msg=" + json.dumps(message)
        level = level.replace("WARNING", "WARN")
        print(f"time={stamp} level={level} source={source} {msg}", file=sys.stderr, flush=True)

    def access_log(self, handler, code):
        took = (time.monotonic() - handler.started) * 1000 if handler.started else 0.0
        print(f'[GIN] {time.strftime("%Y/%m/%d - %H:%M:%S")} | {code} | {took:10.3f}ms | '
              f'{handler.client_address[0]:>15} | {handler.command or "-":<7} "{handler.route_path}"',
              file=sys.stderr, flush=True)

    def boot_lines(self):
        return [f'msg="server config" env="map[OLLAMA_HOST:http://{self.host}:{self.port} '
                f'OLLAMA_CONTEXT_LENGTH:{self.default_ctx} OLLAMA_KEEP_ALIVE:{go_duration(self.default_keep_alive)}]"',
                f'msg="starting fake ollama" pid={self.pid} models="{",".join(self.models)}"',
                f'msg="total blobs: {len(self.models)}"']

    def loading_line(self, fraction):
        return f'msg="fake startup delay" progress={fraction:.2f}'

    def ready_lines(self):
        return [f'msg="Listening on {self.host}:{self.port} (version {VERSION})"',
                'msg="inference compute" id=cpu library=cpu compute="" name=cpu description=cpu']

    def shutdown_lines(self):
        return ['msg="received signal, shutting down" signal=terminated']

    def crash_line(self, tokens):
        return f'msg="llama runner terminated" error="fake crash after {tokens} tokens"'

    # ---- protocol hooks ------------------------------------------------------------------------
    def send_error(self, handler, err):
        if handler.route_path.startswith("/v1/"):
            etype = {400: "invalid_request_error", 404: "not_found_error"}.get(err.status, "api_error")
            return handler.send_json(err.status, {"error": {"message": err.message, "type": etype,
                                                            "param": None, "code": None}})
        message = err.message
        if err.etype == "json" and message != "missing request body":
            first = handler.raw_body.decode("utf-8", "replace").lstrip()[:1]
            message = f"invalid character '{first}' looking for beginning of value"
        handler.send_json(err.status, {"error": message})

    def not_found(self, handler):
        handler.send_text(404, "404 page not found")

    method_not_allowed = not_found

    def wants_stream(self, handler, body):
        return isinstance(body, dict) and bool(body.get("stream", not handler.route_path.startswith("/v1/")))

    def garbage_stream_type(self, handler):
        return "text/event-stream; charset=utf-8" if handler.route_path.startswith("/v1/") else "application/x-ndjson"

    def oa_stream_error(self, err):
        return {"error": {"message": err.message, "type": "api_error", "param": None, "code": None}}

    def oa_model_cards(self):
        return [{"id": n, "object": "model", "created": int(time.time()), "owned_by": "library"} for n in self.models]

    def oa_resolve_model(self, requested):
        self.find_model({"model": requested})
        return requested

    def oa_thinking(self, body):
        effort = body.get("reasoning_effort") or (body.get("reasoning") or {}).get("effort")
        return effort in ("low", "medium", "high"), False

    # ---- model state ---------------------------------------------------------------------------
    def public(self, m):
        return {k: v for k, v in m.items() if k not in ("embedding", "thinking")}

    def tags(self, h):
        h.send_json(200, {"models": [self.public(m) for m in self.models.values()]})

    def find_model(self, body):
        name = body.get("model") or body.get("name")
        if not name or not isinstance(name, str):
            raise ApiError(400, "model is required")
        model = self.models.get(normalize(name))
        if model is None:
            raise ApiError(404, f"model '{name}' not found")
        return model

    def touch(self, model, keep_alive):
        """Marks the model loaded until now+keep_alive; returns True if this request loaded it."""
        cold = self.loaded.get(model["name"], 0) <= time.time()
        if keep_alive == 0:
            self.loaded.pop(model["name"], None)
        else:
            self.loaded[model["name"]] = time.time() + keep_alive
        return cold

    def take_slot(self, h, model):
        """Waits for the model's one slot, as llmServer.Completion waits on its semaphore; a client
        that leaves meanwhile aborts the wait (the real server logs the same line)."""
        slot = self.slots.setdefault(model["name"], threading.Semaphore(1))
        while not slot.acquire(timeout=0.05):
            if h.client_gone():
                self.log("INFO", "aborting completion request due to client closing the connection", "server.go:1568")
                raise ClientGone()
        return slot

    def metrics(self, started, cold, prompt_tokens, gen_tokens, gen_started):
        values = {"total_duration": int((time.monotonic() - started) * 1e9) or 1,
                  "load_duration": 125_000_000 if cold else 0,
                  "prompt_eval_count": prompt_tokens, "prompt_eval_duration": prompt_tokens * 1_000_000,
                  "eval_count": gen_tokens,
                  "eval_duration": (int((time.monotonic() - gen_started) * 1e9) or 1) if gen_tokens else 0}
        return {k: v for k, v in values.items() if v}

    # ---- generate / chat -----------------------------------------------------------------------
    def complete(self, h, chat):
        body, started = h.json_object(), time.monotonic()
        model = self.find_model(body)
        name, kind = body["model"] if body.get("model") else body.get("name"), "chat" if chat else "generate"
        if model["embedding"]:
            raise ApiError(400, f'"{name}" does not support {kind}')
        keep_alive = parse_keep_alive(body.get("keep_alive"), self.default_keep_alive)
        options = body.get("options") or {}
        if not isinstance(options, dict):
            raise ApiError(400, "json: cannot unmarshal options into map[string]any")
        think = body.get("think") in (True, "low", "medium", "high")
        if think and not model["thinking"]:
            raise ApiError(400, f'"{name}" does not support thinking')
        fmt = body.get("format")
        if fmt not in (None, "", "json") and not isinstance(fmt, dict):
            raise ApiError(400, 'invalid format: expected "json" or a valid JSON schema')
        messages = body.get("messages") or [] if chat else None
        calls = self.tool_calls(body, name) if chat else None
        if (chat and not messages) or (not chat and not body.get("prompt")):
            cold = self.touch(model, keep_alive)
            if keep_alive == 0:
                self.slots.pop(model["name"], None)  # a new runner, with a new semaphore
            reply = {"model": name, "created_at": now_iso(), "message": {"role": "assistant", "content": ""}} if chat \
                else {"model": name, "created_at": now_iso(), "response": ""}
            reply.update(done=True, done_reason="unload" if keep_alive == 0 else "load")
            reply.update(self.metrics(started, cold, 0, 0, started))
            return h.send_json(200, reply)
        if chat:
            key, prompt_tokens = chat_key(messages), chat_prompt_tokens(messages)
        else:
            key = body["prompt"]
            prompt_tokens = count_tokens(body["prompt"]) + count_tokens(body.get("system") or "")
        limit = options.get("num_ctx") or self.knobs.get("max_model_len") or self.default_ctx
        if prompt_tokens > limit:
            if body.get("truncate") is False:
                self.touch(model, keep_alive)  # real Ollama loads the model before its runner rejects the prompt
                raise ApiError(400, "the input length exceeds the context length")
            self.log("WARNING", f'msg="truncating input prompt" limit={limit} prompt={prompt_tokens} keep=4 '
                                f'new={limit}', "runner.go:159")
            prompt_tokens = limit
        num_predict = options.get("num_predict")
        budget = num_predict if isinstance(num_predict, int) and num_predict >= 0 else None
        budget = limit - prompt_tokens if num_predict == -2 else budget  # -2 = fill the context
        gen = generate(key, budget, stop=options.get("stop"), think=think,
                       schema=(fmt if isinstance(fmt, dict) else "json") if fmt else None)
        if calls:
            gen.pieces, gen.finish = [], "stop"  # Ollama reports done_reason "stop" after tool calls
            gen.completion_tokens = sum(count_tokens(json.dumps(c["function"]["arguments"])) for c in calls)
        self.stats.add("prompt_tokens", prompt_tokens)
        self.stats.add("completion_tokens", gen.completion_tokens)
        slot = self.take_slot(h, model) if self.knobs.get("leak_slot_on_cancel") else None
        cold = self.touch(model, keep_alive if keep_alive != 0 else 1e9)
        lost = False
        try:
            self._answer(h, body, name, chat, gen, started, cold, prompt_tokens, key, calls)
        except (ClientGone, OSError):
            lost = body.get("stream", True) is not False  # the streamed path's goroutine keeps the slot
            raise
        finally:
            if slot is not None and not lost:
                slot.release()
            self.touch(model, keep_alive)

    def _piece_chunk(self, name, chat, kind, text, thinking=None, done=False):
        thinking = text if kind == "reasoning" else thinking
        text = text if kind == "content" else ""
        if chat:
            reply = {"model": name, "created_at": now_iso(), "message": {"role": "assistant", "content": text}}
            if thinking:
                reply["message"]["thinking"] = thinking
        else:
            reply = {"model": name, "created_at": now_iso(), "response": text}
            if thinking:
                reply["thinking"] = thinking
        reply["done"] = done
        return reply

    def tool_calls(self, body, name):
        """Ollama's function calling: `tools` in the OpenAI shape, always "auto" (no tool_choice);
        calls come back in one chunk as message.tool_calls [{function: {index, name, arguments: {}}}]
        (arguments an object, no call id in API 0.12). Models named "*notools*" have no tools
        capability."""
        if not body.get("tools"):
            return None
        if "notools" in name:
            raise ApiError(400, f'registry.ollama.ai/library/{name} does not support tools')
        validate_tools({"tools": body["tools"]})
        planned = plan_calls({"tools": body["tools"], "messages": body.get("messages")}, True, "")
        return [{"function": {"index": i, "name": c["function"]["name"],
                              "arguments": json.loads(c["function"]["arguments"])}}
                for i, c in enumerate(planned or [])]

    def _answer(self, h, body, name, chat, gen, started, cold, prompt_tokens, key, calls=None):
        pieces, gen_started = gen.pieces, time.monotonic()
        if calls:
            pieces = [None]  # one step: the chunk carrying every call
        top = body.get("top_logprobs") or 0
        want_logprobs = body.get("logprobs") is True
        contents = [] if calls else [p.text for p in pieces if p.kind == "content"]
        positions = {}  # piece index -> token position among the content pieces
        if not calls:
            for i, p in enumerate(pieces):
                if p.kind == "content":
                    positions[i] = len(positions)

        def final(text, reasoning):
            reply = self._piece_chunk(name, chat, "content", text, reasoning, done=True)
            if calls and body.get("stream", True) is False:
                reply["message"]["tool_calls"] = calls
            reply["done_reason"] = gen.finish
            if not chat:
                reply["context"] = [word_token_id(w) for w in key.split()] + gen.output_ids
            reply.update(self.metrics(started, cold, prompt_tokens, gen.completion_tokens, gen_started))
            if want_logprobs and body.get("stream", True) is False and contents:
                reply["logprobs"] = ollama_entries(contents, 0, top)
            return reply

        if body.get("stream", True) is False:
            if h.pace_tokens(len(pieces), lambda i: None) == "failed":
                raise ApiError(500, self.fail_message(h.failed_at))
            return h.send_json(200, final(gen.text, gen.reasoning))

        def body_fn(stream):
            def chunk(i):
                if calls:
                    reply = self._piece_chunk(name, chat, "content", "")
                    reply["message"]["tool_calls"] = calls
                    return reply
                reply = self._piece_chunk(name, chat, pieces[i].kind, pieces[i].text)
                if want_logprobs and i in positions:
                    reply["logprobs"] = ollama_entries([pieces[i].text], positions[i], top)
                return reply
            outcome = h.pace_tokens(len(pieces), lambda i: stream.ndjson(chunk(i)))
            stream.ndjson({"error": self.fail_message(h.failed_at)} if outcome == "failed" else final("", ""))
            return outcome
        h.run_stream("application/x-ndjson", body_fn, lazy=True)

    # ---- embeddings ----------------------------------------------------------------------------
    def embed_route(self, h):
        body, started = h.json_object(), time.monotonic()
        model = self.find_model(body)
        raw = body.get("input")
        texts = [raw] if isinstance(raw, str) and raw else raw if isinstance(raw, list) else []
        dims = body.get("dimensions") or EMBED_DIM
        if not isinstance(dims, int) or dims <= 0:
            raise ApiError(400, "dimensions must be a positive integer")
        limit = (body.get("options") or {}).get("num_ctx") or self.knobs.get("max_model_len") or self.default_ctx
        counts = [min(count_tokens(str(t)), limit) for t in texts]
        if body.get("truncate") is False and any(count_tokens(str(t)) > limit for t in texts):
            raise ApiError(400, "the input length exceeds the context length")
        cold = self.touch(model, parse_keep_alive(body.get("keep_alive"), self.default_keep_alive))
        reply = {"model": body.get("model") or body.get("name"), "embeddings": [embed(str(t), dims) for t in texts]}
        reply.update(self.metrics(started, cold, sum(counts), 0, started))
        self.stats.add("prompt_tokens", sum(counts))
        h.send_json(200, reply)

    def embeddings_legacy(self, h):
        body = h.json_object()
        model = self.find_model(body)
        self.touch(model, parse_keep_alive(body.get("keep_alive"), self.default_keep_alive))
        prompt = body.get("prompt") or ""
        h.send_json(200, {"embedding": embed(prompt) if prompt else []})

    # ---- model management ----------------------------------------------------------------------
    def ps(self, h):
        now, local = time.time(), datetime.datetime.now().astimezone().tzinfo
        running = []
        for name, until in list(self.loaded.items()):
            if until <= now or name not in self.models:
                continue
            expires = FOREVER if until == float("inf") else datetime.datetime.fromtimestamp(until, local)
            m = self.public(self.models[name])
            running.append({"name": name, "model": name, "size": m["size"], "digest": m["digest"],
                            "details": m["details"], "expires_at": expires.isoformat(),
                            "size_vram": m["size"],
                            "context_length": self.knobs.get("max_model_len") or self.default_ctx})
        h.send_json(200, {"models": running})

    def show(self, h):
        m = self.find_model(h.json_object())
        family = m["details"]["family"]
        modelfile = f"# Modelfile generated by \"ollama show\"\nFROM {m['name']}\n"
        h.send_json(200, {"license": "fake", "modelfile": modelfile,
                          "parameters": "stop \"<|im_end|>\"", "template": "{{ .Prompt }}", "details": m["details"],
                          "model_info": {"general.architecture": family, "general.parameter_count": 3_200_000_000,
                                         f"{family}.context_length": 40960, f"{family}.embedding_length": EMBED_DIM},
                          "capabilities": ["embedding"] if m["embedding"] else
                          ["completion"] + (["thinking"] if m["thinking"] else []),
                          "modified_at": m["modified_at"]})

    def pull(self, h):
        body = h.json_object()
        name = body.get("model") or body.get("name")
        if not name:
            raise ApiError(400, "model is required")
        norm, record = normalize(name), model_record(normalize(name))
        failure = "pull model manifest: file does not exist" if any(w in norm for w in UNPULLABLE) else None
        total, digest = record["size"], "sha256:" + record["digest"]
        delay = lambda: h._wait(self.knobs.get("token_delay_ms") / 1000.0, None)  # noqa: E731

        def steps(emit):
            emit({"status": "pulling manifest"})
            if failure:
                return emit({"error": failure}) or "failed"
            emit({"status": f"pulling {record['digest'][:12]}", "digest": digest, "total": total})
            for quarter in range(1, 5):
                delay()
                done = max(self.partial_pulls.get(norm, 0), total * quarter // 4)
                self.partial_pulls[norm] = done
                emit({"status": f"pulling {record['digest'][:12]}", "digest": digest, "total": total,
                      "completed": done})
            for status in ("verifying sha256 digest", "writing manifest", "success"):
                emit({"status": status})
            self.models[norm] = record
            self.partial_pulls.pop(norm, None)
            return "done"

        if body.get("stream", True) is False:
            if steps(lambda line: None) == "failed":
                raise ApiError(500, failure)
            return h.send_json(200, {"status": "success"})
        h.run_stream("application/x-ndjson", lambda stream: steps(stream.ndjson), lazy=True)

    def delete(self, h):
        m = self.find_model(h.json_object())
        self.models.pop(m["name"], None)
        self.loaded.pop(m["name"], None)
        h.send_bytes(200, b"", "application/json")

    def root(self, h):
        if self.knobs.get("unhealthy"):
            return h.send_text(503, "Ollama is not healthy")
        h.send_text(200, "Ollama is running")


def main(argv=None):
    env_host = os.environ.get("OLLAMA_HOST", "127.0.0.1:11434").replace("http://", "").rstrip("/")
    env_name, _, env_port = env_host.rpartition(":") if ":" in env_host else (env_host, "", "11434")
    parser = argparse.ArgumentParser(prog="ollama")
    parser.add_argument("command", nargs="?", default="serve", choices=["serve"])
    parser.add_argument("--host", default=env_name or "127.0.0.1")
    parser.add_argument("--port", type=int, default=int(env_port or 11434))
    parser.add_argument("--models", default="llama3.2:latest,nomic-embed-text:latest")
    add_knob_arguments(parser)
    OllamaApp(parser.parse_args(argv)).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
