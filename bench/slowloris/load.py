#!/usr/bin/env python3
"""Slow clients against one server, and how a new reader fares meanwhile.

Used by bench/slowloris/run (see there for the why). Standard library only; loopback only.

  load.py --url http://127.0.0.1:PORT --path /en/ --slow 1000 --samples 200 --deadline 60

1. `--samples` GETs of --path, one new connection each (a new reader), one after the other:
   the latency with nobody else on the server.
2. `--slow` connections, half sending headers a line every 2 s and never finishing them,
   half sending complete headers that promise a 10 kB body and then a byte every 300 ms.
3. While they trickle, the same `--samples` GETs again.
4. Wait (up to --deadline s) for the server to close every slow connection; note when.
Prints one line per phase, `RESULT key=value ...`, for the run script's table.
"""

import argparse
import asyncio
import statistics
import time


async def fetch(host, port, path):
    """One GET on a new connection; seconds until the whole answer arrived, status."""
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
                 "User-Agent: Mozilla/5.0 (bench)\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    elapsed = time.perf_counter() - start
    writer.close()
    status = data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/") else "none"
    return elapsed, status


async def readers(host, port, path, samples):
    times, bad = [], 0
    for _ in range(samples):
        elapsed, status = await fetch(host, port, path)
        times.append(elapsed * 1000)
        bad += status != "200"
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 2),
        "max_ms": round(times[-1], 2),
        "non200": bad,
    }


async def slow_client(host, port, path, kind, started, closed_at):
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        closed_at.append(None)
        return

    async def trickle():
        if kind == "headers":
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n".encode())
            for i in range(1000):
                await asyncio.sleep(2)
                writer.write(f"X-Slow-{i}: a\r\n".encode())
                await writer.drain()
        else:
            writer.write(f"POST /csp-report HTTP/1.1\r\nHost: {host}\r\n"
                         "Content-Type: application/csp-report\r\nContent-Length: 10000\r\n\r\n".encode())
            for _ in range(10000):
                await asyncio.sleep(0.3)
                writer.write(b"x")
                await writer.drain()

    task = asyncio.ensure_future(trickle())
    try:
        while await reader.read(4096):
            pass
    except OSError:
        pass
    closed_at.append(time.perf_counter() - started)
    task.cancel()
    writer.close()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--path", default="/en/")
    ap.add_argument("--slow", type=int, default=1000)
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--deadline", type=float, default=60)
    args = ap.parse_args()
    host, port = args.url.removeprefix("http://").split(":")
    port = int(port.rstrip("/"))
    assert host in ("127.0.0.1", "localhost"), "loopback only"

    quiet = await readers(host, port, args.path, args.samples)
    print("RESULT phase=alone " + " ".join(f"{k}={v}" for k, v in quiet.items()), flush=True)

    started = time.perf_counter()
    closed_at = []
    slow = [asyncio.ensure_future(slow_client(host, port, args.path,
                                              "headers" if i % 2 else "body", started, closed_at))
            for i in range(args.slow)]
    await asyncio.sleep(1)  # all connected and trickling
    busy = await readers(host, port, args.path, args.samples)
    print("RESULT phase=slow " + " ".join(f"{k}={v}" for k, v in busy.items()), flush=True)

    done, pending = await asyncio.wait(slow, timeout=args.deadline)
    for task in pending:
        task.cancel()
    refused = sum(1 for c in closed_at if c is None)
    closed = [c for c in closed_at if c is not None]
    print(f"RESULT phase=closed slow={args.slow} closed_by_server={len(closed)} refused={refused} "
          f"still_open={len(pending)} last_closed_s={round(max(closed), 1) if closed else 'none'}",
          flush=True)


if __name__ == "__main__":
    asyncio.run(main())
