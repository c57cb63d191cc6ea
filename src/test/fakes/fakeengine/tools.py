"""OpenAI function calling as vLLM 0.11 and SGLang 0.5 serve it on /v1/chat/completions.

Request: `tools` [{type: "function", function: {name, description?, parameters?}}] and
`tool_choice` ("none" | "auto" (default when tools are given) | "required" |
{type: "function", function: {name}}). Conversation turns may carry assistant `tool_calls`
(content null) and `tool` results ({role: "tool", tool_call_id, content}).

What the fakes decide (deterministic, no model): a request whose last turn is a `tool` result is
answered with text (under "auto"); otherwise the named function, or the first one, is called with
arguments generated from its `parameters` schema (like guided decoding does). Response:
message {role, content: null, tool_calls: [{id, type: "function", function: {name, arguments:
"<JSON text>"}}]}, finish_reason "tool_calls". Stream: role chunk, a chunk opening the call
({index, id, type, function: {name, arguments: ""}}), argument fragments ({index, function:
{arguments}}), then the finish chunk.
"""
import json
import uuid

from .httpbase import ApiError
from .textgen import content_text, json_for_schema


def validate_tools(body):
    """Raises ApiError(400) for malformed tools / tool_choice, as the engines' pydantic models do."""
    tools = body.get("tools")
    if tools is None:
        return
    if not isinstance(tools, list):
        raise ApiError(400, "tools: Input should be a valid list", "validation")
    for i, tool in enumerate(tools):
        fn = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(tool, dict) or tool.get("type", "function") != "function" or not isinstance(fn, dict) \
                or not isinstance(fn.get("name"), str):
            raise ApiError(400, f"tools.{i}.function: Field required", "validation")
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        name = (choice.get("function") or {}).get("name")
        if name not in [t["function"]["name"] for t in tools]:
            raise ApiError(400, f"Tool '{name}' has not been passed in `tools`.", "BadRequestError")
    elif choice not in (None, "none", "auto", "required"):
        raise ApiError(400, "tool_choice: Input should be 'none', 'auto' or 'required'", "validation")


def plan_calls(body, auto_enabled, id_prefix):
    """The tool calls to answer with, or None to answer with text.

    auto_enabled: whether the engine parses tool calls out of free generation (vLLM
    --enable-auto-tool-choice --tool-call-parser, SGLang --tool-call-parser)."""
    tools = body.get("tools") or []
    choice = body.get("tool_choice")
    if not tools or choice == "none":
        return None
    messages = body.get("messages") or []
    last = messages[-1] if messages and isinstance(messages[-1], dict) else {}
    if isinstance(choice, dict):
        chosen = (choice.get("function") or {}).get("name")
        fn = next(t["function"] for t in tools if t["function"]["name"] == chosen)
    elif choice == "required":
        fn = tools[0]["function"]
    else:  # auto
        if not auto_enabled or last.get("role") == "tool":
            return None
        fn = tools[0]["function"]
    key = content_text(last.get("content")) or fn["name"]
    arguments = json_for_schema(fn.get("parameters") or {"type": "object", "properties": {}}, key)
    return [{"id": id_prefix + uuid.uuid4().hex[:24], "type": "function",
             "function": {"name": fn["name"], "arguments": json.dumps(arguments)}}]


def fragments(arguments, size=8):
    """The argument text in the pieces a streaming tool parser emits."""
    return [arguments[i:i + size] for i in range(0, len(arguments), size)] or [""]
