"""Lambda's resource and scaling model on real processes: memory limits kill, idle sandboxes are
frozen and reclaimed, /tmp is private and limited, scaling-rate throttles,
provisioned concurrency, asynchronous retries and destinations that survive a restart, VPC delays,
and the cost of every invocation. Bands are generous: this is a shared 2-core machine."""
import base64
import concurrent.futures
import json
import os
import re
import shutil
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import ACCOUNT, FIXTURES, Emulator, EmulatorTestCase, alive, python_function, wait_until  # noqa: E402


class MemoryAndFreezingTest(EmulatorTestCase):
    FUNCTIONS = [python_function("small", MemorySize=128, Timeout=20), python_function("ticker"),
                 python_function("big-tmp", MemorySize=1024, Timeout=60, EphemeralStorage={"Size": 512}),
                 python_function("tmp-user")]

    def test_going_over_the_memory_size_kills_the_sandbox(self):
        before = self.emulator.invoke("small", {}).json()["pid"]
        response = self.emulator.invoke("small", {"do": "memory", "mb": 300}, tail=True)
        self.assertEqual(response.function_error, "Unhandled")
        self.assertEqual(response.json(), {
            "errorType": "Runtime.ExitError",
            "errorMessage": f"RequestId: {response.request_id} Error: Runtime exited with error: signal: killed"})
        used = int(re.search(r"Max Memory Used: (\d+) MB", response.log()).group(1))
        self.assertGreaterEqual(used, 115)
        self.assertLessEqual(used, 130)
        self.assertRegex(response.log(), r"Status: error\tError Type: Runtime.ExitError")
        after = self.emulator.invoke("small", {}).json()["pid"]
        self.assertNotEqual(after, before)
        self.assertEqual(self.emulator.invoke("small", {"do": "memory", "mb": 40}).status, 200)

    def test_an_idle_sandbox_is_frozen(self):
        ticks = Path(tempfile.mktemp(prefix="ticks-"))
        try:
            answered = self.emulator.invoke("ticker", {"do": "background", "path": str(ticks)}).json()["time"]
            time.sleep(1.5)
            last = float(ticks.read_text().split()[-1])
            # The background thread stopped within moments of the answer (the freeze waits 2 ms of idleness;
            # the band leaves room for a busy host), not 1.5 s later.
            self.assertLess(last - answered, 0.5, "a background thread kept running while the sandbox was idle")
            # Thawed for the next invocation, the thread runs again while it lasts.
            before = len(ticks.read_text().split())
            self.emulator.invoke("ticker", {"do": "sleep", "seconds": 0.3})
            self.assertGreater(len(ticks.read_text().split()), before + 3)
        finally:
            ticks.unlink(missing_ok=True)

    def test_tmp_is_private_to_each_sandbox_and_kept_while_it_is_warm(self):
        tag = f"a-{os.getpid()}"  # a name no earlier run can have left on the host
        first = self.emulator.invoke("tmp-user", {"do": "tmp", "tag": tag}).json()
        self.assertFalse(first["found"])
        self.assertTrue(self.emulator.invoke("tmp-user", {"do": "tmp", "tag": tag}).json()["found"])
        self.assertFalse(Path(f"/tmp/left-by-{tag}").exists(), "the sandbox's /tmp is not the host's")
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            both = list(pool.map(lambda _: self.emulator.invoke("tmp-user", {"do": "sleep", "seconds": 0.5}).json(), range(2)))
        other = [r for r in both if r["pid"] != first["pid"]]
        self.assertTrue(other, "a second sandbox was needed")

    def test_tmp_is_limited_to_the_ephemeral_storage(self):
        result = self.emulator.invoke("big-tmp", {"do": "fill_tmp", "mb": 600}, timeout=60).json()
        self.assertEqual(result["error"], "No space left on device")
        self.assertGreaterEqual(result["written_mb"], 500)
        self.assertLess(result["written_mb"], 513)


