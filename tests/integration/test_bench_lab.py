"""The benchmark lab end to end: `lambdalab bench` (in-process and against a running emulator), `runs`,
`report`, `tune`, the /api/runs endpoints, Ctrl-C, and the built-in suites. Real processes, real HTTP,
real SQLite: the assertions read the rows the emulator and the runner stored."""
import base64
import json
import math
import re
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import BUILD_DIR, LAMBDALAB_BIN, REPO, Emulator, cpp_function, python_function  # noqa: E402

SUITES = REPO / "bench" / "suites"


def run(*args, timeout=240):
    return subprocess.run([LAMBDALAB_BIN, *args], capture_output=True, text=True, timeout=timeout)


def rows(data_dir, sql, *params):
    with sqlite3.connect(f"file:{Path(data_dir) / 'lambdalab.db'}?mode=ro", uri=True, timeout=10) as db:
        return db.execute(sql, params).fetchall()


def noop_function(name="noop", **config):
    entry = {"FunctionName": name, "Runtime": "provided.al2023", "Handler": "bootstrap",
             "CodeDirectory": str(BUILD_DIR / "functions" / "noop-cpp"), "MemorySize": 128, "Timeout": 3}
    entry.update(config)
    return entry


def write_json(directory, name, document):
    path = Path(directory) / name
    path.write_text(json.dumps(document))
    return path


def trimmed_mean(values, discard):
    """Power Tuning's computeAverageDuration, transcribed."""
    drop = int(len(values) * discard)
    kept = sorted(values)[drop:len(values) - drop if drop else len(values)]
    return sum(kept) / (len(values) - 2 * drop)


class SmokeSuiteTest(unittest.TestCase):
    """bench/suites/smoke.json, in-process, as .ci/run runs it."""

    def test_smoke_suite_runs_into_sqlite_and_reports(self):
        with tempfile.TemporaryDirectory(prefix="lab-smoke-") as data:
            csv_file, json_file = Path(data) / "smoke.csv", Path(data) / "smoke.json"
            out = run("bench", str(SUITES / "smoke.json"), "--data-dir", data, "--csv", str(csv_file), "--json", str(json_file))
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            self.assertRegex(out.stdout, r"smoke: warm p50 [\d.]+ ms, cold start init [\d.]+ ms, 40 concurrent invocations with 0 errors")
            self.assertIn("run 1 complete", out.stdout)

            [(run_id, status, invocations, headline)] = rows(data, "SELECT id, status, invocations, headline FROM runs")
            self.assertEqual((run_id, status), (1, "complete"))
            self.assertTrue(headline.startswith("smoke: warm p50"))
            variants = dict(rows(data, "SELECT name, status FROM variants WHERE run_id = 1"))
            self.assertEqual(variants, {"warm-serial": "complete", "cold": "complete", "concurrent": "complete", "open-loop": "complete"})
            # Every invocation is stored, linked to its variant (warm-ups apart), with its phases and cost.
            counts = dict(rows(data, "SELECT variant, count(*) FROM invocations WHERE run_id = '1' GROUP BY variant"))
            self.assertEqual(counts["warm-serial"], 20)
            self.assertEqual(counts["cold"], 3)
            self.assertEqual(counts["concurrent"], 40)
            self.assertGreater(counts["open-loop"], 10)
            self.assertEqual(counts["warm-serial/warmup"], 1)
            self.assertEqual(sum(counts.values()), invocations)
            self.assertEqual(rows(data, "SELECT count(*) FROM invocations WHERE run_id = '1' AND cost_usd <= 0"), [(0,)])
            # Forced cold starts are all cold; the warmed-up variant is all warm.
            self.assertEqual(rows(data, "SELECT min(cold), count(init_duration_ms) FROM invocations WHERE variant = 'cold'"), [(1, 3)])
            self.assertEqual(rows(data, "SELECT max(cold) FROM invocations WHERE variant = 'warm-serial'"), [(0,)])
            self.assertEqual(rows(data, "SELECT DISTINCT memory_size_mb FROM invocations WHERE variant = 'concurrent'"), [(256,)])
            # The runner's own samples: one per measured invocation, joined by request id.
            self.assertEqual(rows(data, "SELECT count(*) FROM client_samples WHERE run_id = 1"),
                             [(invocations - counts["warm-serial/warmup"],)])
            self.assertEqual(rows(data, "SELECT count(*) FROM client_samples s JOIN invocations i ON i.request_id = s.request_id "
                                        "WHERE s.run_id = 1 AND i.variant = s.variant"), [(invocations - 1,)])
            self.assertEqual(rows(data, "SELECT count(*) FROM client_samples WHERE variant = 'open-loop' AND late_ms IS NULL"), [(0,)])

            exported = json.loads(json_file.read_text())
            self.assertEqual([v["name"] for v in exported["variants"]], ["warm-serial", "cold", "concurrent", "open-loop"])
            self.assertEqual(exported["variants"][2]["stats"]["invocations"], 40)
            csv_lines = csv_file.read_text().splitlines()
            self.assertEqual(len(csv_lines), 5)
            self.assertTrue(csv_lines[2].startswith("1,cold,complete,noop-cpp,128,3,3,0,0,3,"), csv_lines[2])

            listed = run("runs", "--data-dir", data)
            self.assertEqual(listed.returncode, 0, listed.stderr)
            self.assertRegex(listed.stdout, r"\n1\s+complete\s+suite\s+smoke\s+4\s+\d+")
            report = run("report", "1", "--data-dir", data)
            self.assertEqual(report.returncode, 0, report.stderr)
            self.assertRegex(report.stdout, r"\ncold\s+noop-cpp\s+128\s+3\s+0\s+0\s+3\s")
            self.assertIn("warm and cold", report.stdout)

    def test_two_runs_in_one_store_compare(self):
        with tempfile.TemporaryDirectory(prefix="lab-compare-") as data:
            for _ in range(2):  # the second start restores the functions the first one stored
                out = run("bench", str(SUITES / "smoke.json"), "--data-dir", data)
                self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            compare = run("report", "last", "--compare", "1", "--data-dir", data)
            self.assertEqual(compare.returncode, 0, compare.stderr)
            self.assertIn("run 2 (smoke) against run 1 (smoke)", compare.stdout)
            self.assertRegex(compare.stdout, r"\nconcurrent\s+40\s+40\s")
            missing = run("report", "9", "--data-dir", data)
            self.assertNotEqual(missing.returncode, 0)
            self.assertIn("run 9 not found", missing.stderr)


