"""OpenAI-compatible routes (/v1/models, /v1/chat/completions, /v1/completions, /v1/embeddings)
shared by the fakes. Engine differences are hooks (oa_*) overridden by each engine app.

Stream order (all engines): role chunk, reasoning/content chunks (one per token), finish chunk
(delta {"content": ""} + finish_reason), then - only with stream_options.include_usage - a
chunk with "choices": [] and "usage", then `data: [DONE]`. A fault (fail_after_tokens) replaces
the finish chunk with `data: {"error": {...}}` followed by `data: [DONE]`.
"""
import time
import uuid

from . import logprobs as token_logprobs
from . import tools as tool_calls
from .httpbase import ApiError
from .textgen import (Piece, chat_key, chat_prompt_tokens, count_tokens, embed, embed_base64,
                      generate)


class OpenAIRoutes:
    oa_reasoning_field = "reasoning_content"
    oa_top_extras = {}
    oa_empty_tool_calls = []
    oa_length_on_last_token = False

    def register_openai_routes(self, embeddings=True):
        self.route("GET", "/v1/models", self.oa_models)
        self.route("POST", "/v1/chat/completions", self.oa_chat, inference=True)
        self.route("POST", "/v1/completions", self.oa_completions, inference=True)
        if embeddings:
            self.route("POST", "/v1/embeddings", self.oa_embeddings, inference=True)

    # ---- hooks ------------------------------------------------------------------------------
    def oa_model_cards(self):
        raise NotImplementedError

    def oa_resolve_model(self, requested):
        """Returns the model name to echo back, or raises ApiError(404)."""
        return requested or self.oa_model_cards()[0]["id"]

    def oa_check_api(self, api):
        """api: "chat", "completions" or "embeddings"; raise ApiError if unsupported."""

    def oa_validate(self, body, chat):
        """Engine-specific request validation (raise ApiError)."""

    def oa_default_max_tokens(self, chat, prompt_tokens):
        return None

    def oa_check_context(self, prompt_tokens, max_tokens, explicit, embedding=False):
        """Raise ApiError(400) with the engine's context-overflow wording."""

    def oa_thinking(self, body):
        """(think, inline): think = emit reasoning; inline = put it in content as <think>..."""
        kwargs = body.get("chat_template_kwargs") or {}
        return bool(isinstance(kwargs, dict) and kwargs.get("enable_thinking") is True), False

    def oa_constraint(self, body):
        """(schema, choice) from response_format; engines add their own extras."""
        fmt = body.get("response_format")
        if isinstance(fmt, dict):
            if fmt.get("type") == "json_schema":
                spec = fmt.get("json_schema") or {}
                return (spec.get("schema") or spec.get("schema_") or {}), None
            if fmt.get("type") == "json_object":
                return "json", None
        return None, None

    def oa_choice_extras(self, gen, finish):
        return {}

    def oa_auto_tool_choice(self, body):
        """Whether tool calls are parsed out of free generation ("auto"); raise ApiError if the
        server refuses "auto". Default: tools only reach the chat template, answers are text."""
        return False

    def oa_tool_call_id_prefix(self):
        return "call_"

    def oa_usage_extras(self):
        return {}

    def oa_abort_event(self, rid):
        """An Event that aborts request `rid` (SGLang /abort_request) or None."""
        return None

    def oa_release(self, rid):
        """Called when request `rid` ends."""

    def oa_stream_error(self, err):
        return {"error": {"message": err.message, "type": "InternalServerError", "param": None,
                          "code": err.status}}

    # ---- routes -----------------------------------------------------------------------------
    def oa_models(self, h):
        h.send_json(200, {"object": "list", "data": self.oa_model_cards()})

    def oa_chat(self, h):
        body = h.json_object()
        self.oa_validate(body, chat=True)
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise ApiError(400, "messages: Field required; a non-empty list of messages is expected",
                           "validation")
        model = self.oa_resolve_model(body.get("model"))
        self.oa_check_api("chat")
        tool_calls.validate_tools(body)
        calls = tool_calls.plan_calls(body, self.oa_auto_tool_choice(body), self.oa_tool_call_id_prefix())
        self._oa_run(h, body, model, chat_key(messages), chat_prompt_tokens(messages), chat=True, calls=calls)

    def oa_completions(self, h):
        body = h.json_object()
        self.oa_validate(body, chat=False)
        prompt = body.get("prompt")
        if isinstance(prompt, list) and len(prompt) == 1 and isinstance(prompt[0], (str, list)):
            prompt = prompt[0]  # a batch of one; larger batches are not modelled
        if isinstance(prompt, list) and all(isinstance(t, int) for t in prompt):
            key, prompt_tokens = " ".join(map(str, prompt)), len(prompt)
        elif isinstance(prompt, str):
            key, prompt_tokens = prompt, count_tokens(prompt)
        else:
            raise ApiError(400, "prompt: a string or a list of token ids is required", "validation")
        model = self.oa_resolve_model(body.get("model"))
        self.oa_check_api("completions")
        self._oa_run(h, body, model, key, prompt_tokens, chat=False)

    def oa_embeddings(self, h):
        body = h.json_object()
        model = self.oa_resolve_model(body.get("model"))
        self.oa_check_api("embeddings")
        raw = body.get("input")
        if isinstance(raw, str) or (isinstance(raw, list) and raw and all(isinstance(t, int) for t in raw)):
            raw = [raw]
        if not isinstance(raw, list) or not raw:
            raise ApiError(400, "input: a string or a non-empty list is required", "validation")
        texts = [" ".join(map(str, x)) if isinstance(x, list) else str(x) for x in raw]
        counts = [len(x) if isinstance(x, list) else count_tokens(x) for x in raw]
        for n in counts:
            self.oa_check_context(n, None, False, embedding=True)
        base64_format = body.get("encoding_format") == "base64"
        data = [{"index": i, "object": "embedding",
                 "embedding": embed_base64(embed(t)) if base64_format else embed(t)}
                for i, t in enumerate(texts)]
        total = sum(counts)
        self.stats.add("prompt_tokens", total)
        h.send_json(200, {"id": "embd-" + uuid.uuid4().hex, "object": "list", "created": int(time.time()),
                          "model": model, "data": data,
                          "usage": {"prompt_tokens": total, "total_tokens": total, "completion_tokens": 0,
                                    "prompt_tokens_details": None}})

    # ---- generation core --------------------------------------------------------------------
    def _oa_run(self, h, body, model, key, prompt_tokens, chat, calls=None):
        explicit = body.get("max_completion_tokens") if chat else None
        if explicit is None:
            explicit = body.get("max_tokens")
        if explicit is not None and (not isinstance(explicit, int) or isinstance(explicit, bool) or explicit < 0):
            raise ApiError(400, "max_tokens: Input should be a non-negative integer", "validation")
        max_tokens = explicit if explicit is not None else self.oa_default_max_tokens(chat, prompt_tokens)
        self.oa_check_context(prompt_tokens, max_tokens, explicit is not None)
        think, inline = self.oa_thinking(body) if chat else (False, False)
        schema, choice = self.oa_constraint(body)
        top_logprobs = token_logprobs.requested(body, chat)
        gen = generate(key, max_tokens, stop=body.get("stop"), ignore_eos=bool(body.get("ignore_eos")),
                       think=think, schema=schema, choice=choice)
        if calls:
            gen.finish = "tool_calls"
            gen.completion_tokens = sum(count_tokens(c["function"]["arguments"]) + 1 for c in calls)
        pieces = [] if calls else list(gen.pieces)
        if inline and gen.reasoning and not calls:
            pieces = [Piece("content", "<think>" + gen.reasoning + "</think>\n\n", 0)] + \
                     [p for p in pieces if p.kind == "content"]
        usage = {"prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens + gen.completion_tokens,
                 "completion_tokens": gen.completion_tokens, "prompt_tokens_details": None}
        usage.update(self.oa_usage_extras())
        self.stats.add("prompt_tokens", prompt_tokens)
        self.stats.add("completion_tokens", gen.completion_tokens)
        ctx = {"id": ("chatcmpl-" if chat else "cmpl-") + uuid.uuid4().hex, "created": int(time.time()),
               "model": model, "chat": chat, "gen": gen, "pieces": pieces, "usage": usage, "calls": calls,
               "top_logprobs": top_logprobs}
        rid = body.get("rid") if isinstance(body.get("rid"), str) else ctx["id"]
        ctx["abort"] = self.oa_abort_event(rid)
        try:
            if body.get("stream"):
                options = body.get("stream_options") or {}
                ctx["include_usage"] = isinstance(options, dict) and options.get("include_usage") is True
                h.run_stream("text/event-stream; charset=utf-8", lambda s: self._oa_stream(h, s, ctx))
            else:
                self._oa_unary(h, ctx)
        finally:
            self.oa_release(rid)

    def _oa_text(self, pieces, kind):
        return "".join(p.text for p in pieces if p.kind == kind)

    def _oa_unary(self, h, ctx):
        gen, pieces = ctx["gen"], ctx["pieces"]
        calls = ctx.get("calls")
        steps = sum(len(tool_calls.fragments(c["function"]["arguments"])) for c in calls) if calls else len(pieces)
        outcome = h.pace_tokens(steps, lambda i: None, ctx["abort"])
        if outcome == "failed":
            raise ApiError(500, self.fail_message(h.failed_at), "InternalServerError")
        finish = "abort" if outcome == "aborted" else gen.finish
        content = None if calls else self._oa_text(pieces, "content")
        if ctx["chat"]:
            reasoning = self._oa_text(pieces, "reasoning") or None
            choice = {"index": 0, "message": {"role": "assistant", "content": content,
                                              self.oa_reasoning_field: reasoning,
                                              "tool_calls": calls or self.oa_empty_tool_calls},
                      "logprobs": None, "finish_reason": finish}
        else:
            choice = {"index": 0, "text": content, "logprobs": None, "finish_reason": finish}
        top = ctx.get("top_logprobs")
        if top is not None and not calls:
            texts = [p.text for p in pieces if p.kind == "content"]
            choice["logprobs"] = token_logprobs.chat_entries(texts, 0, top) if ctx["chat"] \
                else token_logprobs.completion_entries(texts, 0, 0, top)
        choice.update(self.oa_choice_extras(gen, finish))
        h.send_json(200, {"id": ctx["id"], "object": "chat.completion" if ctx["chat"] else "text_completion",
                          "created": ctx["created"], "model": ctx["model"], "choices": [choice],
                          "usage": ctx["usage"], **self.oa_top_extras})

    def _oa_stream(self, h, stream, ctx):
        chat, gen, pieces = ctx["chat"], ctx["gen"], ctx["pieces"]
        base = {"id": ctx["id"], "object": "chat.completion.chunk" if chat else "text_completion",
                "created": ctx["created"], "model": ctx["model"], **self.oa_top_extras}

        top = ctx.get("top_logprobs")
        position = {"token": 0, "offset": 0}

        def logprobs_of(text, kind):
            # per content token, as vLLM does; reasoning tokens are not numbered here
            if top is None or kind != "content" or not text:
                return None
            entries = token_logprobs.chat_entries([text], position["token"], top) if chat \
                else token_logprobs.completion_entries([text], position["token"], position["offset"], top)
            position["token"] += 1
            position["offset"] += len(text)
            return entries

        def chunk(text=None, kind="content", finish=None, extras=None, role=False):
            if chat:
                delta = {"role": "assistant", "content": ""} if role else \
                    {(self.oa_reasoning_field if kind == "reasoning" else "content"): text}
                choice = {"index": 0, "delta": delta, "logprobs": None if role else logprobs_of(text, kind),
                          "finish_reason": finish}
            else:
                choice = {"index": 0, "text": text, "logprobs": logprobs_of(text, kind), "finish_reason": finish}
            choice.update(extras or {})
            return {**base, "choices": [choice]}

        if chat:
            stream.sse(chunk(role=True))
        # vLLM: a reply cut by max_tokens carries finish_reason on its last token's chunk
        merged = self.oa_length_on_last_token and gen.finish == "length" and bool(pieces) and not ctx.get("calls")
        if ctx.get("calls"):
            outcome = h.pace_tokens(*self._oa_call_steps(ctx["calls"], base, stream), ctx["abort"])
        else:
            outcome = h.pace_tokens(len(pieces), lambda i: stream.sse(
                chunk(pieces[i].text, pieces[i].kind, finish="length",
                      extras=self.oa_choice_extras(gen, "length")) if merged and i == len(pieces) - 1
                else chunk(pieces[i].text, pieces[i].kind)), ctx["abort"])
        if outcome == "failed":
            stream.sse(self.oa_stream_error(ApiError(500, self.fail_message(h.failed_at))))
            stream.sse_done()
            return outcome
        finish = "abort" if outcome == "aborted" else gen.finish
        if not (merged and outcome == "done"):
            stream.sse(chunk("", finish=finish, extras=self.oa_choice_extras(gen, finish)))
        if ctx.get("include_usage"):
            stream.sse({**base, "choices": [], "usage": ctx["usage"]})
        stream.sse_done()
        return outcome

    def _oa_call_steps(self, calls, base, stream):
        """(count, emit) streaming each call: an opening chunk, then its argument fragments."""
        steps = []
        for index, call in enumerate(calls):
            for n, piece in enumerate(tool_calls.fragments(call["function"]["arguments"])):
                if n == 0:
                    steps.append({"index": index, "id": call["id"], "type": "function",
                                  "function": {"name": call["function"]["name"], "arguments": ""}})
                steps.append({"index": index, "function": {"arguments": piece}})

        def emit(i):
            stream.sse({**base, "choices": [{"index": 0, "delta": {"tool_calls": [steps[i]]}, "logprobs": None,
                                             "finish_reason": None}]})
        return len(steps), emit
