"""The bundled workloads (workloads/), deployed exactly as workloads/functions.json declares them: each
computes the right answer, and the cross-function ones really do what they measure (warming distinct
sandboxes, a message reaching every sandbox, throttled calls retried, a fan-out bounded by its maximum
concurrency). Parameters are small so the whole file runs in well under two minutes on 2 cores."""
import concurrent.futures
import json
import random
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import BUILD_DIR, LAMBDALAB_BIN, REPO, Emulator, EmulatorTestCase, function  # noqa: E402

WORKLOADS = REPO / "workloads"
DECLARED = {entry["FunctionName"]: entry
            for entry in json.loads((WORKLOADS / "functions.json").read_text())["Functions"]}
PRIMES_BELOW_1M = 78498


def declared(name):
    """A function as workloads/functions.json declares it, its code directory made absolute: built code
    comes from the build directory of the binary under test."""
    entry = dict(DECLARED[name])
    code = entry.pop("CodeDirectory").replace("${LAMBDALAB_BUILD_DIR}", str(BUILD_DIR))
    return function(entry.pop("FunctionName"), entry.pop("Runtime"), entry.pop("Handler"), WORKLOADS / code, **entry)


def ok(response):
    """The payload of a successful invocation; fails the test with the function's error otherwise."""
    if response.status != 200 or response.function_error:
        raise AssertionError(f"invocation failed: {response}")
    return response.json()


def init_duration_ms(log):
    for line in log.splitlines():
        if line.startswith("REPORT") and "Init Duration:" in line:
            return float(line.split("Init Duration:")[1].split()[0])
    return None


def sandboxes_of(emulator, name, expected):
    """Log streams of every sandbox the emulator started for a function (the store writes in batches)."""
    rows = emulator.query("SELECT log_stream FROM sandboxes WHERE function = ?", name, wait_for_rows=expected)
    return {row[0] for row in rows}


def in_parallel(count, call):
    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda _: call(), range(count)))


class DeclarationsTest(unittest.TestCase):
    def test_every_workload_is_declared_documented_and_deploys(self):
        readme = (WORKLOADS / "README.md").read_text()
        for name in DECLARED:
            self.assertIn(f"`{name}`", readme, f"{name} has no line in workloads/README.md")
        with Emulator([declared(name) for name in DECLARED]) as emulator:
            listed = ok(emulator.request("GET", "/2015-03-31/functions/"))["Functions"]
            self.assertEqual({f["FunctionName"] for f in listed}, set(DECLARED))


