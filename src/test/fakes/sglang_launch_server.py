#!/usr/bin/env python3
"""Fake `python -m sglang.launch_server` for tests:
`python3 sglang_launch_server.py --model-path M --host H --port P [--tp N] ...`.

Protocol: SGLang 0.5.x HTTP server.
Native: POST /generate (exactly one of text / input_ids; sampling_params with max_new_tokens
default 128, stop, ignore_eos, json_schema as a JSON *string*, regex, ebnf - one constraint per
request; stream with *cumulative* text and output_ids unless --incremental-streaming-output;
finish_reason objects {"type":"length","length":N} / {"type":"stop","matched":151645|"str"} /
{"type":"abort"}; meta_info with prompt/completion/cached tokens and e2e_latency; errors
400 {"error":{"message":...}}; mid-stream `data: {"error":{...}}` then `data: [DONE]`).
GET /health /health_generate /get_model_info /get_server_info, GET|POST /flush_cache (400 while
requests run), POST /abort_request {"rid"} | {"abort_all":true}.
OpenAI: /v1/models, /v1/chat/completions, /v1/completions, /v1/embeddings - any model name is
accepted and echoed; flat error envelope {"object":"error","message","type","code"};
choices carry `matched_stop`; chat_template_kwargs.enable_thinking -> `reasoning_content` when
separate_reasoning (default true), else "<think>...</think>" inline in content; `rid` works.
--api-key protects everything except /health*. Cached tokens: a prompt seen before reports
prompt_tokens - 1 cached tokens until /flush_cache.

NOT modelled: real tokenisation (a token is a whitespace-separated word), chat templates,
regex/ebnf enforcement (accepted and recorded only), batch streaming (batches work without
stream), logprobs, input_embeds, images, LoRA, n>1, warm-up 503 phase, /metrics
contents beyond a few gauges, --is-embedding restrictions (embeddings always served).
Rerank: POST /v1/rerank {query, documents: [str]} (0.5 takes nothing else) -> a bare list
[{score, document, index, meta_info: {prompt_tokens}}] best first, only with --is-embedding and a model
path containing "rerank" (a cross-encoder); otherwise 400 in the flat envelope (the fake's own wording).
The score is fakeengine.textgen.relevance: the share of the query's words found in the document.
"""
import argparse
import json
import os
import sys
import threading
import time
import uuid
from http import HTTPStatus

sys.dont_write_bytecode = True  # keep src/test free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
from fakeengine.engine import EngineApp  # noqa: E402
from fakeengine.httpbase import ApiError  # noqa: E402
from fakeengine.knobs import add_knob_arguments  # noqa: E402
from fakeengine.openai_compat import OpenAIRoutes  # noqa: E402
from fakeengine.textgen import count_tokens, generate, relevance  # noqa: E402

VERSION = "0.5.3"
DEFAULT_CONTEXT = 32768
FLUSH_TAIL = ("Please check backend logs for more details. (When there are running or waiting requests, "
              "the operation will not be performed.)")
QUANTIZATIONS = ["awq", "fp8", "gptq", "marlin", "gptq_marlin", "awq_marlin", "bitsandbytes", "gguf",
                 "modelopt", "modelopt_fp4", "petit_nvfp4", "w8a8_int8", "w8a8_fp8", "moe_wna16",
                 "qoq", "w4afp8", "mxfp4", "compressed-tensors"]


