"""Ollama model registry helpers for fake_ollama.py: name normalisation ("llama3.2" means
"llama3.2:latest"), Go-style keep_alive durations, timestamps and fake model records."""
import datetime
import hashlib
import re

from .httpbase import ApiError

DURATION = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
FOREVER = datetime.datetime(2318, 1, 1, tzinfo=datetime.timezone.utc)


def normalize(name):
    return name if ":" in name.rsplit("/", 1)[-1] else name + ":latest"


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_keep_alive(value, default):
    """Seconds (float('inf') = forever); raises ApiError like Go's time.ParseDuration."""
    if value is None:
        return default
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip()
        try:
            seconds = float(text)
        except ValueError:
            body = text.lstrip("-+")
            if not body or DURATION.sub("", body):
                raise ApiError(400, f'time: invalid duration "{value}"') from None
            seconds = sum(float(n) * UNITS[u] for n, u in DURATION.findall(body)) * (-1 if text[0] == "-" else 1)
    else:
        raise ApiError(400, f"json: cannot unmarshal {type(value).__name__} into keep_alive")
    return float("inf") if seconds < 0 else seconds


def go_duration(seconds):
    if seconds == float("inf"):
        return "2562047h47m16.854775807s"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return (f"{hours}h" if hours else "") + (f"{minutes}m" if hours or minutes else "") + f"{secs}s"


def model_record(name):
    digest = hashlib.sha256(name.encode()).hexdigest()
    embedding = "embed" in name
    family = "bert" if embedding else "qwen3" if "qwen" in name else "llama"
    return {"name": name, "model": name, "modified_at": now_iso(), "size": 300_000_000 + int(digest[:6], 16) * 100,
            "digest": digest, "embedding": embedding, "thinking": not embedding and "nothink" not in name,
            "details": {"parent_model": "", "format": "gguf", "family": family, "families": [family],
                        "parameter_size": "137M" if embedding else "3.2B", "quantization_level": "Q4_K_M"}}
