"""EngineApp: the base of each fake engine - routes, protocol hooks, fault knobs, the /_fake/
control API, simulated loading (socket bound only afterwards), reload, crash and SIGTERM."""
import json
import os
import signal
import socket
import sys
import threading
import time

from .httpbase import ApiError, ChunkedStream, ClientGone, FakeHTTPServer
from .knobs import Knobs, Stats


class EngineApp:
    """Base class of an engine fake: routes, protocol hooks, control API and lifecycle."""
    name = "engine"
    server_header = "uvicorn"

    def __init__(self, args):
        self.args, self.host, self.port = args, args.host, args.port
        self.knobs, self.stats = Knobs(args), Stats()
        self.routes, self.inference_paths = {}, set()
        self.server, self.reload_seconds, self.pid = None, None, os.getpid()
        self.api_key = None

    def route(self, method, path, handler, inference=False):
        self.routes.setdefault(path, {})[method] = handler
        if inference:
            self.inference_paths.add(path)

    # ---- hooks overridden by engines --------------------------------------------------------
    def log(self, level, message):
        print(f"{level} {message}", file=sys.stderr, flush=True)

    def access_log(self, handler, code):
        self.log("INFO", f'{handler.client_address[0]} "{handler.requestline}" {code}')

    def boot_lines(self):
        return [f"starting fake {self.name}, pid {self.pid}"]

    def loading_line(self, fraction):
        return f"loading {fraction:.0%}"

    def ready_lines(self):
        return [f"ready on http://{self.host}:{self.port}"]

    def shutdown_lines(self):
        return ["shutting down"]

    def crash_line(self, tokens):
        return f"fatal error after {tokens} tokens (fake crash), exiting"

    def send_error(self, handler, err):
        handler.send_json(err.status, {"error": err.message})

    def not_found(self, handler):
        handler.send_json(404, {"detail": "Not Found"})

    def method_not_allowed(self, handler):
        handler.send_json(405, {"detail": "Method Not Allowed"})

    def authorized(self, handler):
        return True

    def garbage_stream_type(self, handler):
        return "text/event-stream; charset=utf-8"

    def wants_stream(self, handler, body):
        return isinstance(body, dict) and bool(body.get("stream", False))

    def fail_message(self, tokens):
        return f"fake engine: injected failure after {tokens} tokens"

    # ---- faults and control -----------------------------------------------------------------
    def apply_faults(self, handler, body):
        """hang / garbage / error_status for inference paths; True when the request is done."""
        if self.knobs.get("hang"):
            self.log("INFO", f"fake hang: holding {handler.route_path} without answering")
            while not handler.client_gone():
                time.sleep(0.05)
            raise ClientGone()
        if self.knobs.get("garbage"):
            if self.wants_stream(handler, body):
                stream = ChunkedStream(handler, self.garbage_stream_type(handler))
                stream.write(b"data: <<this is not JSON>> {\"unterminated\n\n"
                             if "event-stream" in stream.content_type else b"<<this is not JSON>> {\n")
                stream.close()
            else:
                handler.send_bytes(200, b"<html><body>this is not JSON {", "application/json")
            return True
        status = self.knobs.get("error_status")
        if status:
            raise ApiError(status, f"fake engine: injected HTTP {status}")
        return False

    def control(self, handler, method, path):
        try:
            body = json.loads(handler.raw_body) if handler.raw_body.strip() else {}
            if path == "/_fake/stats" and method == "GET":
                return handler.send_json(200, self.stats.snapshot())
            if path in ("/_fake/reset", "/_fake/stats/reset") and method == "POST":
                self.stats.reset()
                return handler.send_json(200, self.stats.snapshot())
            if path == "/_fake/config" and method == "GET":
                return handler.send_json(200, self.knobs.snapshot())
            if path == "/_fake/config" and method == "POST":
                return handler.send_json(200, self.knobs.update(body))
            if path == "/_fake/reload" and method == "POST":
                self.reload_seconds = float(body.get("load_seconds", self.knobs.get("load_seconds")))
                handler.send_json(200, {"reloading": True, "load_seconds": self.reload_seconds})
                threading.Thread(target=self._stop_listening, daemon=True).start()
                return None
            if path == "/_fake/exit" and method == "POST":
                handler.send_json(200, {"exiting": int(body.get("code", 1))})
                self.log("ERROR", f"fake exit requested with code {int(body.get('code', 1))}")
                os._exit(int(body.get("code", 1)))
            return handler.send_json(404, {"error": f"unknown control endpoint {method} {path}"})
        except (ValueError, TypeError) as exc:
            return handler.send_json(400, {"error": str(exc)})

    def _stop_listening(self):
        server = self.server
        server.shutdown()
        for conn in list(server.connections):
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def crash(self, tokens):
        self.log("ERROR", self.crash_line(tokens))
        sys.stderr.flush()
        os._exit(1)

    # ---- lifecycle ---------------------------------------------------------------------------
    def _on_signal(self, signum, _frame):
        try:  # logging may fail if the signal interrupted a print in the main thread
            if self.knobs.get("ignore_sigterm"):
                self.log("WARNING", f"received signal {signum}; ignoring it (fake ignore_sigterm)")
                return
            for line in self.shutdown_lines():
                self.log("INFO", line)
            if self.server is not None:
                self.server.socket.close()
            sys.stderr.flush()
        except (OSError, RuntimeError):
            if self.knobs.get("ignore_sigterm"):
                return
        os._exit(0)

    def _simulate_load(self, seconds):
        start = time.monotonic()
        next_report = 0.0
        while True:
            elapsed = time.monotonic() - start
            if elapsed >= next_report and seconds > 0:
                self.log("INFO", self.loading_line(min(elapsed / seconds, 1.0)))
                next_report += 0.5
            if elapsed >= seconds:
                return
            time.sleep(min(0.05, seconds - elapsed))

    def run(self):
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        for line in self.boot_lines():
            self.log("INFO", line)
        seconds = self.knobs.get("load_seconds")
        while True:
            self._simulate_load(seconds)
            try:
                self.server = FakeHTTPServer((self.host, self.port), self)
            except OSError as exc:
                self.log("ERROR", f"could not bind {self.host}:{self.port}: {exc}")
                os._exit(1)
            self.port = self.server.server_address[1]
            for line in self.ready_lines():
                self.log("INFO", line)
            self.server.serve_forever(poll_interval=0.1)
            self.server.server_close()
            seconds, self.reload_seconds = self.reload_seconds or 0.0, None
            self.log("INFO", f"fake reload: listener closed, re-binding in {seconds:.1f}s")