class RemoteEmulatorTest(unittest.TestCase):
    """A suite against `lambdalab serve`: the run is made through the lab API, the control plane sets
    each variant up as AWS would, and the function is restored afterwards."""

    def test_variants_are_set_up_measured_and_restored(self):
        functions = [noop_function("noop"), python_function("py", Timeout=10)]
        with Emulator(functions) as emulator, tempfile.TemporaryDirectory(prefix="lab-remote-") as scratch:
            suite = write_json(scratch, "suite.json", {
                "name": "remote", "function": "noop",
                "variants": [
                    {"name": "base", "load": {"num": 10}},
                    {"name": "big", "memory": 1024, "environment": {"MODE": "big"}, "start": "warm",
                     "load": {"num": 20, "concurrency": 4}},
                    {"name": "burst", "function": "py", "reservedConcurrency": 2, "payload": {"do": "sleep", "seconds": 0.5},
                     "load": {"phases": [{"duration": 0.5, "arrivalCount": 8}]}},
                    {"name": "other-profile", "profile": "aws-2018-vpc", "load": {"num": 3}},
                    {"name": "ghost", "function": "no-such-function", "load": {"num": 3}},
                ],
                "headline": "base {base:p50}, {burst:throttles} of {burst:count} throttled"})
            out = run("bench", str(suite), "--endpoint", emulator.url)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            self.assertRegex(out.stdout, r"base [\d.]+ ms, [4-7] of 8 throttled")
            self.assertIn("needs the aws-2018-vpc profile; the emulator at " + emulator.url + " runs none", out.stdout)
            self.assertIn("function no-such-function does not exist", out.stdout)

            details = json.loads(emulator.request("GET", "/api/runs/1").body)
            self.assertEqual(details["status"], "complete")
            by_name = {v["name"]: v for v in details["variants"]}
            self.assertEqual(by_name["other-profile"]["status"], "skipped")
            self.assertEqual(by_name["ghost"]["status"], "skipped")
            self.assertEqual(by_name["big"]["stats"]["invocations"], 20)
            self.assertEqual(by_name["big"]["stats"]["coldStarts"], 0, "warm start: the warm-up made the sandboxes")
            self.assertEqual(by_name["big"]["stats"]["memorySizeMb"], 1024)
            burst = by_name["burst"]["stats"]
            self.assertEqual(burst["throttles"] + burst["succeeded"], 8)
            self.assertEqual(burst["throttles"], 6, "eight at once against reserved concurrency 2")
            # The memory and environment a variant set were in force for its invocations.
            self.assertEqual(emulator.query("SELECT DISTINCT memory_size_mb FROM invocations WHERE variant = 'big'"), [(1024,)])
            # ... and everything is back as it was.
            config = json.loads(emulator.request("GET", "/2015-03-31/functions/noop/configuration").body)
            self.assertEqual(config["MemorySize"], 128)
            self.assertEqual(config.get("Environment", {}).get("Variables", {}), {})
            concurrency = json.loads(emulator.request("GET", "/2019-09-30/functions/py/concurrency").body)
            self.assertNotIn("ReservedConcurrentExecutions", concurrency)

            page = json.loads(emulator.request("GET", "/api/runs/1/invocations?variant=base&limit=4").body)["invocations"]
            self.assertEqual([r["variant"] for r in page], ["base"] * 4)
            after = json.loads(emulator.request("GET", f"/api/runs/1/invocations?variant=base&after={page[-1]['id']}").body)
            self.assertEqual(len(after["invocations"]), 6)
            samples = json.loads(emulator.request("GET", "/api/runs/1/samples?variant=burst").body)["samples"]
            self.assertEqual(sorted(s["outcome"] for s in samples).count("throttled"), 6)

            report = run("report", "1", "--endpoint", emulator.url)
            self.assertEqual(report.returncode, 0, report.stderr)
            self.assertIn("other-profile (skipped)", report.stdout)
            listed = run("runs", "--endpoint", emulator.url, "--json")
            self.assertEqual(json.loads(listed.stdout)["runs"][0]["name"], "remote")

    def test_lab_api_answers_json_errors(self):
        with Emulator([noop_function()]) as emulator:
            self.assertEqual(json.loads(emulator.request("GET", "/api/lab").body)["profile"], "none")
            missing = emulator.request("GET", "/api/runs/42")
            self.assertEqual(missing.status, 404)
            self.assertEqual(missing.json()["error"], "NotFound")
            self.assertEqual(emulator.request("POST", "/api/runs", b"{}").status, 400)
            created = emulator.request("POST", "/api/runs", json.dumps({"name": "by hand"}).encode())
            self.assertEqual(created.status, 201)
            run_id = created.json()["id"]
            self.assertEqual(emulator.request("POST", f"/api/runs/{run_id}/variants",
                                              json.dumps({"name": "v", "config": {"memory": 128}}).encode()).status, 201)
            self.assertEqual(emulator.invoke("noop", {}, headers={"X-Lambdalab-Run-Id": str(run_id), "X-Lambdalab-Variant": "v"}).status, 200)
            self.assertEqual(emulator.request("POST", f"/api/runs/{run_id}/finish", b'{"status": "done"}').status, 400)
            self.assertEqual(emulator.request("PUT", f"/api/runs/{run_id}/variants/nope", b'{"status": "complete"}').status, 404)
            self.assertEqual(emulator.request("DELETE", f"/api/runs/{run_id}").status, 405)
            time.sleep(0.1)  # the invocation row is committed within ~20 ms
            finished = emulator.request("POST", f"/api/runs/{run_id}/finish", b'{"status": "complete", "headline": "h"}').json()
            self.assertEqual(finished["invocations"], 1)
            self.assertEqual(finished["variants"][0]["stats"]["invocations"], 1)
            # Other /api/ paths are left to other extensions (the Lambda API answers them).
            self.assertEqual(emulator.request("GET", "/api/other").status, 404)


