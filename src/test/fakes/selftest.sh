#!/usr/bin/env bash
# Self-test of the fake engines: starts each fake on a free port, exercises the main protocol
# paths with curl and exits non-zero on any mismatch. Needs bash, curl and python3 (stdlib).
set -u
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d)"
FAILS=0
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT

ok() { echo "ok   - $1"; }
fail() { echo "FAIL - $1"; FAILS=$((FAILS + 1)); }
check() { # check NAME ACTUAL EXPECTED
  if [[ "$2" == "$3" ]]; then ok "$1"; else fail "$1 (expected [$3], got [$2])"; fi
}
contains() { # contains NAME HAYSTACK NEEDLE
  if [[ "$2" == *"$3"* ]]; then ok "$1"; else fail "$1 (missing [$3] in [${2:0:300}])"; fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
py() { python3 -c "import json,sys; d=json.load(sys.stdin); print(($1))"; } # py EXPR (d = JSON on stdin)
post() { curl -s -H 'Content-Type: application/json' "$@"; }
fake() { post -X POST "$1/_fake/$2" -d "$3" >/dev/null; }
wait_log() { # wait_log FILE NEEDLE -> waits until FILE contains NEEDLE (max 5 s; Python starts slowly)
  for _ in $(seq 1 50); do
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
wait_http() { # wait_http URL -> waits until the URL answers 200 (max 10 s)
  for _ in $(seq 1 100); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" == 200 ]] && return 0
    sleep 0.1
  done
  return 1
}
sse_content() { # joins delta.content / text of an SSE stream on stdin
  python3 -c '
import json, sys
out = []
for line in sys.stdin:
    line = line.strip()
    if line.startswith("data: ") and line != "data: [DONE]":
        d = json.loads(line[6:])
        for c in d.get("choices", []):
            out.append(c.get("delta", {}).get("content") or c.get("text") or "")
print("".join(out))'
}
stop_and_expect_exit() { # stop_and_expect_exit NAME PID LOG NEEDLE
  local start=$SECONDS rc
  kill -TERM "$2"
  wait "$2"; rc=$?
  check "$1 SIGTERM exit code" "$rc" 0
  if (( SECONDS - start <= 2 )); then ok "$1 exits promptly"; else fail "$1 took $((SECONDS - start)) s to exit"; fi
  contains "$1 shutdown log" "$(cat "$3")" "$4"
}

# ------------------------------------------------------------------------------------------------
echo "# vLLM"
"$DIR/vllm" serve --port notanumber m >/dev/null 2>&1; check "vllm bad --port exits 2" "$?" 2
"$DIR/vllm" serve m --quantization bogus >/dev/null 2>&1; check "vllm bad --quantization exits 2" "$?" 2
P=$(free_port); V="http://127.0.0.1:$P"; VLOG="$WORK/vllm.log"
"$DIR/vllm" serve Qwen/Qwen3-0.6B --host 127.0.0.1 --port "$P" --served-model-name qwen qwen-alias \
  --gpu-memory-utilization 0.5 --max-model-len 4k --tensor-parallel-size 1 --dtype bfloat16 \
  --trust-remote-code --enable-chunked-prefill --fake-load-seconds 1.5 2>"$VLOG" &
VPID=$!; PIDS+=("$VPID")
sleep 0.4
curl -s -o /dev/null "$V/health"; check "vllm refuses connections while loading" "$?" 7
wait_log "$VLOG" "pid=$VPID"; contains "vllm logs its pid at start" "$(cat "$VLOG")" "pid=$VPID"
wait_http "$V/health" && ok "vllm /health 200 after load" || fail "vllm never became healthy"
contains "vllm ready log" "$(cat "$VLOG")" "Application startup complete."
check "vllm /v1/models" "$(curl -s "$V/v1/models" | py '[m["id"] for m in d["data"]], d["data"][0]["max_model_len"]')" "(['qwen', 'qwen-alias'], 4000)"
CHAT='{"model":"qwen","messages":[{"role":"user","content":"tell me a story"}],"max_tokens":6'
UNARY=$(post "$V/v1/chat/completions" -d "$CHAT}")
TEXT=$(echo "$UNARY" | py 'd["choices"][0]["message"]["content"]')
check "vllm unary finish/usage" "$(echo "$UNARY" | py 'd["choices"][0]["finish_reason"], d["usage"]["prompt_tokens"], d["usage"]["completion_tokens"]')" "('length', 4, 6)"
STREAM=$(post -N "$V/v1/chat/completions" -d "$CHAT,\"stream\":true,\"stream_options\":{\"include_usage\":true}}")
check "vllm stream text == unary text" "$(echo "$STREAM" | sse_content)" "$TEXT"
contains "vllm stream usage chunk with choices:[]" "$STREAM" '"choices":[],"usage":{"prompt_tokens":4'
check "vllm stream ends with [DONE]" "$(echo "$STREAM" | grep -v '^$' | tail -n 1)" "data: [DONE]"
NOUSAGE=$(post -N "$V/v1/chat/completions" -d "$CHAT,\"stream\":true}")
if [[ "$NOUSAGE" == *'"usage"'* ]]; then fail "vllm usage chunk without include_usage"; else ok "vllm no usage chunk without include_usage"; fi
contains "vllm rerank refused for a generation model" "$(post -w ' %{http_code}' "$V/v1/rerank" -d '{"model":"qwen","query":"a","documents":["a"]}')" 'The model does not support Rerank (Score) API","type":"BadRequestError","param":null,"code":400}} 400'
check "vllm unknown model 404" "$(post -w ' %{http_code}' "$V/v1/chat/completions" -d '{"model":"x","messages":[{"role":"user","content":"a"}]}')" \
  '{"error":{"message":"The model `x` does not exist.","type":"NotFoundError","param":null,"code":404}} 404'
contains "vllm stream_options without stream is 400" "$(post -w ' %{http_code}' "$V/v1/chat/completions" -d "$CHAT,\"stream_options\":{\"include_usage\":true}}")" 'Stream options can only be defined when `stream=True`.","type":"Bad Request","param":null,"code":400}} 400'
contains "vllm context overflow" "$(post -w ' %{http_code}' "$V/v1/completions" -d '{"model":"qwen","prompt":"a b c","max_tokens":3999}')" "maximum context length is 4000 tokens and your request has 3 input tokens (3999 > 4000 - 3)."
THINK=$(post "$V/v1/chat/completions" -d "$CHAT,\"max_tokens\":50,\"chat_template_kwargs\":{\"enable_thinking\":true}}")
check "vllm reasoning_content separate from content" "$(echo "$THINK" | py 'bool(d["choices"][0]["message"]["reasoning_content"]) and d["choices"][0]["message"]["content"] != ""')" "True"
SCHEMA='{"type":"object","properties":{"city":{"type":"string"},"pop":{"type":"integer"},"tags":{"type":"array","items":{"type":"string"}}},"required":["city","pop"]}'
JSON_OUT=$(post "$V/v1/chat/completions" -d "$CHAT,\"max_tokens\":100,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"c\",\"schema\":$SCHEMA}}}" | py 'd["choices"][0]["message"]["content"]')
check "vllm json_schema output parses" "$(echo "$JSON_OUT" | py 'sorted(d) == ["city", "pop", "tags"] and isinstance(d["pop"], int)')" "True"
check "vllm last_request records response_format" "$(curl -s "$V/_fake/stats" | py 'd["last_request"]["/v1/chat/completions"]["response_format"]["type"]')" "json_schema"
fake "$V" config '{"fail_after_tokens":2}'
MID=$(post -N -w '\n%{http_code}' "$V/v1/chat/completions" -d "$CHAT,\"stream\":true}")
contains "vllm mid-stream error then [DONE]" "$MID" 'data: {"error":{"message":"fake engine: injected failure after 2 tokens","type":"InternalServerError","param":null,"code":500}}

