// Server-sent events over fetch: EventSource cannot POST, so the stream is read with a
// ReadableStream reader and parsed here (WHATWG SSE rules: event/data/id fields, blank line ends
// an event, several data lines join with "\n", lines starting with ":" are comments).

export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.reset();
  }

  reset() {
    this.event = '';
    this.data = [];
  }

  /** Feeds decoded text; calls onEvent(name, data) for every complete event. */
  push(text) {
    this.buffer += text;
    let start = 0;
    for (;;) {
      const nl = this.buffer.slice(start).search(/\r\n|\r|\n/);
      if (nl < 0) break;
      const end = start + nl;
      const line = this.buffer.slice(start, end);
      const sepLen = this.buffer.startsWith('\r\n', end) ? 2 : 1;
      // a lone "\r" at the very end may be the first half of "\r\n": wait for more input
      if (this.buffer[end] === '\r' && end + 1 === this.buffer.length) break;
      start = end + sepLen;
      this.line(line);
    }
    this.buffer = this.buffer.slice(start);
  }

  /** End of input: an event not followed by a blank line is dropped, as the spec says. */
  finish() {
    this.buffer = '';
    this.reset();
  }

  line(line) {
    if (line === '') {
      if (this.data.length) {
        this.onEvent(this.event || 'message', this.data.join('\n'));
      }
      this.reset();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'event') this.event = value;
    else if (name === 'data') this.data.push(value);
  }
}

/** Reads a fetch Response body as SSE, calling onEvent(name, rawData) as events arrive. */
export async function readSse(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parser = new SseParser(onEvent);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode());
  } finally {
    parser.finish();
    reader.releaseLock();
  }
}