def build_parser():
    p = argparse.ArgumentParser(prog="python -m sglang.launch_server")
    p.add_argument("--model-path", "--model", dest="model_path", required=True)
    p.add_argument("--tokenizer-path")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=30000)
    p.add_argument("--tp", "--tp-size", "--tensor-parallel-size", dest="tp_size", type=int, default=1)
    p.add_argument("--dp", "--dp-size", dest="dp_size", type=int, default=1)
    p.add_argument("--mem-fraction-static", type=float)
    p.add_argument("--served-model-name")
    p.add_argument("--context-length", type=int)
    p.add_argument("--api-key")
    p.add_argument("--quantization", choices=QUANTIZATIONS)
    p.add_argument("--dtype", choices=["auto", "half", "float16", "bfloat16", "float", "float32"], default="auto")
    p.add_argument("--grammar-backend", choices=["xgrammar", "outlines", "llguidance", "none"], default="xgrammar")
    p.add_argument("--trust-remote-code", action="store_true")
    p.add_argument("--chat-template")
    p.add_argument("--reasoning-parser")
    p.add_argument("--tool-call-parser")
    p.add_argument("--is-embedding", action="store_true")
    p.add_argument("--enable-metrics", action="store_true")
    p.add_argument("--incremental-streaming-output", action="store_true")
    p.add_argument("--skip-server-warmup", action="store_true")
    p.add_argument("--random-seed", type=int)
    p.add_argument("--max-running-requests", type=int)
    p.add_argument("--max-total-tokens", type=int)
    p.add_argument("--chunked-prefill-size", type=int)
    p.add_argument("--disable-radix-cache", action="store_true")
    p.add_argument("--download-dir")
    p.add_argument("--log-level", default="info")
    add_knob_arguments(p)
    return p