class CodeUnderTheHostsTmpTest(unittest.TestCase):
    def test_code_under_the_hosts_tmp_still_gets_a_private_tmp(self):
        # A project cloned under /tmp: the sandbox's own /tmp must not hide the function's code.
        with tempfile.TemporaryDirectory(dir="/tmp") as host_tmp:
            code = Path(host_tmp) / "project" / "function"
            shutil.copytree(FIXTURES / "py_behaviors", code)
            with Emulator([python_function("under-tmp", CodeDirectory=str(code))]) as emulator:
                tag = f"under-{os.getpid()}"
                first = emulator.invoke("under-tmp", {"do": "tmp", "tag": tag}).json()
                self.assertFalse(first["found"])
                self.assertEqual(first["tmpdir"], "/tmp")
                self.assertTrue(emulator.invoke("under-tmp", {"do": "tmp", "tag": tag}).json()["found"])
                self.assertFalse(Path(f"/tmp/left-by-{tag}").exists(), "the sandbox's /tmp is not the host's")


    def test_a_symlink_under_the_hosts_tmp_still_leads_to_the_code(self):
        with tempfile.TemporaryDirectory(dir="/tmp") as host_tmp:
            link = Path(host_tmp) / "code"
            link.symlink_to(FIXTURES / "py_behaviors")
            with Emulator([python_function("via-link", CodeDirectory=str(link))]) as emulator:
                answer = emulator.invoke("via-link", {"do": "tmp", "tag": f"link-{os.getpid()}"}).json()
                self.assertEqual(answer.get("tmpdir"), "/tmp", answer)


class LifecycleTest(unittest.TestCase):
    def test_idle_sandboxes_are_reclaimed(self):
        with Emulator([python_function("f")], settings=["lifecycle.idle_lifetime_s=1"]) as emulator:
            pid = emulator.invoke("f", {}).json()["pid"]
            wait_until(lambda: not alive(pid), timeout=5, message="the idle sandbox to be reclaimed")
            rows = emulator.query("SELECT end_reason FROM sandboxes WHERE ended_at_ms IS NOT NULL", wait_for_rows=1)
            self.assertEqual(rows, [("idle",)])
            again = emulator.invoke("f", {}, tail=True)
            self.assertIn("Init Duration", again.log())

    def test_the_scaling_rate_throttles_a_burst_of_new_sandboxes(self):
        settings = ["scaling.model=per_function_rate", "scaling.bucket_capacity=2", "scaling.refill_per_second=0.2"]
        with Emulator([python_function("f")], settings=settings) as emulator:
            with concurrent.futures.ThreadPoolExecutor(4) as pool:
                results = list(pool.map(lambda _: emulator.invoke("f", {"do": "sleep", "seconds": 1}), range(4)))
            statuses = sorted(r.status for r in results)
            self.assertEqual(statuses, [200, 200, 429, 429])
            throttled = [r for r in results if r.status == 429]
            self.assertEqual(throttled[0].json()["Reason"], "FunctionInvocationRateLimitExceeded")
            # Warm sandboxes need no new tokens.
            self.assertEqual(emulator.invoke("f", {}).status, 200)

    def test_cold_start_phases_are_recorded(self):
        settings = ["cold_start.sandbox_boot_ms=100"]
        with Emulator([python_function("f")], profile="aws-2026", settings=settings) as emulator:
            started = time.time()
            self.assertEqual(emulator.invoke("f", {}).status, 200)
            self.assertGreater(time.time() - started, 0.1)
            emulator.invoke("f", {})
            rows = emulator.query("SELECT cold, boot_ms, code_download_ms, runtime_start_ms, function_init_ms, "
                                  "init_duration_ms, profile FROM invocations ORDER BY id", wait_for_rows=2)
            cold, warm = rows
            self.assertEqual(cold[0], 1)
            self.assertAlmostEqual(cold[1], 100, delta=1)
            self.assertEqual(cold[2], 0)  # a small package downloads in no time
            self.assertGreater(cold[3], 0)  # the Python runtime reports when it starts loading the function
            self.assertAlmostEqual(cold[3] + cold[4], cold[5], delta=0.01)
            self.assertEqual(cold[6], "aws-2026")
            self.assertEqual(warm[:3], (0, None, None))


