"""A fake Pyroscope for bench/service.py's push rows: POST {base}/{mode}/ingest answers as `mode`
says, so one server plays every fault at once.

  ok     200 at once          500    500 at once (the agent retries with backoff)
  400    400 at once (dropped, not retried)
  slow   200 after 3 s        hang   holds the request 120 s (the agent's push.timeout fires)
  down   (not served here: push.url points at a port nothing listens on)

The bodies are read and counted, never parsed (the Java tests check the contract).
"""
import http.server, socket, threading, time

DELAY = {"slow": 3, "hang": 120}
STATUS = {"ok": 200, "slow": 200, "hang": 200, "500": 500, "400": 400}


class Handler(http.server.BaseHTTPRequestHandler):
    counts = {}
    lock = threading.Lock()

    def do_POST(self):
        mode = self.path.strip("/").split("/")[0]
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with Handler.lock:
            Handler.counts[mode] = Handler.counts.get(mode, 0) + 1
        time.sleep(DELAY.get(mode, 0))
        self.send_response(STATUS.get(mode, 404))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def start():
    """Starts the fake on a free loopback port; returns (base URL, URL of a port that is down)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with socket.socket() as s:  # bound and closed: connections to it are refused
        s.bind(("127.0.0.1", 0))
        down = "http://127.0.0.1:%d" % s.getsockname()[1]
    return "http://127.0.0.1:%d" % server.server_address[1], down
