"""HTTP plumbing shared by the fakes: threaded HTTP/1.1 server bound only after the simulated
load, chunked SSE/NDJSON streams with client-disconnect detection, token pacing with the fault
knobs, the /_fake/ control API, access logging and SIGTERM handling."""
import json
import os
import select
import signal
import socket
import socketserver
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .knobs import Knobs, Stats


class ApiError(Exception):
    """An error answered with the protocol's own error body (formatted by the engine app)."""

    def __init__(self, status, message, etype=None, param=None):
        super().__init__(message)
        self.status, self.message, self.etype, self.param = status, message, etype, param


class ClientGone(Exception):
    """The client closed the connection (detected by EOF peek or a failed write)."""


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class ChunkedStream:
    """A 200 response with Transfer-Encoding: chunked. lazy=True delays the headers until the
    first write (Go's net/http behaviour, used by Ollama)."""

    def __init__(self, handler, content_type, lazy=False):
        self.handler, self.content_type, self.started = handler, content_type, False
        if not lazy:
            self._start()

    def _start(self):
        self.started = True
        h = self.handler
        try:
            h.send_response(200)
            h.send_header("Content-Type", self.content_type)
            h.send_header("Transfer-Encoding", "chunked")
            h.send_header("Cache-Control", "no-cache")
            h.end_headers()
        except OSError as exc:
            raise ClientGone() from exc

    def write(self, data):
        if not self.started:
            self._start()
        try:
            self.handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        except OSError as exc:
            raise ClientGone() from exc

    def sse(self, obj):
        self.write(b"data: " + (obj if isinstance(obj, bytes) else dumps(obj)) + b"\n\n")

    def sse_done(self):
        self.write(b"data: [DONE]\n\n")

    def ndjson(self, obj):
        self.write(dumps(obj) + b"\n")

    def close(self):
        if not self.started:
            self._start()
        try:
            self.handler.wfile.write(b"0\r\n\r\n")
        except OSError as exc:
            raise ClientGone() from exc


class FakeHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, app):
        self.app = app
        self.connections = set()
        super().__init__(address, FakeHandler)

    def server_bind(self):  # skip HTTPServer's reverse-DNS lookup (slow without a network)
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


class FakeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.server.connections.add(self.connection)

    def finish(self):
        self.server.connections.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass

    def version_string(self):
        return self.server.app.server_header

    def log_request(self, code="-", size="-"):
        self.server.app.access_log(self, int(code) if str(code).isdigit() else code)

    def log_message(self, fmt, *args):
        self.server.app.log("WARNING", "http: " + (fmt % args))

    do_GET = lambda self: self._dispatch("GET")  # noqa: E731
    do_POST = lambda self: self._dispatch("POST")  # noqa: E731
    do_PUT = lambda self: self._dispatch("PUT")  # noqa: E731
    do_DELETE = lambda self: self._dispatch("DELETE")  # noqa: E731
    do_HEAD = lambda self: self._dispatch("HEAD")  # noqa: E731

    # ---- request helpers -------------------------------------------------------------------
    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def json_object(self):
        """The request body as a JSON object; raises ApiError(400, ..., etype="json")."""
        if not self.raw_body.strip():
            raise ApiError(400, "missing request body", "json")
        try:
            value = json.loads(self.raw_body)
        except ValueError as exc:
            raise ApiError(400, f"JSON decode error: {exc}", "json") from exc
        if not isinstance(value, dict):
            raise ApiError(400, "request body must be a JSON object", "json")
        return value

    def send_bytes(self, status, body, content_type="application/json", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, status, obj, headers=None):
        self.send_bytes(status, dumps(obj), "application/json", headers)

    def send_text(self, status, text, content_type="text/plain; charset=utf-8"):
        self.send_bytes(status, text.encode("utf-8"), content_type)

    def client_gone(self):
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    def _wait(self, seconds, abort):
        """Sleeps, checking for a client disconnect (raises ClientGone) and an abort event."""
        deadline = time.monotonic() + max(seconds, 0.0)
        while True:
            if abort is not None and abort.is_set():
                return True
            if self.client_gone():
                raise ClientGone()
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(left, 0.02))

    def pace_tokens(self, count, emit, abort=None):
        """Runs `count` token steps applying the delay and fault knobs; emit(i) outputs token i.
        Returns "done", "failed" (fail_after_tokens hit) or "aborted"; may raise ClientGone."""
        knobs = self.server.app.knobs
        for i in range(count + 1):
            crash, fail = knobs.get("crash_after_tokens"), knobs.get("fail_after_tokens")
            if crash is not None and i == min(crash, count):
                self.server.app.crash(i)
            if fail is not None and i == min(fail, count):
                self.failed_at = i
                return "failed"
            if i == count:
                return "done"
            delay = knobs.get("first_token_delay_ms" if i == 0 else "token_delay_ms") / 1000.0
            if self._wait(delay, abort):
                return "aborted"
            emit(i)
        return "done"

    def run_stream(self, content_type, body_fn, lazy=False):
        """Starts a chunked stream, runs body_fn(stream) -> outcome, ends the stream, counts."""
        stats = self.server.app.stats
        stats.add("streams_started")
        self.stream = ChunkedStream(self, content_type, lazy)
        outcome = body_fn(self.stream)
        self.stream.close()
        stats.add({"done": "streams_completed", "failed": "streams_failed"}.get(outcome, "streams_aborted"))

    # ---- dispatch ---------------------------------------------------------------------------
    def _dispatch(self, method):
        app = self.server.app
        self.stream, self.route_path = None, self.path.split("?", 1)[0]
        try:
            self.raw_body = self._read_body()
        except (OSError, ValueError):
            self.close_connection = True
            return
        if self.route_path.startswith("/_fake/"):
            return app.control(self, method, self.route_path)
        try:
            recorded = json.loads(self.raw_body) if self.raw_body.strip() else None
        except ValueError:
            recorded = self.raw_body.decode("utf-8", "replace")
        app.stats.record_request(self.route_path, recorded)
        handlers = app.routes.get(self.route_path)
        if handlers is None:
            return app.not_found(self)
        handler = handlers.get(method) or (handlers.get("GET") if method == "HEAD" else None)
        if handler is None:
            return app.method_not_allowed(self)
        inference = self.route_path in app.inference_paths
        if inference:
            app.stats.add("in_flight")
        try:
            if not app.authorized(self):
                return self.send_json(401, {"error": "Unauthorized"})
            if inference and app.apply_faults(self, recorded):
                return
            handler(self)
        except ApiError as err:
            if self.stream is None:
                app.send_error(self, err)
        except ClientGone:
            app.stats.add("cancelled" if self.stream is not None else "disconnected")
            app.log("INFO", f"client disconnected from {self.route_path}; generation stopped")
            self.close_connection = True
        except OSError:
            self.close_connection = True
        finally:
            if inference:
                app.stats.add("in_flight", -1)


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
        return "text/event-stream"

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
        if self.knobs.get("ignore_sigterm"):
            self.log("WARNING", f"received signal {signum}; ignoring it (fake ignore_sigterm)")
            return
        for line in self.shutdown_lines():
            self.log("INFO", line)
        if self.server is not None:
            try:
                self.server.socket.close()
            except OSError:
                pass
        sys.stdout.flush()
        sys.stderr.flush()
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
