"""HTTP plumbing shared by the fakes: threaded HTTP/1.1 server, request dispatch, chunked SSE /
NDJSON streams with client-disconnect detection, and token pacing with the fault knobs."""
import json
import select
import socket
import socketserver
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer



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
    path = route_path = "-"  # defaults for access logs of unparseable requests
    started = 0.0

    def setup(self):
        super().setup()
        self.server.connections.add(self.connection)

    def finish(self):
        self.server.connections.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass

    def send_response(self, code, message=None):
        self.log_request(code)
        self.send_response_only(code, message)
        if self.server.app.server_header:
            self.send_header("Server", self.server.app.server_header)
        self.send_header("Date", self.date_time_string())

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
        self.started = time.monotonic()
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
