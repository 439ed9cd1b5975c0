"""Raises and ends alerts through the Admin API of one node and times how long each
node's readers take to see the change (bench/alerts/run). Loopback only.

Usage: propagation.py ROUNDS TOKEN WRITER_URL LABEL READER_URL [LABEL READER_URL ...]"""

import json
import statistics
import sys
import time
import urllib.request

PAGE = "/en/analytics"
POLL = 0.002
GIVE_UP = 10.0


def get(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=5) as r:
        body = r.read().decode()
    return body, time.perf_counter() - started


def post(url, token, body):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode() if body is not None else b"",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as r:
        text = r.read().decode()
        return json.loads(text) if text else None


def wait(reader, text, present):
    """Seconds until `text` is on (or off) the reader's page, and the first request's
    own time after the change showed (the render the purge caused)."""
    started = time.perf_counter()
    while True:
        body, took = get(reader + PAGE)
        if (text in body) == present:
            return time.perf_counter() - started, took
        if time.perf_counter() - started > GIVE_UP:
            raise SystemExit(f"{reader}: not {'shown' if present else 'gone'} after {GIVE_UP} s")
        time.sleep(POLL)


def ms(values, f):
    return f"{f(values) * 1000:.1f} ms"


def main():
    rounds, token, writer = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    pairs = sys.argv[4:]
    readers = [(pairs[i], pairs[i + 1]) for i in range(0, len(pairs) - 1, 2)]
    shown = {name: [] for name, _ in readers}
    gone = {name: [] for name, _ in readers}
    render = {name: [] for name, _ in readers}
    for _, url in readers:
        get(url + PAGE)  # cached before the first alert
    for i in range(rounds):
        text = f"Bench alert number {i} {time.time_ns()}"
        alert = post(writer + "/api/v1/admin/alerts", token, {"edition": "en", "text": text, "minutes": 5})
        for name, url in readers:
            took, first = wait(url, text, True)
            shown[name].append(took)
            render[name].append(first)
        post(f"{writer}/api/v1/admin/alerts/{alert['id']}/end", token, None)
        for name, url in readers:
            took, first = wait(url, text, False)
            gone[name].append(took)
            render[name].append(first)
    for name, _ in readers:
        print(
            f"| {name} | {ms(shown[name], statistics.median)} | {ms(shown[name], max)} "
            f"| {ms(gone[name], statistics.median)} | {ms(gone[name], max)} "
            f"| {ms(render[name], statistics.median)} | {ms(render[name], max)} |"
        )


if __name__ == "__main__":
    main()