class ComputeWorkloadsTest(EmulatorTestCase):
    FUNCTIONS = [declared(name) for name in ("primes-cpp", "primes-python", "primes-node", "matrix-cpp",
                                             "matrix-python", "multithread-cpp")]

    def test_primes_count_is_right_in_every_language(self):
        for name in ("primes-cpp", "primes-python", "primes-node"):
            with self.subTest(name):
                result = ok(self.emulator.invoke(name, {"n": 2, "max": 1_000_000}))
                self.assertEqual((result["count"], result["n"], result["max"]), (PRIMES_BELOW_1M, 2, 1_000_000))
                self.assertGreater(result["duration_ms"], 0)
                self.assertEqual(ok(self.emulator.invoke(name, {"n": 1, "max": 100}))["count"], 25)
                self.assertEqual(ok(self.emulator.invoke(name, {"n": 1, "max": 2}))["count"], 1)

    def test_primes_defaults_and_bad_parameters(self):
        for name in ("primes-cpp", "primes-python", "primes-node"):
            with self.subTest(name):
                result = ok(self.emulator.invoke(name, {}))
                self.assertEqual((result["count"], result["n"], result["max"]), (PRIMES_BELOW_1M, 10, 1_000_000))
                response = self.emulator.invoke(name, {"max": -5})
                self.assertEqual(response.function_error, "Unhandled")
                self.assertIn("max", response.json()["errorMessage"])

    def test_matrix_times_its_inverse_is_close_to_identity(self):
        for name, n in (("matrix-cpp", 200), ("matrix-python", 40)):
            with self.subTest(name):
                result = ok(self.emulator.invoke(name, {"n": n, "seed": 7}))
                self.assertEqual(result["n"], n)
                self.assertLess(result["max_residual"], 1e-9)
                # Seeded: the same matrix again, a different one for another seed.
                self.assertEqual(ok(self.emulator.invoke(name, {"n": n, "seed": 7}))["checksum"], result["checksum"])
                self.assertNotEqual(ok(self.emulator.invoke(name, {"n": n, "seed": 8}))["checksum"], result["checksum"])
                unverified = ok(self.emulator.invoke(name, {"n": n, "seed": 7, "verify": False}))
                self.assertNotIn("max_residual", unverified)
                self.assertEqual(unverified["checksum"], result["checksum"])

    def test_matrix_python_inverse_matches_an_independent_one(self):
        n, seed = 6, 3
        generator = random.Random(seed)
        a = [[generator.uniform(-1.0, 1.0) for _ in range(n)] for _ in range(n)]
        self.assertAlmostEqual(ok(self.emulator.invoke("matrix-python", {"n": n, "seed": seed}))["checksum"],
                               sum(map(sum, gauss_jordan_inverse(a))), places=9)

    def test_multithread_splits_the_job_over_the_threads_it_is_given(self):
        default = ok(self.emulator.invoke("multithread-cpp", {"max": 10_000_000}))
        self.assertEqual(default["count"], 664579)
        self.assertGreaterEqual(default["cpus"], 1)
        self.assertEqual(default["threads"], default["cpus"], "T defaults to the CPUs the sandbox sees")
        for threads in (1, 2, 3, 7):
            with self.subTest(threads=threads):
                result = ok(self.emulator.invoke("multithread-cpp", {"max": 10_000_000, "threads": threads}))
                self.assertEqual((result["count"], result["threads"]), (664579, threads))
        self.assertEqual(ok(self.emulator.invoke("multithread-cpp", {"max": 100, "threads": 4}))["count"], 25)


def gauss_jordan_inverse(a):
    """The inverse by Gauss-Jordan elimination on [A | I]: another algorithm than the workload's LU."""
    n = len(a)
    rows = [row[:] + [1.0 if i == j else 0.0 for j in range(n)] for i, row in enumerate(a)]
    for k in range(n):
        pivot = max(range(k, n), key=lambda i: abs(rows[i][k]))
        rows[k], rows[pivot] = rows[pivot], rows[k]
        rows[k] = [value / rows[k][k] for value in rows[k]]
        for i in range(n):
            if i != k:
                factor = rows[i][k]
                rows[i] = [value - factor * pivot_value for value, pivot_value in zip(rows[i], rows[k])]
    return [row[n:] for row in rows]


class DepsTest(EmulatorTestCase):
    FUNCTIONS = [declared("deps-fat"), declared("deps-slim")]

    def test_the_fat_variant_loads_50_mb_at_init_and_takes_longer_to_start(self):
        fat = self.emulator.invoke("deps-fat", {}, tail=True)
        slim = self.emulator.invoke("deps-slim", {}, tail=True)
        fat_result, slim_result = ok(fat), ok(slim)
        self.assertGreaterEqual(fat_result["bytes"], 50 * 1024 * 1024)
        self.assertLessEqual(slim_result["bytes"], 2 * 1024 * 1024)
        self.assertEqual(fat_result["modules"], 512)
        fat_init, slim_init = init_duration_ms(fat.log()), init_duration_ms(slim.log())
        self.assertGreater(fat_init, slim_init + 200, f"fat {fat_init} ms, slim {slim_init} ms")
        self.assertGreater(fat_result["load_ms"], 5 * slim_result["load_ms"])
        # Warm: the same answer, no INIT.
        again = self.emulator.invoke("deps-fat", {}, tail=True)
        self.assertEqual(ok(again)["checksum"], fat_result["checksum"])
        self.assertIsNone(init_duration_ms(again.log()))


