"""OpenAI logprobs as vLLM 0.11 writes them (transcripts/vllm-0.11.0/*-logprobs*.txt), for the
fakes' /v1 routes. Values are made up but follow the real rules: every log-probability is <= 0,
the top list is most likely first, and the sampled token heads it (a fake's answer is its most
likely continuation). Not modelled: prompt_logprobs, a sampled token outside the top list.

Chat:       "logprobs": {"content": [{"token", "logprob", "bytes", "top_logprobs": [{token, logprob, bytes}]}]}
Completion: "logprobs": {"text_offset": [..], "token_logprobs": [..], "tokens": [..], "top_logprobs": [{token: logprob}]}
"""
from .httpbase import ApiError

MAX_LOGPROBS = 20


def requested(body, chat):
    """The number of alternatives asked for, or None; raises vLLM's 400s."""
    if chat:
        top = body.get("top_logprobs")
        if top is not None and body.get("logprobs") is not True:
            raise ApiError(400, "1 validation error:\n  {'type': 'value_error', 'loc': ('body',), 'msg': "
                                "'Value error, when using `top_logprobs`, `logprobs` must be set to true.'}",
                           "Bad Request")
        if body.get("logprobs") is not True:
            return None
        top = 0 if top is None else top
    else:
        top = body.get("logprobs")
        if top is None:
            return None
    if not isinstance(top, int) or isinstance(top, bool) or top < 0:
        raise ApiError(400, "logprobs: Input should be a non-negative integer", "Bad Request")
    if top > MAX_LOGPROBS:
        raise ApiError(400, "Requested sample logprobs of %d, which is greater than max allowed: %d"
                       % (top, MAX_LOGPROBS), "BadRequestError")
    return top


def _value(text, position):
    return -round(0.05 + ((len(text) * 7 + position * 3) % 23) / 10.0, 6)


def _top(text, position, top):
    chosen = _value(text, position)
    out = [(text, chosen)]
    for j in range(1, top):
        out.append(("%s~%d" % (text.strip() or "_", j), round(chosen - 0.5 * j, 6)))
    return out[:top]


def _bytes(text):
    return list(text.encode("utf-8"))


def chat_entries(texts, start, top):
    """The logprobs.content entries of `texts`, the first at token position `start`."""
    entries = []
    for i, text in enumerate(texts):
        position = start + i
        entries.append({"token": text, "logprob": _value(text, position), "bytes": _bytes(text),
                        "top_logprobs": [{"token": t, "logprob": v, "bytes": _bytes(t)}
                                         for t, v in _top(text, position, top)]})
    return {"content": entries}


def completion_entries(texts, start, offset, top):
    """Legacy logprobs of `texts`; `offset` is the character offset of the first one."""
    offsets, values, tops = [], [], []
    for i, text in enumerate(texts):
        position = start + i
        offsets.append(offset)
        offset += len(text)
        values.append(_value(text, position))
        tops.append({t: v for t, v in _top(text, position, max(top, 1))[:max(top, 1)]})
    return {"text_offset": offsets, "token_logprobs": values, "tokens": list(texts), "top_logprobs": tops}


def ollama_entries(texts, start, top):
    """Ollama 0.17.4's per-line `logprobs` array (transcripts/ollama-0.17.4/*-logprobs*.txt):
    [{token, logprob, bytes, top_logprobs: [{token, logprob, bytes}]}], most likely first, the
    `top_logprobs` field left out when none were asked for."""
    entries = []
    for i, text in enumerate(texts):
        position = start + i
        entry = {"token": text, "logprob": _value(text, position), "bytes": _bytes(text)}
        if top:
            entry["top_logprobs"] = [{"token": t, "logprob": v, "bytes": _bytes(t)}
                                     for t, v in _top(text, position, top)]
        entries.append(entry)
    return entries