class ProvisionedConcurrencyTest(unittest.TestCase):
    def test_provisioned_sandboxes_are_initialized_ahead_and_used_first(self):
        with Emulator([python_function("f")]) as emulator:
            client = emulator.boto3()
            version = client.publish_version(FunctionName="f")["Version"]
            client.create_alias(FunctionName="f", Name="live", FunctionVersion=version)
            put = client.put_provisioned_concurrency_config(FunctionName="f", Qualifier="live",
                                                            ProvisionedConcurrentExecutions=2)
            self.assertEqual(put["RequestedProvisionedConcurrentExecutions"], 2)
            wait_until(lambda: client.get_provisioned_concurrency_config(FunctionName="f", Qualifier="live")["Status"] == "READY",
                       message="provisioned concurrency to be READY")
            self.assertEqual(len(emulator.children()), 2)
            response = client.invoke(FunctionName="f", Qualifier="live", Payload=b'{"do": "env"}', LogType="Tail")
            self.assertEqual(response["ExecutedVersion"], version)
            env = json.loads(response["Payload"].read())
            self.assertEqual(env["AWS_LAMBDA_INITIALIZATION_TYPE"], "provisioned-concurrency")
            self.assertNotIn("Init Duration", base64.b64decode(response["LogResult"]).decode())
            # Three at once: two on the provisioned sandboxes, one spills over to a new on-demand sandbox.
            with concurrent.futures.ThreadPoolExecutor(3) as pool:
                list(pool.map(lambda _: emulator.invoke("f", {"do": "sleep", "seconds": 0.8}, qualifier="live"), range(3)))
            rows = emulator.query("SELECT provisioned, cold, version FROM invocations ORDER BY id", wait_for_rows=4)
            self.assertEqual(sorted(rows[1:]), [(0, 1, version), (1, 0, version), (1, 0, version)])
            with self.assertRaises(client.exceptions.InvalidParameterValueException):
                client.put_provisioned_concurrency_config(FunctionName="f", Qualifier="$LATEST",
                                                          ProvisionedConcurrentExecutions=1)