data: [DONE]'
fake "$V" config '{"fail_after_tokens":null,"token_delay_ms":150}'
BEFORE=$(curl -s "$V/_fake/stats" | py 'd["cancelled"]')
post -N --max-time 0.5 "$V/v1/chat/completions" -d "$CHAT,\"stream\":true}" >/dev/null
sleep 0.5
check "vllm client disconnect counted as cancelled" "$(curl -s "$V/_fake/stats" | py 'd["cancelled"] - '"$BEFORE"', d["in_flight"]')" "(1, 0)"
fake "$V" config '{"token_delay_ms":0,"hang":true}'
post --max-time 0.7 "$V/v1/chat/completions" -d "$CHAT}" >/dev/null; check "vllm hang: request times out" "$?" 28
fake "$V" config '{"hang":false,"garbage":true}'
if post "$V/v1/chat/completions" -d "$CHAT}" | python3 -c 'import json,sys; json.load(sys.stdin)' 2>/dev/null; then
  fail "vllm garbage body is JSON"; else ok "vllm garbage body is not JSON"; fi
fake "$V" config '{"garbage":false,"unhealthy":true}'
check "vllm unhealthy /health 503" "$(curl -s -o /dev/null -w '%{http_code}' "$V/health")" 503
fake "$V" config '{"unhealthy":false}'
stop_and_expect_exit "vllm" "$VPID" "$VLOG" "Finished server process [$VPID]"

