"""The web UI end to end: `lambdalab serve` with a power tuning and a small suite run against it through
--endpoint, the UI's JSON endpoints and static assets over HTTP, the pure JS helpers under node's test
runner, and the pages in headless Chromium (tests/clients/web_ui_test.mjs), which saves screenshots
to tests/ui/screenshots/. Expectations come from the store (SQLite), not from the UI's own API."""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import BUILD_DIR, CLIENTS_DIR, LAMBDALAB_BIN, REPO, Emulator, function, wait_until  # noqa: E402

WEB_UI = REPO / "web-ui"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
HELLO = function("hello", "python3.12", "app.handler", REPO / "workloads" / "hello" / "python")
# CPU-bound (Power Tuning's example): 128 MB gets a fraction of a vCPU, so the sizes differ in speed and cost.
PRIMES = function("primes-cpp", "provided.al2023", "bootstrap", BUILD_DIR / "functions" / "primes-cpp", MemorySize=1769, Timeout=60)
PRIMES_PAYLOAD = '{"n": 20, "max": 1000000}'

# A suite with something to see: warm and forced-cold invocations, a burst over reserved concurrency
# 1 (throttles), and an open loop with a pause longer than the idle lifetime (sandboxes reclaimed).
SUITE = {
    "name": "ui-suite",
    "function": "hello",
    "payload": {"name": "suite"},
    "variants": [
        {"name": "warm", "start": "warm", "load": {"num": 10}},
        {"name": "cold", "start": "cold", "load": {"num": 3}},
        {"name": "burst", "memory": 256, "reservedConcurrency": 1, "load": {"num": 6, "parallel": True}},
        {"name": "gaps", "load": {"phases": [{"duration": 1, "arrivalRate": 4}, {"pause": 2.5},
                                             {"duration": 1, "arrivalRate": 4}]}},
    ],
}

LIVE_SUITE = {"name": "ui-live", "function": "hello",
              "variants": [{"name": "steady", "load": {"phases": [{"duration": 5, "arrivalRate": 10}]}}]}


def recommend(stats, strategy, weight=0.5):
    """Power Tuning's analyzer (emulator/lab/power_tuning.cpp), written again for the expectations."""
    kept = [s for s in stats if s["averageDuration"]]
    if strategy == "cost":
        return sorted(kept, key=lambda s: (s["averagePrice"], s["averageDuration"]))[0]["value"]
    if strategy == "speed":
        return sorted(kept, key=lambda s: (s["averageDuration"], s["averagePrice"]))[0]["value"]
    max_cost = max(s["averagePrice"] for s in kept)
    max_duration = max(s["averageDuration"] for s in kept)
    return sorted(kept, key=lambda s: weight * s["averagePrice"] / max_cost
                  + (1 - weight) * s["averageDuration"] / max_duration)[0]["value"]


class WebUiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emulator = Emulator([HELLO, PRIMES], profile="aws-2026", settings=["lifecycle.idle_lifetime_s=1"]).start()
        url = cls.emulator.url
        tune = subprocess.run([LAMBDALAB_BIN, "tune", "primes-cpp", "--memory", "128,512,1769", "--num", "5",
                               "--payload", PRIMES_PAYLOAD, "--endpoint", url], capture_output=True, text=True, timeout=120)
        if tune.returncode != 0:
            raise AssertionError(f"tune failed: {tune.stdout}{tune.stderr}")
        cls.scratch = Path(tempfile.mkdtemp(prefix="lambdalab-ui-"))
        suite = cls.scratch / "ui-suite.json"
        suite.write_text(json.dumps(SUITE))
        bench = subprocess.run([LAMBDALAB_BIN, "bench", str(suite), "--endpoint", url], capture_output=True, text=True, timeout=120)
        if bench.returncode != 0:
            raise AssertionError(f"bench failed: {bench.stdout}{bench.stderr}")

    @classmethod
    def tearDownClass(cls):
        code = cls.emulator.stop()
        output = "".join(cls.emulator.output)
        cls.emulator.cleanup()
        shutil.rmtree(cls.scratch, ignore_errors=True)
        if code != 0:
            raise AssertionError(f"lambdalab exited with {code}:\n{output[-4000:]}")

    def get(self, path, headers=None):
        return self.emulator.request("GET", path, headers=headers or {})

    def rows(self, sql, *params):
        with sqlite3.connect(f"file:{self.emulator.data_dir / 'lambdalab.db'}?mode=ro", uri=True, timeout=10) as db:
            return db.execute(sql, params).fetchall()

    # -- static assets -----------------------------------------------------------------------------
    def test_the_ui_is_served_with_types_and_caching(self):
        page = self.get("/")
        self.assertEqual(page.status, 200)
        self.assertEqual(page.headers["content-type"], "text/html; charset=utf-8")
        self.assertEqual(page.headers["cache-control"], "no-cache")
        self.assertIn("default-src 'self'", page.headers["content-security-policy"])
        html = page.body.decode()
        script = re.search(r'src="(/assets/app-[\w-]+\.js)"', html).group(1)
        style = re.search(r'href="(/assets/app-[\w-]+\.css)"', html).group(1)
        for path, kind in ((script, "text/javascript; charset=utf-8"), (style, "text/css; charset=utf-8")):
            asset = self.get(path)
            self.assertEqual((asset.status, asset.headers["content-type"]), (200, kind), path)
            self.assertEqual(asset.headers["cache-control"], "public, max-age=31536000, immutable")
            # A revalidation with the ETag is a 304 without a body.
            again = self.get(path, {"If-None-Match": asset.headers["etag"]})
            self.assertEqual((again.status, again.body), (304, b""))
        head = self.emulator.request("HEAD", script)
        self.assertEqual((head.status, head.body), (200, b""))
        self.assertEqual(int(head.headers["content-length"]), len(self.get(script).body))
        self.assertEqual(self.get("/favicon.svg").headers["content-type"], "image/svg+xml")
        # The bundle is self-contained: no CDN, no remote fonts.
        self.assertNotRegex(self.get(script).body.decode(), r"https?://(cdn|unpkg|fonts)\.")

    def test_missing_files_and_escapes_are_404(self):
        for path in ("/nope.html", "/assets/none.js", "/assets/..%2F..%2Fetc%2Fpasswd", "/.git/config", "/assets/%2e%2e/index.html"):
            answer = self.get(path)
            self.assertEqual(answer.status, 404, path)
            self.assertTrue(answer.headers["content-type"].startswith("text/html"), path)
        # Lambda's paths and methods other than GET are still Lambda's.
        self.assertEqual(self.emulator.invoke("hello", {"name": "api"}).status, 200)
        unknown = self.emulator.request("GET", "/2015-03-31/nothing")
        self.assertEqual((unknown.status, unknown.error_type), (404, "UnknownOperationException"))
        self.assertEqual(self.emulator.request("POST", "/", b"{}").error_type, "UnknownOperationException")

    def test_an_unbuilt_ui_answers_503_and_the_apis_still_work(self):
        with tempfile.TemporaryDirectory(prefix="lambdalab-no-ui-") as empty:
            os.environ["LAMBDALAB_WEB_UI_DIR"] = empty
            try:
                emulator = Emulator([HELLO]).start()
            finally:
                del os.environ["LAMBDALAB_WEB_UI_DIR"]
            try:
                wait_until(lambda: any("web UI on http://" in line and "not built" in line for line in emulator.output),
                           message="the banner saying the UI is not built")
                page = emulator.request("GET", "/")
                self.assertEqual(page.status, 503)
                self.assertIn(b"The web UI is not built", page.body)
                self.assertIn(empty.encode(), page.body)
                self.assertEqual(emulator.request("GET", "/api/functions").status, 200)
            finally:
                self.assertEqual(emulator.stop(), 0)
                emulator.cleanup()

    # -- JSON endpoints ----------------------------------------------------------------------------
    def test_emulator_endpoint(self):
        info = self.get("/api/emulator").json()
        self.assertEqual((info["profile"], info["region"]), ("aws-2026", "us-east-1"))
        self.assertEqual(info["settings"]["lifecycle.idle_lifetime_s"], 1)
        self.assertGreaterEqual(info["hostCores"], 1)
        self.assertRegex(info["resourceControl"], r"^(cgroup-v2|cgroup-v1|fallback|none)")
        self.assertRegex(info["version"], r"^\d+\.\d+\.\d+$")
        self.assertTrue(info["webUi"].endswith("web-ui") or info["webUi"].endswith("dist"))

    def test_functions_endpoints(self):
        self.emulator.invoke("hello", {"name": "list"})
        listed = {f["name"]: f for f in self.get("/api/functions").json()["functions"]}
        self.assertEqual(set(listed), {"hello", "primes-cpp"})
        self.assertEqual(listed["hello"]["runtime"], "python3.12")
        self.assertGreaterEqual(listed["hello"]["recent"]["invocations"], 1)
        self.assertGreaterEqual(listed["hello"]["sandboxes"]["total"], 1)
        detail = self.get("/api/functions/hello?limit=5").json()
        self.assertEqual(detail["configuration"]["FunctionName"], "hello")
        self.assertEqual(len(detail["invocations"]), 5)
        self.assertGreater(detail["invocations"][0]["startMs"], detail["invocations"][-1]["startMs"])  # newest first
        states = {s["state"] for s in detail["sandboxes"]}
        self.assertTrue(states <= {"warm", "busy", "frozen", "initializing"}, states)
        live = {pid for (pid,) in self.rows("SELECT pid FROM sandboxes WHERE ended_at_ms IS NULL AND function = 'hello'")}
        self.assertTrue({s["pid"] for s in detail["sandboxes"]} <= live | {None})
        logs = self.get("/api/functions/hello/logs?limit=2").json()["logs"]
        self.assertEqual(len(logs), 2)
        self.assertIn("REPORT RequestId:", logs[-1]["message"])
        missing = self.get("/api/functions/nope")
        self.assertEqual((missing.status, missing.json()["error"]), (404, "NotFound"))
        self.assertEqual(self.emulator.request("POST", "/api/functions", b"{}").status, 405)
        self.assertEqual(self.get("/api/functions/hello?limit=0").status, 400)

    def test_timeline_of_a_run_matches_the_store(self):
        timeline = self.get("/api/timeline?run=1").json()
        self.assertEqual(timeline["source"]["run"]["kind"], "tune")
        stored = self.rows("SELECT request_id, sandbox_id, cold FROM invocations WHERE run_id = '1' ORDER BY start_time_ms, id")
        self.assertEqual([(i["requestId"], i["sandboxId"], int(i["cold"])) for i in timeline["invocations"]], stored)
        self.assertEqual({s["id"] for s in timeline["sandboxes"]}, {sandbox for _, sandbox, _ in stored})
        # Each new memory size discards the warm sandboxes; the last one is reclaimed when idle.
        reasons = sorted(sandbox["endReason"] or "live" for sandbox in timeline["sandboxes"])
        self.assertEqual(reasons[:2], ["function changed", "function changed"])
        self.assertIn(reasons[2], ("function changed", "idle", "live"))
        cold = [i for i in timeline["invocations"] if i["cold"]]
        self.assertTrue(all(i["bootMs"] > 0 and i["initMs"] > 0 for i in cold))
        one = self.get("/api/timeline?run=1&variant=512&limit=2").json()
        self.assertEqual(({i["variant"] for i in one["invocations"]}, len(one["invocations"]), one["truncated"]), ({"512"}, 2, True))
        self.assertEqual(self.get("/api/timeline?run=99").status, 404)
        self.assertEqual(self.get("/api/timeline").status, 400)
        self.assertEqual(self.get("/api/timeline?run=1&function=hello").status, 400)

    def test_timeline_of_a_function_window(self):
        [(first, last)] = self.rows("SELECT min(start_time_ms), max(start_time_ms) FROM invocations WHERE function = 'hello'")
        window = self.get(f"/api/timeline?function=hello&from={first}&to={last}").json()
        [(count,)] = self.rows("SELECT count(*) FROM invocations WHERE function = 'hello' AND start_time_ms BETWEEN ? AND ?", first, last)
        self.assertEqual(len(window["invocations"]), count)
        # A window after the run still shows the sandboxes alive in it.
        later = self.get(f"/api/timeline?function=hello&from={last + 1}&to={last + 2}").json()
        self.assertEqual(later["invocations"], [])
        for sandbox in later["sandboxes"]:
            self.assertTrue(sandbox["endedAtMs"] is None or sandbox["endedAtMs"] >= last + 1)
        self.assertEqual(self.get("/api/timeline?function=hello&from=5&to=1").status, 400)

    def test_series_of_a_variant(self):
        series = self.get("/api/series?run=1&variant=128").json()
        self.assertEqual((series["count"], series["truncated"]), (5, False))
        columns = series["columns"]
        self.assertEqual(len(columns["durationMs"]), 5)
        self.assertEqual(sum(columns["cold"]), 1)
        self.assertEqual(columns["startMs"], sorted(columns["startMs"]))
        self.assertEqual(self.get("/api/series?run=1").status, 400)
        self.assertEqual(self.get("/api/series?run=42&variant=128").status, 404)

    # -- JS ----------------------------------------------------------------------------------------
    def test_js_helpers_under_node_test(self):
        result = subprocess.run(["node", "--test", "test/"], cwd=WEB_UI, capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r"# fail 0")

    def test_pages_in_a_browser(self):
        if not (CLIENTS_DIR / "node_modules" / "playwright-core").is_dir():
            raise AssertionError("tests/clients is not installed: run `make test` (it runs npm ci there)")
        if not Path("/usr/bin/chromium").exists():
            raise AssertionError("Chromium is missing: run `scripts/install-deps.sh --test`")
        [tune] = [r for r in self.get("/api/runs").json()["runs"] if r["kind"] == "tune"]
        [suite] = [r for r in self.get("/api/runs").json()["runs"] if r["kind"] == "suite"]
        tuned = self.get(f"/api/runs/{tune['id']}").json()
        points = [v["result"] for v in tuned["variants"]]
        pair = [p for p in points if p["value"] in (128, 1769)]

        def distinct(sql, run):
            return self.rows(sql, str(run))[0][0]

        spec = {
            "url": self.emulator.url,
            "screenshots": str(SCREENSHOTS),
            "function": "hello",
            "tune": {
                "run": tune["id"],
                "sizes": [128, 512, 1769],
                "pair": ["128", "1769"],
                "pairRecommended": {s: recommend(pair, s) for s in ("cost", "speed", "balanced")},
                "power": tuned["result"]["powerTuning"]["primes-cpp"]["power"],
                "sandboxes": distinct("SELECT count(DISTINCT sandbox_id) FROM invocations WHERE run_id = ?", tune["id"]),
                "invocations": distinct("SELECT count(*) FROM invocations WHERE run_id = ? AND sandbox_id IS NOT NULL", tune["id"]),
                "coldStarts": distinct("SELECT count(*) FROM invocations WHERE run_id = ? AND cold = 1", tune["id"]),
            },
            "suite": {
                "run": suite["id"],
                "variants": [v["name"] for v in SUITE["variants"]],
                "sandboxes": distinct("SELECT count(DISTINCT sandbox_id) FROM invocations WHERE run_id = ?", suite["id"]),
                "throttles": distinct("SELECT count(*) FROM invocations WHERE run_id = ? AND sandbox_id IS NULL", suite["id"]),
                "reclaimed": self.rows("SELECT count(*) FROM sandboxes WHERE end_reason = 'idle'")[0][0],
            },
        }
        self.assertGreater(spec["suite"]["throttles"], 0, "the burst variant should have been throttled")
        # A run in progress while the browser watches its page: 5 s of 10 invocations a second.
        live_suite = self.scratch / "ui-live.json"
        live_suite.write_text(json.dumps(LIVE_SUITE))
        spec["live"] = {"run": max(tune["id"], suite["id"]) + 1, "atLeast": 45}
        bench = subprocess.Popen([LAMBDALAB_BIN, "bench", str(live_suite), "--endpoint", self.emulator.url],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            result = subprocess.run(["node", str(CLIENTS_DIR / "web_ui_test.mjs"), json.dumps(spec)], cwd=CLIENTS_DIR,
                                    capture_output=True, text=True, timeout=180)
        finally:
            output, _ = bench.communicate(timeout=60)
        self.assertEqual(bench.returncode, 0, output)
        lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
        self.assertTrue(lines, result.stdout + result.stderr)
        report = json.loads(lines[-1])
        self.assertTrue(report["ok"], json.dumps(report, indent=2) + result.stderr)
        self.assertEqual(result.returncode, 0, result.stderr)
        for name in ("run-live", "runs", "compare-two-variants", "compare-tuning", "compare-suite", "timeline-tuning", "timeline-suite", "functions"):
            self.assertTrue((SCREENSHOTS / f"{name}.png").stat().st_size > 10000, name)


if __name__ == "__main__":
    unittest.main()
