"""bench/soak's editor: publishes a new story through the Admin API twice a second
until told to stop, and times how long each takes to reach the edition's front page.

    python3 publisher.py BASE_URL TOKEN SECONDS OUT_JSON

Loopback only (BASE_URL is the node under test). Prints nothing; writes a summary."""

import json
import sys
import time
import urllib.error
import urllib.request

base, token, seconds, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
PERIOD = 0.5
BODY = "\n\n".join(
    f"Paragraph {i} of a story the soak benchmark publishes, long enough to look like "
    "a short news item with a few sentences of ordinary text in it." for i in range(1, 6)
)


def call(method, path, payload=None):
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


def on_front(title, deadline):
    while time.monotonic() < deadline:
        with urllib.request.urlopen(base + "/en/", timeout=10) as response:
            if title.encode() in response.read():
                return True
        time.sleep(0.002)
    return False


published, errors, seen = 0, [], []
start = time.monotonic()
n = 0
while time.monotonic() - start < seconds:
    tick = start + n * PERIOD
    n += 1
    title = f"Soak story number {n} at {int(time.time())}"
    try:
        t0 = time.monotonic()
        status, _ = call("POST", "/api/v1/admin/articles", {
            "edition": "en", "section": "analytics", "title": title,
            "body": BODY, "status": "published",
        })
        if status != 201:
            errors.append(f"status {status}")
        else:
            published += 1
            # Every 10th story: how long until readers of the front page see it.
            if n % 10 == 0:
                if on_front(title, time.monotonic() + 5):
                    seen.append((time.monotonic() - t0) * 1000)
                else:
                    errors.append("not on the front page within 5 s")
    except (urllib.error.URLError, OSError) as e:
        errors.append(str(e)[:200])
    pause = tick + PERIOD - time.monotonic()
    if pause > 0:
        time.sleep(pause)

seen.sort()
with open(out, "w") as f:
    json.dump({
        "published": published,
        "errors": len(errors),
        "first_errors": errors[:5],
        "front_ms_p50": seen[len(seen) // 2] if seen else None,
        "front_ms_max": seen[-1] if seen else None,
        "front_checked": len(seen),
    }, f)