class SuiteValidationTest(unittest.TestCase):
    def test_a_bad_suite_names_the_field(self):
        with tempfile.TemporaryDirectory(prefix="lab-bad-") as scratch:
            suite = write_json(scratch, "bad.json", {"name": "bad", "function": "f", "load": {"num": 5},
                                                     "variants": [{"memory": 128}, {"memory": 256}, {"memory": 64}]})
            out = run("bench", str(suite), "--data-dir", scratch)
            self.assertEqual(out.returncode, 2)
            self.assertIn("suite.variants[2].memory: must be an integer between 128 and 10240", out.stderr)
            broken = Path(scratch) / "broken.json"
            broken.write_text('{"name": "x",')
            out = run("bench", str(broken), "--data-dir", scratch)
            self.assertEqual(out.returncode, 2)
            self.assertIn("not valid JSON", out.stderr)
            settings = write_json(scratch, "settings.json", {"name": "s", "function": "f", "load": {"num": 1},
                                                             "emulator": {"settings": {"cpu.nonsense": 1}}})
            out = run("bench", str(settings), "--data-dir", scratch)
            self.assertEqual(out.returncode, 2)
            self.assertIn("suite.emulator.settings: unknown setting 'cpu.nonsense'", out.stderr)

    def test_builtin_suites_are_valid(self):
        suites = sorted(SUITES.glob("*.json"))
        self.assertGreaterEqual(len(suites), 12)
        for suite in suites:
            with self.subTest(suite=suite.name):
                out = run("bench", str(suite), "--check")
                self.assertEqual(out.returncode, 0, out.stderr)
                self.assertIn("measured invocations", out.stdout)
        try:
            import jsonschema
        except ImportError:
            self.skipTest("python3-jsonschema is not installed")
        schema = json.loads((REPO / "bench" / "suite.schema.json").read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        for suite in suites:
            with self.subTest(schema=suite.name):
                errors = list(validator.iter_errors(json.loads(suite.read_text())))
                self.assertEqual(errors, [], suite.name)
        self.assertTrue(list(validator.iter_errors({"name": "x", "function": "f", "load": {"num": 5}, "memory": 64})))


class TuneTest(unittest.TestCase):
    """`lambdalab tune`: Power Tuning's statistics from each REPORT line, its strategies and output."""

    def setUp(self):
        self.scratch = tempfile.TemporaryDirectory(prefix="lab-tune-")
        self.data = self.scratch.name
        self.functions = write_json(self.data, "functions.json", {"Functions": [
            {"FunctionName": "primes", "Runtime": "provided.al2023", "Handler": "bootstrap",
             "CodeDirectory": str(BUILD_DIR / "functions" / "primes-cpp"), "MemorySize": 1769, "Timeout": 60}]})

    def tearDown(self):
        self.scratch.cleanup()

    def tune(self, *args):
        out = run("tune", "primes", "--functions", str(self.functions), "--data-dir", self.data, "--profile", "none", *args)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        return json.loads(out.stdout), int(re.search(r"run (\d+) complete", out.stderr).group(1))

    def report_figures(self, run_id, variant):
        """(duration, billed) per invocation, read from the REPORT lines as the executor reads them."""
        messages = rows(self.data, "SELECT l.message FROM logs l JOIN invocations i ON i.request_id = l.request_id "
                                   "WHERE i.run_id = ? AND i.variant = ?", str(run_id), variant)
        figures = []
        for (message,) in messages:
            number = lambda pattern: float(m.group(1)) if (m := re.search(pattern, message)) else 0.0  # noqa: E731
            figures.append((number(r"\tDuration: (\d+\.\d+) ms") + number(r"\tInit Duration: (\d+\.\d+) ms"),
                            number(r"\tBilled Duration: (\d+) ms")))
        return figures

    def test_cpu_bound_work_is_several_times_slower_at_128_mb(self):
        output, run_id = self.tune("--memory", "128,1769", "--num", "6", "--payload", '{"n": 40}')
        self.assertEqual(list(output), ["power", "cost", "duration", "stateMachine", "stats"])
        self.assertEqual(list(output["stateMachine"]), ["executionCost", "lambdaCost", "visualization"])
        stats = {s["value"]: s for s in output["stats"]}
        self.assertEqual(list(stats), [128, 1769])
        self.assertGreater(stats[128]["averageDuration"], 2.5 * stats[1769]["averageDuration"], output)
        # The cost strategy picked the cheaper one (ties: the faster).
        cheapest = min(output["stats"], key=lambda s: (s["averagePrice"], s["averageDuration"]))["value"]
        self.assertEqual(output["power"], cheapest)
        self.assertEqual(output["stateMachine"]["executionCost"], 0.0003)  # 6 + 3 x 2 transitions
        # The statistics are the executor's: trimmed mean (0.2 of 6 drops one at each end) of
        # Duration + Init Duration, and the price of the trimmed mean of Billed Duration.
        for value in (128, 1769):
            figures = self.report_figures(run_id, str(value))
            self.assertEqual(len(figures), 6)
            self.assertAlmostEqual(stats[value]["averageDuration"], trimmed_mean([d for d, _ in figures], 0.2), places=9)
            billed = trimmed_mean([b for _, b in figures], 0.2)
            self.assertAlmostEqual(stats[value]["averagePrice"], math.ceil(billed) * 2.1e-9 * value / 128, places=15)
        # The visualization URL carries sizes (Int16) and times and costs (Float32), base64.
        url = output["stateMachine"]["visualization"]
        self.assertTrue(url.startswith("https://lambda-power-tuning.show/#"))
        sizes, times, costs = url.split("#", 1)[1].split(";")
        self.assertEqual(struct.unpack("<2h", base64.b64decode(sizes)), (128, 1769))
        decoded = struct.unpack("<2f", base64.b64decode(times))
        self.assertAlmostEqual(decoded[0], stats[128]["averageDuration"], delta=stats[128]["averageDuration"] * 1e-6)
        self.assertEqual(len(base64.b64decode(costs)), 8)
        # Stored as a run the web UI can chart.
        [(kind, status)] = rows(self.data, "SELECT kind, status FROM runs WHERE id = ?", run_id)
        self.assertEqual((kind, status), ("tune", "complete"))
        stored = json.loads(rows(self.data, "SELECT result FROM runs WHERE id = ?", run_id)[0][0])
        self.assertEqual(stored["powerTuning"]["primes"]["power"], output["power"])

    def test_only_cold_starts_and_the_speed_strategy(self):
        output, run_id = self.tune("--memory", "256,1769", "--num", "5", "--only-cold-starts", "--strategy", "speed",
                                   "--payload", '{"n": 2}')
        self.assertEqual(rows(self.data, "SELECT count(*), sum(cold) FROM invocations WHERE run_id = ?", str(run_id)), [(10, 10)])
        # No trimming with only cold starts; every Init Duration counts.
        for value in (256, 1769):
            figures = self.report_figures(run_id, str(value))
            stat = next(s for s in output["stats"] if s["value"] == value)
            self.assertAlmostEqual(stat["averageDuration"], sum(d for d, _ in figures) / 5, places=9)
        fastest = min(output["stats"], key=lambda s: (s["averageDuration"], s["averagePrice"]))["value"]
        self.assertEqual(output["power"], fastest)
        # 6 + N + 2 N num transitions with only cold starts
        self.assertEqual(output["stateMachine"]["executionCost"], round(0.000025 * (6 + 2 + 2 * 2 * 5), 5))

    def test_bad_input_is_refused_like_power_tuning(self):
        out = run("tune", "primes", "--num", "4", "--data-dir", self.data, "--functions", str(self.functions))
        self.assertEqual(out.returncode, 2)
        self.assertIn("power tuning needs num >= 5", out.stderr)
        out = run("tune", "primes", "--num", "5", "--memory", "64,128", "--data-dir", self.data)
        self.assertEqual(out.returncode, 2)
        self.assertIn("--memory[0]: must be an integer between 128 and 10240", out.stderr)


class InterruptTest(unittest.TestCase):
    def test_ctrl_c_keeps_what_was_measured_and_marks_the_run_incomplete(self):
        with tempfile.TemporaryDirectory(prefix="lab-int-") as data:
            suite = write_json(data, "long.json", {
                "name": "long", "functions": [noop_function("noop")], "function": "noop", "emulator": {"profile": "none"},
                "variants": [{"name": "open", "load": {"phases": [{"duration": 60, "arrivalRate": 40}]}},
                             {"name": "never", "load": {"num": 5}}]})
            process = subprocess.Popen([LAMBDALAB_BIN, "bench", str(suite), "--data-dir", data],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.time() + 30
            while time.time() < deadline:
                time.sleep(0.25)
                try:
                    if rows(data, "SELECT count(*) FROM invocations WHERE variant = 'open'")[0][0] >= 40:
                        break
                except sqlite3.Error:
                    pass
            process.send_signal(signal.SIGINT)
            stdout, stderr = process.communicate(timeout=30)
            self.assertEqual(process.returncode, 130, stdout + stderr)
            self.assertIn("run 1 incomplete", stdout)
            [(status, message, invocations)] = rows(data, "SELECT status, message, invocations FROM runs")
            self.assertEqual(status, "incomplete")
            self.assertIn("interrupted", message)
            self.assertGreaterEqual(invocations, 40)
            self.assertLess(invocations, 60 * 40)
            self.assertEqual(dict(rows(data, "SELECT name, status FROM variants")), {"open": "incomplete", "never": "pending"})
            samples = rows(data, "SELECT count(*) FROM client_samples")[0][0]
            self.assertGreaterEqual(samples, invocations - 1)  # at most the one in flight has no sample


if __name__ == "__main__":
    unittest.main()