class SglangApp(OpenAIRoutes, EngineApp):
    name = "sglang"
    oa_empty_tool_calls = None

    def __init__(self, args):
        super().__init__(args)
        self.model_path = args.model_path
        self.served = args.served_model_name or args.model_path
        self.api_key = args.api_key
        if self.knobs.get("max_model_len") is None and args.context_length:
            self.knobs.set("max_model_len", args.context_length)
        self.aborts, self.aborts_lock, self.seen_prompts = {}, threading.Lock(), set()
        self.route("POST", "/generate", self.generate_route, inference=True)
        self.route("GET", "/health", self.health)
        self.route("GET", "/health_generate", self.health)
        self.route("GET", "/get_model_info", self.model_info)
        self.route("GET", "/get_server_info", self.server_info)
        self.route("GET", "/flush_cache", self.flush_cache)
        self.route("POST", "/flush_cache", self.flush_cache)
        self.route("POST", "/abort_request", self.abort_request)
        if args.enable_metrics:
            self.route("GET", "/metrics", self.metrics)
        self.register_openai_routes()
        self.route("POST", "/v1/rerank", self.rerank, inference=True)

    def ctx_len(self):
        return self.knobs.get("max_model_len") or DEFAULT_CONTEXT

    # ---- logging -------------------------------------------------------------------------------
    def log(self, level, message):
        if message.startswith("uvicorn:"):
            line = f"{level + ':':<10}{message[len('uvicorn:'):]}"
        elif message.startswith("tp0:"):
            line = f"[{time.strftime('%Y-%m-%d %H:%M:%S')} TP0] {message[4:]}"
        else:
            line = f"[{time.strftime('%Y-%m-%d %H:%M:%S')}] {'' if level == 'INFO' else level + ' '}{message}"
        print(line, file=sys.stderr, flush=True)

    def access_log(self, handler, code):
        phrase = HTTPStatus(code).phrase if isinstance(code, int) else ""
        print(f'[{time.strftime("%Y-%m-%d %H:%M:%S")}] INFO:     {handler.client_address[0]}:'
              f'{handler.client_address[1]} - "{handler.command} {handler.path} HTTP/1.1" {code} {phrase}',
              file=sys.stderr, flush=True)

    def boot_lines(self):
        a = self.args
        return [f"fake SGLang {VERSION} launch_server starting, pid {self.pid}",
                f"server_args=ServerArgs(model_path='{a.model_path}', host='{a.host}', port={a.port}, "
                f"tp_size={a.tp_size}, mem_fraction_static={a.mem_fraction_static}, context_length="
                f"{a.context_length}, served_model_name='{self.served}', grammar_backend='{a.grammar_backend}', "
                f"api_key={a.api_key!r})",  # the real ServerArgs repr prints every field, the key too
                "tp0:Load weight begin. avail mem=78.50 GB"]

    def loading_line(self, fraction):
        return f"Loading safetensors checkpoint shards: {int(fraction * 100):3d}% Completed | {int(fraction * 2)}/2"

    def ready_lines(self):
        return ["tp0:Load weight end. type=Qwen3ForCausalLM, dtype=torch.bfloat16, avail mem=77.30 GB, "
                "mem usage=1.20 GB.", "tp0:KV Cache is allocated. #tokens: 100000, K size: 4.00 GB, V size: 4.00 GB",
                f"tp0:max_total_num_tokens=100000, max_running_requests=2048, context_len={self.ctx_len()}",
                f"uvicorn:Started server process [{self.pid}]", "uvicorn:Waiting for application startup.",
                "uvicorn:Application startup complete.",
                f"uvicorn:Uvicorn running on http://{self.host}:{self.port} (Press CTRL+C to quit)",
                "The server is fired up and ready to roll!"]

    def shutdown_lines(self):
        return ["uvicorn:Shutting down", "uvicorn:Waiting for application shutdown.",
                "uvicorn:Application shutdown complete.", f"uvicorn:Finished server process [{self.pid}]"]

    def crash_line(self, tokens):
        return (f"Scheduler hit an exception: RuntimeError: fake crash after {tokens} tokens\n"
                "Received sigquit from a child process. It usually means the child failed.")

    # ---- protocol hooks ------------------------------------------------------------------------
    def send_error(self, handler, err):
        if handler.route_path == "/generate":
            return handler.send_json(err.status, {"error": {"message": err.message}})
        handler.send_json(err.status, self.flat_error(err))

    def flat_error(self, err):
        etype = err.etype if err.etype not in (None, "json", "validation") else \
            {404: "NotFoundError", 429: "TooManyRequestsError", 500: "InternalServerError",
             503: "ServiceUnavailableError"}.get(err.status, "BadRequestError")
        return {"object": "error", "message": err.message, "type": etype, "code": err.status}

    def oa_stream_error(self, err):
        return {"error": self.flat_error(err)}

    def authorized(self, handler):
        if not self.api_key or handler.route_path.startswith("/health"):
            return True
        return handler.headers.get("Authorization", "") == f"Bearer {self.api_key}"

    def oa_model_cards(self):
        return [{"id": self.served, "object": "model", "created": int(time.time()), "owned_by": "sglang",
                 "root": self.model_path, "max_model_len": self.ctx_len()}]

    def oa_default_max_tokens(self, chat, prompt_tokens):
        return None if chat else 16

    def oa_check_context(self, prompt, max_tokens, explicit, embedding=False):
        limit = self.ctx_len()
        if prompt > limit or (prompt == limit and not embedding):
            raise ApiError(400, f"The input ({prompt} tokens) is longer than the model's context length "
                                f"({limit} tokens).")
        if max_tokens is not None and prompt + max_tokens > limit:
            raise ApiError(400, f"Requested token count exceeds the model's maximum context length of {limit} "
                                f"tokens. You requested a total of {prompt + max_tokens} tokens: {prompt} tokens "
                                f"from the input messages and {max_tokens} tokens for the completion. Please "
                                "reduce the number of tokens in the input messages or the completion to fit "
                                "within the limit.")

    def oa_thinking(self, body):
        think, _ = super().oa_thinking(body)
        return think, body.get("separate_reasoning", True) is False

    def oa_auto_tool_choice(self, body):
        return bool(self.args.tool_call_parser)  # without a parser, tools only reach the chat template

    def oa_choice_extras(self, gen, finish):
        return {"matched_stop": gen.matched if finish == "stop" else None}

    def oa_abort_event(self, rid):
        with self.aborts_lock:
            return self.aborts.setdefault(rid, threading.Event())

    def oa_release(self, rid):
        with self.aborts_lock:
            self.aborts.pop(rid, None)

    # ---- native routes -------------------------------------------------------------------------
    def _sampling(self, params):
        if not isinstance(params, dict):
            raise ApiError(400, "sampling_params must be a JSON object")
        max_new = params.get("max_new_tokens", 128)
        if max_new is not None and (not isinstance(max_new, int) or isinstance(max_new, bool) or max_new < 0):
            raise ApiError(400, f"max_new_tokens must be at least 0, got {max_new}.")
        constraints = [k for k in ("json_schema", "regex", "ebnf") if params.get(k) is not None]
        if len(constraints) > 1:
            raise ApiError(400, "Only one of regex, json_schema, or ebnf can be set.")
        schema = None
        if params.get("json_schema") is not None:
            raw = params["json_schema"]
            if not isinstance(raw, str):
                raise ApiError(400, "Invalid grammar request: json_schema must be a JSON-encoded string, "
                                    f"got {type(raw).__name__}")
            try:
                schema = json.loads(raw)
            except ValueError as exc:
                raise ApiError(400, f"Invalid grammar request: json_schema is not valid JSON: {exc}") from exc
        return max_new, schema

    def generate_route(self, h):
        body = h.json_object()
        text, ids = body.get("text"), body.get("input_ids")
        if text is None and ids is None:
            raise ApiError(400, "Either text, input_ids or input_embeds should be provided.")
        if text is not None and ids is not None:
            raise ApiError(400, "text and input_ids cannot be provided at the same time.")
        batch = isinstance(text, list) or (isinstance(ids, list) and ids and isinstance(ids[0], list))
        items = (text if isinstance(text, list) else [text]) if text is not None else (ids if batch else [ids])
        prompts = []
        for item in items:
            if isinstance(item, str):
                prompts.append((item, count_tokens(item)))
            elif isinstance(item, list) and all(isinstance(t, int) for t in item):
                prompts.append((" ".join(map(str, item)), len(item)))
            else:
                raise ApiError(400, "text must be a string (or list of strings); input_ids a list of ints")
        params = body.get("sampling_params") or {}
        max_new, schema = self._sampling(params)
        for _, prompt_tokens in prompts:
            self.oa_check_context(prompt_tokens, max_new, True)
        if batch and body.get("stream"):
            raise ApiError(400, "fake sglang: streaming a batch is not modelled")
        rid = body.get("rid") if isinstance(body.get("rid"), str) else uuid.uuid4().hex
        abort, started = self.oa_abort_event(rid), time.time()
        try:
            runs = []
            for key, prompt_tokens in prompts:
                gen = generate(key, max_new, stop=params.get("stop"), ignore_eos=bool(params.get("ignore_eos")),
                               schema=schema)
                cached = max(prompt_tokens - 1, 0) if key in self.seen_prompts else 0
                self.seen_prompts.add(key)
                self.stats.add("prompt_tokens", prompt_tokens)
                self.stats.add("completion_tokens", gen.completion_tokens)
                runs.append((gen, prompt_tokens, cached))
            if body.get("stream"):
                return h.run_stream("text/event-stream; charset=utf-8",
                                    lambda s: self._stream_native(h, s, rid, runs[0], max_new, abort, started))
            results = []
            for gen, prompt_tokens, cached in runs:
                outcome = h.pace_tokens(len(gen.pieces), lambda i: None, abort)
                if outcome == "failed":
                    raise ApiError(500, self.fail_message(h.failed_at))
                finish = self._finish(gen, max_new, outcome == "aborted")
                results.append(self._native(rid, gen.text, gen.output_ids, finish, prompt_tokens,
                                            gen.completion_tokens, cached, started))
            h.send_json(200, results if batch else results[0])
        finally:
            self.oa_release(rid)

    def _finish(self, gen, max_new, aborted):
        if aborted:
            return {"type": "abort"}
        if gen.finish == "length":
            return {"type": "length", "length": max_new}
        return {"type": "stop", "matched": gen.matched}

    def _native(self, rid, text, ids, finish, prompt_tokens, completion_tokens, cached, started):
        return {"text": text, "output_ids": ids,
                "meta_info": {"id": rid, "finish_reason": finish, "prompt_tokens": prompt_tokens,
                              "completion_tokens": completion_tokens, "cached_tokens": cached,
                              "e2e_latency": round(time.time() - started, 6), "weight_version": "default"}}

    def _stream_native(self, h, stream, rid, run, max_new, abort, started):
        gen, prompt_tokens, cached = run
        incremental = self.args.incremental_streaming_output
        pieces, sent = gen.pieces, [0]

        def emit(i):
            sent[0] = i + 1
            text = pieces[i].text if incremental else "".join(p.text for p in pieces[:i + 1])
            ids = [pieces[i].token_id] if incremental else [p.token_id for p in pieces[:i + 1]]
            stream.sse(self._native(rid, text, ids, None, prompt_tokens, i + 1, cached, started))

        outcome = h.pace_tokens(len(pieces), emit, abort)
        if outcome == "failed":
            stream.sse({"error": {"message": self.fail_message(h.failed_at)}})
            stream.sse_done()
            return outcome
        aborted, done = outcome == "aborted", pieces[:sent[0]]
        stream.sse(self._native(rid, "" if incremental else "".join(p.text for p in done),
                                [] if incremental else [p.token_id for p in done],
                                self._finish(gen, max_new, aborted), prompt_tokens,
                                sent[0] if aborted else gen.completion_tokens, cached, started))
        stream.sse_done()
        return outcome

    def rerank(self, h):
        body = h.json_object()
        if not (self.args.is_embedding and "rerank" in self.args.model_path.lower()):
            raise ApiError(400, "rerank needs a cross-encoder reranking model served with --is-embedding",
                           "BadRequestError")
        query, documents = body.get("query"), body.get("documents")
        if not isinstance(query, str) or not isinstance(documents, list) \
                or not all(isinstance(d, str) for d in documents):
            raise ApiError(400, "query must be a string and documents a list of strings", "BadRequestError")
        ranked = sorted(((relevance(query, d), i) for i, d in enumerate(documents)), key=lambda p: (-p[0], p[1]))
        h.send_json(200, [{"score": score, "document": documents[i], "index": i,
                           "meta_info": {"id": uuid.uuid4().hex, "prompt_tokens": count_tokens(query) + count_tokens(documents[i])}}
                          for score, i in ranked])

    def health(self, h):
        h.send_bytes(503 if self.knobs.get("unhealthy") else 200, b"", "text/plain; charset=utf-8")

    def model_info(self, h):
        h.send_json(200, {"model_path": self.model_path, "tokenizer_path": self.args.tokenizer_path or self.model_path,
                          "is_generation": not self.args.is_embedding, "preferred_sampling_params": None,
                          "weight_version": "default", "has_image_understanding": False,
                          "has_audio_understanding": False, "model_type": "qwen3",
                          "architectures": ["Qwen3ForCausalLM"]})

    def server_info(self, h):
        a = self.args
        info = {"model_path": a.model_path, "tokenizer_path": a.tokenizer_path or a.model_path, "host": a.host,
                "port": self.port, "tp_size": a.tp_size, "dp_size": a.dp_size,
                "mem_fraction_static": a.mem_fraction_static, "context_length": a.context_length,
                "served_model_name": self.served, "grammar_backend": a.grammar_backend,
                "quantization": a.quantization, "dtype": a.dtype, "is_embedding": a.is_embedding,
                "enable_metrics": a.enable_metrics, "incremental_streaming_output": a.incremental_streaming_output,
                "version": VERSION,
                "internal_states": [{"last_gen_throughput": 0.0, "avg_spec_accept_length": None}]}
        h.send_json(200, info)

    def flush_cache(self, h):
        if self.stats.get("in_flight") > 0:
            return h.send_text(400, "Cache not flushed. " + FLUSH_TAIL)
        self.seen_prompts.clear()
        h.send_text(200, "Cache flushed.\n" + FLUSH_TAIL)

    def abort_request(self, h):
        body = h.json_object()
        with self.aborts_lock:
            targets = list(self.aborts.values()) if body.get("abort_all") else \
                [self.aborts[body["rid"]]] if body.get("rid") in self.aborts else []
        for event in targets:
            event.set()
        self.log("INFO", f"Abort request: rid={body.get('rid')} abort_all={bool(body.get('abort_all'))} "
                         f"matched={len(targets)}")
        h.send_bytes(200, b"", "application/json")

    def metrics(self, h):
        snap, label = self.stats.snapshot(), f'model_name="{self.served}"'
        h.send_text(200, f"sglang:num_running_reqs{{{label}}} {float(max(snap['in_flight'], 0))}\n"
                         f"sglang:prompt_tokens_total{{{label}}} {float(snap['prompt_tokens'])}\n"
                         f"sglang:generation_tokens_total{{{label}}} {float(snap['completion_tokens'])}\n",
                    "text/plain; version=0.0.4; charset=utf-8")


def main(argv=None):
    args, unknown = build_parser().parse_known_args(argv)
    app = SglangApp(args)
    if unknown:
        app.log("WARNING", f"fake sglang: ignoring unmodelled arguments {unknown}")
    app.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