P=$(free_port); V2="http://127.0.0.1:$P"; V2LOG="$WORK/vllm2.log"
"$DIR/vllm" serve m --host 127.0.0.1 --port "$P" --api-key secret --fake-protocol 0.10.0 \
  --fake-crash-after-tokens 3 --fake-token-delay-ms 20 2>"$V2LOG" &
V2PID=$!; PIDS+=("$V2PID")
wait_http "$V2/health" || fail "vllm 0.10.0 never became healthy"
check "vllm --api-key 401" "$(post -w ' %{http_code}' "$V2/v1/models")" '{"error":"Unauthorized"} 401'
check "vllm 0.10.0 flat envelope" "$(post -H 'Authorization: Bearer secret' "$V2/v1/completions" -d '{"model":"nope","prompt":"a"}')" \
  '{"object":"error","message":"The model `nope` does not exist.","type":"NotFoundError","param":null,"code":404}'
CRASH=$(post -N -H 'Authorization: Bearer secret' "$V2/v1/completions" -d '{"model":"m","prompt":"a b","stream":true}')
wait "$V2PID"; RC=$?
check "vllm crash_after_tokens: process exits 1" "$RC" 1
check "vllm crash_after_tokens: 3 tokens then cut" "$(echo "$CRASH" | grep -c '"text"')" 3

# ------------------------------------------------------------------------------------------------
echo "# SGLang"
P=$(free_port); S="http://127.0.0.1:$P"; SLOG="$WORK/sglang.log"
python3 "$DIR/sglang_launch_server.py" --model-path Qwen/Qwen3-0.6B --host 127.0.0.1 --port "$P" --tp 1 \
  --mem-fraction-static 0.8 --context-length 64 --grammar-backend xgrammar --fake-load-seconds 1 2>"$SLOG" &
SPID=$!; PIDS+=("$SPID")
sleep 0.3
curl -s -o /dev/null "$S/health_generate"; check "sglang refuses connections while loading" "$?" 7
wait_http "$S/health_generate" && ok "sglang /health_generate 200" || fail "sglang never became healthy"
contains "sglang ready log" "$(cat "$SLOG")" "The server is fired up and ready to roll!"
contains "sglang logs its pid" "$(cat "$SLOG")" "pid $SPID"
GEN='{"text":"The capital of France is","sampling_params":{"max_new_tokens":5,"temperature":0}'
NATIVE=$(post "$S/generate" -d "$GEN}")
check "sglang native finish_reason object" "$(echo "$NATIVE" | py 'd["meta_info"]["finish_reason"], d["meta_info"]["prompt_tokens"], d["meta_info"]["completion_tokens"]')" "({'type': 'length', 'length': 5}, 5, 5)"
NSTREAM=$(post -N "$S/generate" -d "$GEN,\"stream\":true}")
check "sglang native stream is cumulative" "$(echo "$NSTREAM" | python3 -c '
import json, sys
texts = [json.loads(l[6:])["text"] for l in sys.stdin if l.startswith("data: {")]
print(all(b.startswith(a) for a, b in zip(texts, texts[1:])) and len(texts[-2].split()) == 5, texts[-1])')" \
  "True $(echo "$NATIVE" | py 'd["text"]')"
