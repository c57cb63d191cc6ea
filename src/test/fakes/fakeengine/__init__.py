"""Shared pieces of the fake LLM engine servers (vLLM, SGLang, Ollama test doubles).

Python 3.11 standard library only. See ../README.md for the knobs, the control API under
/_fake/ and the deterministic text rule.
"""