class AsyncTest(unittest.TestCase):
    SETTINGS = ["async.retry_delays_s=0.2,0.4"]

    def markers(self, path):
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def test_function_errors_are_retried_twice_then_dead_lettered(self):
        marker = Path(tempfile.mktemp(prefix="async-"))
        with Emulator([python_function("f")], settings=self.SETTINGS) as emulator:
            response = emulator.invoke("f", {"do": "touch", "path": str(marker), "then": "raise"}, invocation_type="Event")
            self.assertEqual(response.status, 202)
            wait_until(lambda: len(self.markers(marker)) == 3, message="three attempts")
            self.assertEqual({m["request_id"] for m in self.markers(marker)}, {response.request_id})
            times = [m["time"] for m in self.markers(marker)]
            self.assertGreater(times[1] - times[0], 0.15)
            self.assertGreater(times[2] - times[1], 0.3)
            rows = emulator.query("SELECT request_id, condition, record FROM dead_letters", wait_for_rows=1)
            self.assertEqual(rows[0][:2], (response.request_id, "RetriesExhausted"))
            record = json.loads(rows[0][2])
            self.assertEqual(record["requestContext"]["approximateInvokeCount"], 3)
            self.assertEqual(record["responsePayload"]["errorType"], "RuntimeError")
            self.assertEqual(record["requestPayload"]["then"], "raise")
            time.sleep(0.5)
            self.assertEqual(len(self.markers(marker)), 3, "no fourth attempt")
        marker.unlink(missing_ok=True)

    def test_event_invoke_config_and_a_lambda_on_failure_destination(self):
        marker = Path(tempfile.mktemp(prefix="async-"))
        collected = Path(tempfile.mktemp(prefix="collected-"))
        with Emulator([python_function("f"), python_function("collector")], settings=self.SETTINGS) as emulator:
            client = emulator.boto3()
            client.put_function_event_invoke_config(
                FunctionName="f", MaximumRetryAttempts=0,
                DestinationConfig={"OnFailure": {"Destination": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:collector"}})
            # The collector writes what it receives: the invocation record.
            emulator.invoke("f", {"do": "touch", "path": str(marker), "then": "raise"}, invocation_type="Event")
            wait_until(lambda: emulator.query("SELECT count(*) FROM invocations WHERE function = 'collector'")[0][0] == 1,
                       message="the destination to be invoked")
            self.assertEqual(len(self.markers(marker)), 1, "MaximumRetryAttempts 0: a single attempt")
            rows = emulator.query("SELECT invocation_type, status FROM invocations WHERE function = 'collector'")
            self.assertEqual(rows, [("Event", "success")])
            self.assertEqual(emulator.query("SELECT count(*) FROM dead_letters")[0][0], 0)
        marker.unlink(missing_ok=True)
        collected.unlink(missing_ok=True)

    def test_accepted_events_survive_a_restart(self):
        marker = Path(tempfile.mktemp(prefix="restart-"))
        functions = [python_function("f", ReservedConcurrentExecutions=1)]
        settings = ["async.throttle_backoff_initial_ms=500"]
        emulator = Emulator(functions, settings=settings).start()
        data_dir = emulator.data_dir
        try:
            # The only slot is busy: the events are throttled and wait in the queue.
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                busy = pool.submit(emulator.invoke, "f", {"do": "sleep", "seconds": 2})
                time.sleep(0.3)
                for i in range(3):
                    self.assertEqual(emulator.invoke("f", {"do": "touch", "path": str(marker)}, invocation_type="Event").status, 202)
                time.sleep(0.2)
                self.assertEqual(emulator.stop(), 0)
                # The invocation in flight was answered before the emulator went down.
                self.assertEqual(busy.result().status, 500)
                self.assertEqual(busy.result().error_type, "ServiceException")
            self.assertEqual(self.markers(marker), [])
            emulator = Emulator(functions, settings=settings, data_dir=data_dir).start()
            wait_until(lambda: len(self.markers(marker)) == 3, timeout=15, message="the three events after the restart")
        finally:
            emulator.stop()
            emulator._own_dir = True
            emulator.cleanup()
            marker.unlink(missing_ok=True)

    def test_reserved_concurrency_zero_sends_events_straight_to_the_dead_letter_table(self):
        with Emulator([python_function("off", ReservedConcurrentExecutions=0)], settings=self.SETTINGS) as emulator:
            response = emulator.invoke("off", {}, invocation_type="Event")
            rows = emulator.query("SELECT request_id, condition FROM dead_letters", wait_for_rows=1)
            self.assertEqual(rows, [(response.request_id, "ReservedConcurrencyZero")])


class VpcTest(unittest.TestCase):
    VPC = {"SubnetIds": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}

    def test_hyperplane_function_is_pending_until_its_interface_exists(self):
        with Emulator([python_function("plain")], settings=["vpc.hyperplane_pending_s=1"]) as emulator:
            client = emulator.boto3()
            config = client.update_function_configuration(FunctionName="plain", VpcConfig=self.VPC)
            self.assertEqual(config["State"], "Pending")
            response = emulator.invoke("plain", {})
            self.assertEqual(response.status, 409)
            self.assertEqual(response.error_type, "ResourceConflictException")
            self.assertIn("Pending", response.json()["message"])
            wait_until(lambda: client.get_function(FunctionName="plain")["Configuration"]["State"] == "Active",
                       message="the function to become Active")
            self.assertEqual(emulator.invoke("plain", {}).status, 200)
            rows = emulator.query("SELECT vpc_setup_ms FROM invocations WHERE status = 'success'", wait_for_rows=1)
            self.assertEqual(rows, [(0.0,)], "cold starts pay nothing extra with Hyperplane")

    def test_legacy_enis_delay_cold_starts_and_run_out_of_ips(self):
        settings = ["vpc.legacy_eni_setup_ms=400", "vpc.subnet_free_ips=1", "cold_start.sandbox_boot_ms=0"]
        functions = [python_function("vpc", MemorySize=3008, VpcConfig=self.VPC)]
        with Emulator(functions, profile="aws-2018-vpc", settings=settings) as emulator:
            started = time.time()
            self.assertEqual(emulator.invoke("vpc", {}).status, 200)
            self.assertGreater(time.time() - started, 0.4)
            # A second sandbox needs a second worker (3 GB each), hence an ENI, and the subnet has no IP left.
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                results = list(pool.map(lambda _: emulator.invoke("vpc", {"do": "sleep", "seconds": 0.5}), range(2)))
            failed = [r for r in results if r.status == 502]
            self.assertEqual(len(failed), 1)
            self.assertEqual(failed[0].error_type, "SubnetIPAddressLimitReachedException")
            rows = emulator.query("SELECT vpc_setup_ms FROM invocations WHERE cold = 1 AND status = 'success'", wait_for_rows=1)
            self.assertAlmostEqual(rows[0][0], 400, delta=1)


class CostTest(unittest.TestCase):
    def test_every_invocation_costs_its_billed_duration_and_a_request(self):
        functions = [python_function("x86", MemorySize=1024), python_function("arm", MemorySize=1024, Architectures=["arm64"])]
        with Emulator(functions) as emulator:
            for name in ("x86", "arm"):
                emulator.invoke(name, {"do": "sleep", "seconds": 0.05})
            rows = emulator.query("SELECT function, billed_duration_ms, cost_usd FROM invocations ORDER BY id", wait_for_rows=2)
            for name, billed, cost in rows:
                price = 0.0000166667 if name == "x86" else 0.0000133334
                self.assertAlmostEqual(cost, billed / 1000 * 1.0 * price + 0.0000002, places=12)


if __name__ == "__main__":
    unittest.main()
