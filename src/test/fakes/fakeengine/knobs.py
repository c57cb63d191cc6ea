"""Behaviour knobs (set by --fake-* flags, FAKE_* environment variables, or POST /_fake/config)
and request statistics (GET /_fake/stats)."""
import argparse
import copy
import os
import threading

# name -> (kind, default, help). kind: "float", "int?" (int or null = off), "bool"
KNOB_SPECS = {
    "load_seconds": ("float", 0.0, "seconds before the listening socket is bound (connection refused meanwhile)"),
    "token_delay_ms": ("float", 0.0, "delay between generated tokens (also pull progress lines)"),
    "first_token_delay_ms": ("float", 0.0, "delay before the first generated token"),
    "fail_after_tokens": ("int?", None, "protocol-shaped error after N tokens (or at the end if shorter)"),
    "crash_after_tokens": ("int?", None, "os._exit(1) after N tokens (or at the end if shorter)"),
    "hang": ("bool", False, "inference requests are read but never answered"),
    "garbage": ("bool", False, "inference requests get a 200 with a non-JSON body / stream line"),
    "unhealthy": ("bool", False, "health endpoint answers 503"),
    "max_model_len": ("int?", None, "context size in tokens (whitespace-separated words)"),
    "error_status": ("int?", None, "inference requests answer this HTTP status with the protocol's error body"),
    "ignore_sigterm": ("bool", False, "log and ignore SIGTERM/SIGINT (test SIGKILL escalation)"),
    "leak_slot_on_cancel": ("bool", False, "fake Ollama only: a client that leaves a streamed generation leaves the "
                                           "model's slot taken, as Ollama 0.17.4 can (ollama/ollama#17131)"),
}


def _parse_bool(text):
    value = str(text).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise argparse.ArgumentTypeError(f"invalid boolean value: {text!r}")


def _parse_opt_int(text):
    if text is None or str(text).strip().lower() in ("", "none", "null", "off"):
        return None
    return int(text)


def coerce(name, value):
    """Validate one knob value coming from JSON; raises ValueError with a readable message."""
    if name not in KNOB_SPECS:
        raise ValueError(f"unknown knob {name!r}; known: {', '.join(sorted(KNOB_SPECS))}")
    kind = KNOB_SPECS[name][0]
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise ValueError(f"knob {name!r} expects a boolean")
    if kind == "float":
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
            return float(value)
        raise ValueError(f"knob {name!r} expects a non-negative number")
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise ValueError(f"knob {name!r} expects a non-negative integer or null")


def add_knob_arguments(parser):
    """Adds --fake-<knob> flags; defaults come from FAKE_<KNOB> environment variables."""
    group = parser.add_argument_group("fake engine behaviour (test doubles only)")
    for name, (kind, default, help_text) in KNOB_SPECS.items():
        flag = "--fake-" + name.replace("_", "-")
        env = os.environ.get("FAKE_" + name.upper())
        if kind == "bool":
            env_default = _parse_bool(env) if env is not None else default
            group.add_argument(flag, dest="fake_" + name, action="store_true", default=env_default,
                               help=help_text)
        else:
            parse = float if kind == "float" else _parse_opt_int
            group.add_argument(flag, dest="fake_" + name, type=parse,
                               default=parse(env) if env is not None else default, help=help_text)
    return group


class Knobs:
    def __init__(self, args):
        self._lock = threading.Lock()
        self._values = {name: getattr(args, "fake_" + name) for name in KNOB_SPECS}

    def get(self, name):
        with self._lock:
            return self._values[name]

    def set(self, name, value):
        with self._lock:
            self._values[name] = coerce(name, value)

    def update(self, changes):
        if not isinstance(changes, dict):
            raise ValueError("expected a JSON object of knob values")
        validated = {name: coerce(name, value) for name, value in changes.items()}
        with self._lock:
            self._values.update(validated)
            return dict(self._values)

    def snapshot(self):
        with self._lock:
            return dict(self._values)


class Stats:
    COUNTERS = ("streams_started", "streams_completed", "streams_failed", "streams_aborted",
                "cancelled", "disconnected", "in_flight", "prompt_tokens", "completion_tokens")

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._requests = {}
            self._last = {}
            in_flight = getattr(self, "_counters", {}).get("in_flight", 0)
            self._counters = {name: 0 for name in self.COUNTERS}
            self._counters["in_flight"] = in_flight  # requests still running survive a reset

    def record_request(self, path, body):
        with self._lock:
            self._requests[path] = self._requests.get(path, 0) + 1
            if body is not None:
                self._last[path] = body

    def add(self, name, amount=1):
        with self._lock:
            self._counters[name] += amount

    def get(self, name):
        with self._lock:
            return self._counters[name]

    def snapshot(self):
        with self._lock:
            result = dict(self._counters)
            result["requests"] = dict(self._requests)
            result["last_request"] = copy.deepcopy(self._last)
            return result
