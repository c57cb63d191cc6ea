"""Function calling through infercore's Ollama API with the official `ollama` Python library.

Usage: python ollama_tools.py http://127.0.0.1:PORT MODEL [MODEL...]
For each model (an engine/model that does function calling): the library turns a Python function
into a tool, the call comes back in message.tool_calls with its arguments as a dict, whole and
streamed, and the tool's result sent back gets a text answer. Exits 1 naming the first failed
check; prints one JSON object of facts as its last line.
"""
import json
import sys

import ollama

HOST = sys.argv[1]
client = ollama.Client(host=HOST)
facts = {}


def check(name, condition, detail=""):
    if not condition:
        print(f"FAILED {name}: {detail}")
        sys.exit(1)


def get_weather(city: str, unit: str) -> str:
    """Current weather in a city.

    Args:
      city: The city
      unit: celsius or fahrenheit
    """
    return f"21 degrees {unit} in {city}"


for model in sys.argv[2:]:
    ask = [{"role": "user", "content": "What is the weather in Paris?"}]
    reply = client.chat(model=model, messages=ask, tools=[get_weather], options={"num_predict": 64})
    calls = reply.message.tool_calls or []
    check(f"{model}: a call", len(calls) == 1 and calls[0].function.name == "get_weather", reply.message)
    args = calls[0].function.arguments
    check(f"{model}: arguments are a dict", isinstance(args, dict) and isinstance(args.get("city"), str), args)

    streamed = [c for part in client.chat(model=model, messages=ask, tools=[get_weather], stream=True,
                                          options={"num_predict": 64})
                for c in (part.message.tool_calls or [])]
    check(f"{model}: streamed call", [c.function.name for c in streamed] == ["get_weather"], streamed)

    result = get_weather(**args)
    follow = ask + [reply.message, {"role": "tool", "content": result, "tool_name": "get_weather"}]
    answer = client.chat(model=model, messages=follow, tools=[get_weather], options={"num_predict": 64})
    check(f"{model}: answer after the result", answer.message.content and not answer.message.tool_calls, answer.message)
    facts[model] = {"arguments": args, "answer": answer.message.content}

print(json.dumps(facts))