check "sglang json_schema as JSON string" "$(post "$S/generate" -d '{"text":"x","sampling_params":{"max_new_tokens":32,"json_schema":"{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}},\"required\":[\"ok\"]}"}}' | py 'type(json.loads(d["text"])["ok"]).__name__')" "bool"
contains "sglang json_schema object rejected" "$(post -w ' %{http_code}' "$S/generate" -d '{"text":"x","sampling_params":{"json_schema":{"type":"object"}}}')" "must be a JSON-encoded string"
OAI=$(post "$S/v1/chat/completions" -d '{"model":"anything-goes","messages":[{"role":"user","content":"hi"}]}')
check "sglang accepts any model name, matched_stop" "$(echo "$OAI" | py 'd["model"], d["choices"][0]["finish_reason"], d["choices"][0]["matched_stop"]')" "('anything-goes', 'stop', 151645)"
check "sglang overflow flat envelope" "$(post -w ' %{http_code}' "$S/v1/chat/completions" -d '{"model":"m","messages":[{"role":"user","content":"a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l"}]}')" \
  '{"object":"error","message":"The input (64 tokens) is longer than the model'"'"'s context length (64 tokens).","type":"BadRequestError","code":400} 400'
REASON=$(post "$S/v1/chat/completions" -d '{"model":"m","messages":[{"role":"user","content":"hi"}],"chat_template_kwargs":{"enable_thinking":true},"separate_reasoning":true}')
check "sglang separate_reasoning -> reasoning_content" "$(echo "$REASON" | py 'bool(d["choices"][0]["message"]["reasoning_content"]) and "<think>" not in d["choices"][0]["message"]["content"]')" "True"
fake "$S" config '{"token_delay_ms":100}'
post -N "$S/generate" -d '{"text":"abort me","rid":"r-1","sampling_params":{"max_new_tokens":50,"ignore_eos":true},"stream":true}' >"$WORK/abort.out" &
CURL=$!
sleep 0.5
post "$S/abort_request" -d '{"rid":"r-1"}' >/dev/null
wait "$CURL"
check "sglang abort_request ends stream with abort" "$(grep '"type":"abort"' -c "$WORK/abort.out") $(tail -n 2 "$WORK/abort.out" | head -n 1)" "1 data: [DONE]"
fake "$S" config '{"token_delay_ms":0}'
contains "sglang flush_cache" "$(curl -s -X POST "$S/flush_cache")" "Cache flushed."
stop_and_expect_exit "sglang" "$SPID" "$SLOG" "Shutting down"