def serves_dynamodb():
    help_text = subprocess.run([LAMBDALAB_BIN, "serve", "--help"], capture_output=True, text=True, timeout=60).stdout
    return "--dynamodb-port" in help_text


@unittest.skipUnless(serves_dynamodb(), "this lambdalab does not serve DynamoDB yet")
class DynamoDbWorkloadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emulator = Emulator([declared("dynamodb-reuse"), declared("dynamodb-fresh")],
                                extra_args=["--dynamodb-port", "0"]).start()
        cls.dynamodb = cls.emulator.boto3("dynamodb")

    @classmethod
    def tearDownClass(cls):
        cls.dynamodb.close()
        code = cls.emulator.stop()
        cls.emulator.cleanup()
        if code != 0:
            raise AssertionError(f"lambdalab exited with {code}:\n{''.join(cls.emulator.output)[-4000:]}")

    def test_each_invocation_puts_an_item_and_reads_it_back(self):
        symbols = ["AAA", "BBB", "CCC"]
        for name in ("dynamodb-reuse", "dynamodb-fresh", "dynamodb-reuse", "dynamodb-fresh"):
            with self.subTest(name):
                result = ok(self.emulator.invoke(name, {"symbols": symbols, "limit": 50}))
                put = result["put"]
                self.assertEqual(set(result["read"]), set(symbols))
                self.assertIn(put, result["read"][put["symbol"]])
                stored = self.dynamodb.get_item(TableName=result["table"],
                                                Key={"symbol": {"S": put["symbol"]}, "ts": {"N": str(put["ts"])}})
                self.assertEqual(stored["Item"]["request_id"], {"S": put["request_id"]})
        tables = self.dynamodb.list_tables()["TableNames"]
        self.assertEqual(tables, [DECLARED["dynamodb-reuse"]["Environment"]["Variables"]["TABLE_NAME"]])

    def test_only_the_fresh_variant_opens_a_connection_per_invocation(self):
        port = self.emulator.wait_dynamodb()
        for name in ("dynamodb-reuse", "dynamodb-fresh"):
            ok(self.emulator.invoke(name, {}))  # init: the table, and the reused client's connection
        before = client_ports(port)
        for _ in range(3):
            self.assertEqual(ok(self.emulator.invoke("dynamodb-reuse", {}))["client_ms"], 0.0)
        self.assertEqual(client_ports(port) - before, set(), "dynamodb-reuse keeps its connection")
        for _ in range(3):
            self.assertGreater(ok(self.emulator.invoke("dynamodb-fresh", {}))["client_ms"], 0.0)
        self.assertEqual(len(client_ports(port) - before), 3, "dynamodb-fresh opens one per invocation")


def client_ports(port):
    """Local ports of the TCP connections to `port` on this host, open or closed recently (TIME_WAIT)."""
    with open("/proc/net/tcp") as table:
        rows = [line.split() for line in table.read().splitlines()[1:]]
    return {int(row[1].split(":")[1], 16) for row in rows if int(row[2].split(":")[1], 16) == port}


class WarmerTest(EmulatorTestCase):
    FUNCTIONS = [declared("warmer"), declared("warmer-target")]

    def test_each_warming_event_lands_in_its_own_sandbox_and_a_burst_then_finds_them_warm(self):
        result = ok(self.emulator.invoke("warmer", {"concurrency": 4, "delay": 800}))
        self.assertEqual((result["sandboxes"], result["failed"]), (4, 0), result)
        warmed = set(result["log_streams"])
        self.assertEqual(sandboxes_of(self.emulator, "warmer-target", 4), warmed)
        burst = in_parallel(4, lambda: ok(self.emulator.invoke("warmer-target", {"order": 1})))
        self.assertTrue(all(answer["message"] == "the real handler ran" for answer in burst))
        self.assertLessEqual({answer["sandbox"] for answer in burst}, warmed)
        cold = self.emulator.query("SELECT cold FROM invocations WHERE function = 'warmer-target' ORDER BY id",
                                   wait_for_rows=8)
        self.assertEqual([row[0] for row in cold], [1] * 4 + [0] * 4, "the burst had no cold start")

    def test_the_wrapper_answers_warming_events_without_the_handler(self):
        answer = ok(self.emulator.invoke("warmer-target", {"warmer": True, "delay": 0}))
        self.assertEqual(answer["warmed"], True)
        self.assertNotIn("message", answer)


