#!/usr/bin/env python3
"""Regenerates scripts/release.order, the function order scripts/release.sh links `strata` with.

A server touches a few thousand functions spread over 35 MB of code; the kernel maps 64 KB around
every page touched, so scattered code kept ~20 MB of the binary resident at idle. Linked in the
order this script writes (the request path first, then what start-up runs), that code is packed
together: idle RSS 33 -> 26 MB, requests as fast (bench/FINDINGS.md).

    scripts/release-order.py --project DIR --path /api/articles --path /api/articles/<documentId>

DIR is a project with content (e.g. bench/run.sh's 1k project); each --path is a Content API
request to serve. Needs `perf` and `wrk`. Re-run after large code changes: functions it does not
name are still linked, only further away (lld ignores names that no longer exist).

How: every round links with the order so far, starts `strata start` with its binary dropped from
the page cache under `perf record -e page-faults -g`, serves the paths, and appends every function
of the binary seen on a faulting stack. Functions already ordered are packed, so later rounds fault
on the ones still missing, until rounds find little new. The hot request path (stacks sampled under
load with `wrk`) goes first.
"""
import argparse
import collections
import os
import signal
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORDER = os.path.join(ROOT, "scripts", "release.order")
PORT = 18390


def link(order_path, round_number):
    """Links `strata` as scripts/release.sh does, with `order_path`; returns a copy of the binary."""
    env = dict(os.environ, STRATA_RELEASE_ORDER=order_path)
    # The first link compiles Strata afresh; later rounds change only the order, so only relink.
    if round_number > 0:
        env["STRATA_RELEASE_RELINK"] = "1"
    built = subprocess.run([os.path.join(ROOT, "scripts", "release.sh")], cwd=ROOT, env=env, capture_output=True, text=True)
    if built.returncode != 0:
        sys.exit(built.stdout[-4000:] + built.stderr[-4000:])
    binary = f"/tmp/strata-order-{os.getpid()}-{round_number}"
    subprocess.run(["cp", os.path.join(ROOT, ".build", "release", "strata"), binary], check=True)
    return binary


def evict(binary):
    fd = os.open(binary, os.O_RDONLY)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    os.close(fd)


def serve(binary, project, perf_args, paths, load_seconds=0):
    """Runs the server under `perf record perf_args`, requests `paths`, stops it; returns idle RSS (MB)."""
    env = dict(os.environ, PORT=str(PORT), HOST="127.0.0.1", LOG_LEVEL="warning")
    data = f"/tmp/strata-order-{os.getpid()}.data"
    perf = subprocess.Popen(["perf", "record", "-q", "-o", data] + perf_args + ["--", binary, "start", "--project", project],
                            cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{PORT}"
    for _ in range(500):
        try:
            urllib.request.urlopen(base + "/_health", timeout=1)
            break
        except OSError:
            time.sleep(0.02)
    else:
        sys.exit("strata did not start")
    time.sleep(1.5)
    pid = int(subprocess.run(["pgrep", "-f", f"^{binary} start"], capture_output=True, text=True).stdout.split()[0])
    with open(f"/proc/{pid}/status") as status:
        rss = next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))
    for path in paths:
        for _ in range(3):
            urllib.request.urlopen(base + path).read()
        if load_seconds:
            subprocess.run(["wrk", "-t1", "-c16", f"-d{load_seconds}s", base + path], check=True, stdout=subprocess.DEVNULL)
    os.kill(pid, signal.SIGTERM)
    perf.wait()
    return rss, data


def binary_functions(data, binary):
    """Functions of `binary` on the sampled stacks, most frequent first (mangled names)."""
    script = subprocess.run(["perf", "script", "--no-demangle", "-i", data, "-F", "ip,sym,dso"],
                            capture_output=True, text=True).stdout
    counts = collections.Counter()
    for block in script.split("\n\n"):
        names = set()
        for line in block.strip().split("\n"):
            parts = line.split()
            if len(parts) >= 3 and parts[-1] == f"({binary})" and not parts[1].startswith("["):
                names.add(parts[1].split("+")[0])
        counts.update(names)
    return [name for name, _ in counts.most_common()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", required=True)
    parser.add_argument("--path", action="append", required=True, help="a request to serve (repeatable)")
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--output", default=ORDER)
    args = parser.parse_args()
    project = os.path.abspath(args.project)
    order, known = [], set()

    def extend(names):
        new = [name for name in names if name not in known]
        known.update(new)
        order.extend(new)
        return len(new)

    def written(round_number):
        # A new file each round: release.sh names its copy after the content, so every round relinks.
        path = f"/tmp/strata-order-{os.getpid()}-{round_number}.txt"
        with open(path, "w") as file:
            file.write("\n".join(order) + "\n")
        return path

    binary = link(written(0), 0)
    _, data = serve(binary, project, ["-e", "task-clock", "-g"], args.path, load_seconds=3)
    print(f"hot path: {extend(binary_functions(data, binary))} functions", flush=True)
    for round_number in range(1, args.rounds + 1):
        binary = link(written(round_number), round_number)
        evict(binary)
        rss, data = serve(binary, project, ["-e", "page-faults", "-c", "1", "-d", "-g"], args.path)
        found = extend(binary_functions(data, binary))
        print(f"round {round_number}: idle RSS {rss:.1f} MB with {len(order) - found} functions ordered; {found} more found", flush=True)
        os.remove(binary)
        if found < 50:
            break
    with open(args.output, "w") as file:
        file.write("\n".join(order) + "\n")
    print(f"wrote {args.output}: {len(order)} functions")


if __name__ == "__main__":
    main()