# ------------------------------------------------------------------------------------------------
echo "# Ollama"
P=$(free_port); O="http://127.0.0.1:$P"; OLOG="$WORK/ollama.log"
python3 "$DIR/fake_ollama.py" --host 127.0.0.1 --port "$P" --models llama3.2,qwen3:0.6b --fake-load-seconds 0.8 2>"$OLOG" &
OPID=$!; PIDS+=("$OPID")
sleep 0.3
curl -s -o /dev/null "$O/"; check "ollama refuses connections while loading" "$?" 7
wait_http "$O/" && ok "ollama / 200" || fail "ollama never came up"
check "ollama GET /" "$(curl -s "$O/")" "Ollama is running"
check "ollama HEAD /" "$(curl -s -I -o /dev/null -w '%{http_code}' "$O/")" 200
ONE=$(post "$O/api/generate" -d '{"model":"llama3.2","prompt":"why is the sky blue","stream":false}')
NDJ=$(post -N "$O/api/generate" -d '{"model":"llama3.2","prompt":"why is the sky blue"}')
check "ollama NDJSON stream == stream:false response" "$(echo "$NDJ" | python3 -c '
import json, sys
print("".join(json.loads(l)["response"] for l in sys.stdin if l.strip()))')" "$(echo "$ONE" | py 'd["response"]')"
check "ollama final chunk metrics" "$(echo "$NDJ" | tail -n 1 | py 'd["done"], d["done_reason"], d["prompt_eval_count"], "eval_count" in d')" "(True, 'stop', 5, True)"
fake "$O" config '{"fail_after_tokens":2}'
ERRSTREAM=$(post -N -w '%{http_code}' "$O/api/chat" -d '{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}')
check "ollama mid-stream error line, status 200" "$(echo "$ERRSTREAM" | tail -n 2 | tr '\n' ' ')" '{"error":"fake engine: injected failure after 2 tokens"} 200 '
fake "$O" config '{"fail_after_tokens":null}'
check "ollama unknown model 404" "$(post -w ' %{http_code}' "$O/api/chat" -d '{"model":"ghost","messages":[{"role":"user","content":"x"}]}')" "{\"error\":\"model 'ghost' not found\"} 404"
THINKING=$(post "$O/api/chat" -d '{"model":"qwen3:0.6b","messages":[{"role":"user","content":"hi"}],"think":true,"stream":false,"format":{"type":"object","properties":{"n":{"type":"number"}},"required":["n"]}}')
check "ollama think + format schema" "$(echo "$THINKING" | py 'bool(d["message"]["thinking"]), type(json.loads(d["message"]["content"])["n"]).__name__')" "(True, 'float')"
check "ollama last_request records think/format" "$(curl -s "$O/_fake/stats" | py 'd["last_request"]["/api/chat"]["think"], "format" in d["last_request"]["/api/chat"]')" "(True, True)"
PULL=$(post -N -w '%{http_code}' "$O/api/pull" -d '{"model":"mistral"}')
check "ollama pull progress ends with success" "$(echo "$PULL" | tail -n 2 | tr '\n' ' ')" '{"status":"success"} 200 '
contains "ollama pull progress has digest/total/completed" "$PULL" '"total":'
check "ollama pulled model listed" "$(curl -s "$O/api/tags" | py '"mistral:latest" in [m["name"] for m in d["models"]]')" "True"
check "ollama unknown pull: 200 then error line" "$(post -N -w '%{http_code}' "$O/api/pull" -d '{"model":"no-such-model"}' | tr '\n' ' ')" \
  '{"status":"pulling manifest"} {"error":"pull model manifest: file does not exist"} 200'
post "$O/api/generate" -d '{"model":"llama3.2","prompt":"hi","stream":false,"keep_alive":0}' >/dev/null
check "ollama keep_alive 0 unloads (/api/ps)" "$(curl -s "$O/api/ps" | py '"llama3.2:latest" in [m["name"] for m in d["models"]]')" "False"
post "$O/api/generate" -d '{"model":"llama3.2","prompt":"hi","stream":false,"keep_alive":"10m"}' >/dev/null
check "ollama loaded model in /api/ps" "$(curl -s "$O/api/ps" | py '"llama3.2:latest" in [m["name"] for m in d["models"]]')" "True"
check "ollama embed deterministic unit vectors" "$(post "$O/api/embed" -d '{"model":"llama3.2","input":["a","a","b"]}' | py 'd["embeddings"][0] == d["embeddings"][1] != d["embeddings"][2], round(sum(x*x for x in d["embeddings"][0]), 6)')" "(True, 1.0)"
fake "$O" config '{"ignore_sigterm":true}'
kill -TERM "$OPID"; sleep 0.5
if kill -0 "$OPID" 2>/dev/null; then ok "ollama ignores SIGTERM with ignore_sigterm"; else fail "ollama died despite ignore_sigterm"; fi
fake "$O" config '{"ignore_sigterm":false}'
stop_and_expect_exit "ollama" "$OPID" "$OLOG" "shutting down"

echo
if (( FAILS > 0 )); then echo "selftest: $FAILS failure(s)"; exit 1; fi
echo "selftest: all checks passed"
