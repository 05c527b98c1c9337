"""Benchmark, not a test: what the most expensive anonymous requests cost on a running
server, and how much of `/projects/` throughput is left while 10 clients send the most
expensive one. Prints one JSON line per figure.

    scripts/costlytest.sh            # builds 100,000 synthetic projects, starts gunicorn, runs this
    python scripts/costly_requests.py http://127.0.0.1:8765   # against a server already running

Each candidate carries a random extra parameter so that the page cache never answers it
(an attacker can always do that). Throughput is measured with wrk.
"""

import json
import random
import string
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

CANDIDATES = [
    "/projects/",
    "/projects/?q=мост",
    "/projects/?q=a",
    "/projects/?q=a+b+c+d+e+f+g+h",
    "/projects/?q=" + "+".join(["a"] * 100),
    "/projects/?partner=a",
    "/projects/?partner=²",
    "/projects/?export=csv",
    "/projects/?export=xlsx",
    "/projects/?export=json",
    "/projects/?region=amur-oblast&export=xlsx",
    "/projects/?disputed=yes",
    "/projects/?ordering=-amount&page=1000",
    "/projects/?page=99999999999999999999",
    "/projects/?evidence_in=3&partner_country=CN&ordering=-status",
    "/unresolved/",
    "/unresolved/?q=a",
    "/unresolved/?export=csv",
    "/unresolved/?region=amur-oblast&export=xlsx",
    "/",
    "/?cycle=I",
    "/regions/",
    "/regions/amur-oblast/",
    "/organizations/1/",
    "/releases/",
]


def bust(url):
    url = urllib.parse.quote(url, safe="/?&=+%")
    token = "".join(random.choices(string.ascii_lowercase, k=8))
    return url + ("&" if "?" in url else "?") + f"_={token}"


def fetch(base, url):
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(base + bust(url), timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return time.perf_counter() - started, status


def wrk(url, seconds):
    out = subprocess.run(
        ["wrk", "--threads", "2", "--connections", "8", "--duration", f"{seconds}s", url],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")))
    non2xx = sum(int(line.split()[-1]) for line in out.splitlines() if "Non-2xx" in line)
    return rps, non2xx


def main(base, seconds=15, attackers=10):
    timings = []
    for url in CANDIDATES:
        runs = [fetch(base, url) for _ in range(3)]
        worst = max(t for t, _ in runs)
        timings.append((worst, url, runs[-1][1]))
        print(json.dumps({"figure": "request_seconds_max_of_3", "url": url, "status": runs[-1][1], "value": round(worst, 3)}), flush=True)
    worst, costly, status = max(timings)
    print(json.dumps({"figure": "most_expensive_request", "url": costly, "status": status, "seconds": round(worst, 3)}), flush=True)

    alone, errors = wrk(base + "/projects/", seconds)
    print(json.dumps({"figure": "projects_requests_per_second", "attack": None, "value": alone, "non_2xx": errors}), flush=True)

    stop = threading.Event()
    answered = []

    def attack():
        while not stop.is_set():
            answered.append(fetch(base, costly))

    threads = [threading.Thread(target=attack, daemon=True) for _ in range(attackers)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    loaded, errors = wrk(base + "/projects/", seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=90)
    statuses = sorted({s for _, s in answered})
    print(json.dumps({
        "figure": "projects_requests_per_second", "attack": costly, "attackers": attackers, "value": loaded,
        "non_2xx": errors, "attack_requests": len(answered), "attack_statuses": statuses,
        "attack_seconds_max": round(max((t for t, _ in answered), default=0), 3),
    }), flush=True)
    print(json.dumps({"figure": "projects_throughput_kept", "value": round(loaded / alone, 2), "target": 0.5}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8765")