class MessagePassingTest(EmulatorTestCase):
    FUNCTIONS = [declared("message-passing"), declared("message-passing-reserved")]

    def test_the_message_reaches_every_sandbox(self):
        # Four idle sandboxes first (SAAF's init step): a run with no rounds just holds its sandbox.
        in_parallel(4, lambda: ok(self.emulator.invoke("message-passing", {"rounds": 0, "hold_ms": 800})))
        report = ok(self.emulator.invoke("message-passing", {"rounds": 2, "spread": 3, "hold_ms": 300}))
        # 1 call from the client, 3 from it, 3 from each of those (each was new to the message).
        self.assertEqual(report["calls"], 13, report)
        self.assertEqual(sum(report["sandboxes"].values()), 13)
        self.assertEqual((report["throttled"], report["dropped"], report["errors"]), (0, 0, 0))
        every = sandboxes_of(self.emulator, "message-passing", report["nodes"])
        self.assertEqual(set(report["sandboxes"]), every, "every sandbox received the message")
        self.assertGreaterEqual(len(every), 4)

    def test_throttled_calls_are_retried_under_reserved_concurrency(self):
        report = ok(self.emulator.invoke("message-passing-reserved", {"rounds": 2, "spread": 4, "hold_ms": 400}))
        # 1 + 4 + 16 calls, at most 10 at a time: some were throttled, and all got through on a retry.
        self.assertGreater(report["throttled"], 0, report)
        self.assertEqual((report["calls"], report["dropped"], report["errors"]), (21, 0, 0), report)
        self.assertLessEqual(report["nodes"], 10)


class FanoutTest(EmulatorTestCase):
    FUNCTIONS = [declared("fanout"), declared("fanout-worker")]

    def run_job(self, max_concurrency):
        result = ok(self.emulator.invoke("fanout", {"max": 100_000, "tasks": 8, "max_concurrency": max_concurrency,
                                                    "sleep_ms": 400}))
        self.assertEqual(result["count"], 9592)  # primes <= 100,000
        self.assertEqual([task["index"] for task in result["results"]], list(range(8)))
        self.assertTrue(all(task["duration_ms"] >= 400 for task in result["results"]))
        self.assertEqual(peak_overlap(result["results"]), max_concurrency)
        return result

    def test_makespan_follows_the_maximum_concurrency(self):
        two, four = self.run_job(2), self.run_job(4)
        # 8 tasks of 400 ms: 4 waves with 2 in flight, 2 waves with 4, plus invocation overheads.
        self.assertGreaterEqual(two["makespan_ms"], 1600)
        self.assertGreaterEqual(four["makespan_ms"], 800)
        ratio = four["makespan_ms"] / two["makespan_ms"]
        self.assertTrue(0.3 < ratio < 0.8,
                        f"makespan {four['makespan_ms']:.0f} ms with 4, {two['makespan_ms']:.0f} ms with 2")


def peak_overlap(tasks):
    """The largest number of tasks in flight at once, from their start and end times."""
    events = sorted([(t["started_ms"], 1) for t in tasks] + [(t["ended_ms"], -1) for t in tasks],
                    key=lambda e: (e[0], e[1]))
    peak = current = 0
    for _, change in events:
        current += change
        peak = max(peak, current)
    return peak


if __name__ == "__main__":
    unittest.main()
