"""Every failure in Lambda's shape: handler errors, init errors, timeouts, runtime exits, oversized
responses, invalid configuration and throttles (reference/runtime-api.md §2.3-2.4)."""
import concurrent.futures
import json
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import Emulator, EmulatorTestCase, node_function, python_function  # noqa: E402

TIMEOUT_MESSAGE = r"^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.\d\d seconds$"


class FunctionFailureTest(EmulatorTestCase):
    FUNCTIONS = [
        python_function("py"),
        node_function("node"),
        python_function("py-short", Timeout=1),
        python_function("py-import-error", Timeout=30, Environment={"Variables": {"INIT_BEHAVIOUR": "import-error"}}),
        python_function("py-init-raises", Environment={"Variables": {"INIT_BEHAVIOUR": "raise"}}),
        node_function("node-missing-handler", Handler="index.nope"),
    ]

    def test_python_handler_error(self):
        response = self.emulator.invoke("py", {"do": "raise", "message": "bad input"})
        self.assertEqual(response.status, 200)
        self.assertEqual(response.function_error, "Unhandled")
        body = response.json()
        self.assertEqual(body["errorType"], "ValueError")
        self.assertEqual(body["errorMessage"], "bad input")
        self.assertIsInstance(body["stackTrace"], list)

    def test_node_handler_error(self):
        response = self.emulator.invoke("node", {"do": "throw"})
        self.assertEqual(response.function_error, "Unhandled")
        body = response.json()
        self.assertEqual((body["errorType"], body["errorMessage"]), ("TypeError", "kaboom"))
        self.assertIsInstance(body["trace"], list)

    def test_import_error_is_answered_at_once(self):
        started = time.time()
        response = self.emulator.invoke("py-import-error", {})
        self.assertLess(time.time() - started, 5)
        self.assertEqual(response.function_error, "Unhandled")
        self.assertEqual(response.json()["errorType"], "Runtime.ImportModuleError")
        self.assertIn("module_that_does_not_exist", response.json()["errorMessage"])

    def test_init_exception_and_missing_handler(self):
        self.assertEqual(self.emulator.invoke("py-init-raises", {}).json()["errorType"], "RuntimeError")
        body = self.emulator.invoke("node-missing-handler", {}).json()
        self.assertEqual(body["errorType"], "Runtime.HandlerNotFound")
        self.assertEqual(body["errorMessage"], "index.nope is undefined or not exported")

    def test_timeout_kills_the_sandbox_and_the_next_invocation_is_cold(self):
        warm = self.emulator.invoke("py-short", {}).json()
        started = time.time()
        response = self.emulator.invoke("py-short", {"do": "sleep", "seconds": 5}, tail=True)
        elapsed = time.time() - started
        self.assertGreaterEqual(elapsed, 0.95)
        self.assertLess(elapsed, 4)
        self.assertEqual(response.status, 200)
        self.assertEqual(response.function_error, "Unhandled")
        body = response.json()
        self.assertEqual(body["errorType"], "Sandbox.Timedout")
        self.assertRegex(body["errorMessage"], TIMEOUT_MESSAGE)
        log = response.log()
        self.assertRegex(log, r"\d{4}-\d\d-\d\dT[\d:.]+Z [0-9a-f-]{36} Task timed out after 1\.\d\d seconds\n")
        self.assertRegex(log, r"REPORT RequestId: .*\tStatus: timeout\t")
        after = self.emulator.invoke("py-short", {}, tail=True)
        self.assertNotEqual(after.json()["pid"], warm["pid"], "a timed-out sandbox is not reused")
        self.assertIn("Init Duration", after.log())

    def test_runtime_exit_mid_invocation(self):
        response = self.emulator.invoke("py", {"do": "exit", "code": 42})
        self.assertEqual(response.json(), {
            "errorType": "Runtime.ExitError",
            "errorMessage": f"RequestId: {response.request_id} Error: Runtime exited with error: exit status 42"})
        self.assertEqual(self.emulator.invoke("py", {}).status, 200)

    def test_runtime_killed_by_a_signal(self):
        response = self.emulator.invoke("py", {"do": "signal", "signal": 9})
        self.assertEqual(response.json()["errorMessage"],
                         f"RequestId: {response.request_id} Error: Runtime exited with error: signal: killed")

    def test_response_too_large(self):
        response = self.emulator.invoke("py", {"do": "big", "bytes": 7 * 1024 * 1024})
        self.assertEqual(response.function_error, "Unhandled")
        body = response.json()
        self.assertEqual(body["errorType"], "Function.ResponseSizeTooLarge")
        self.assertEqual(body["errorMessage"],
                         "Response payload size (7340034 bytes) exceeded maximum allowed payload size (6291556 bytes).")
        self.assertEqual(self.emulator.invoke("py", {}).status, 200, "the sandbox survives an oversized response")


class InvalidConfigurationTest(EmulatorTestCase):
    """Raw requests: boto3 would refuse some of these values before sending them."""

    def create(self, **overrides):
        body = {"FunctionName": "f", "Runtime": "python3.12", "Handler": "app.handler", "Role": "arn:aws:iam::1:role/r",
                "Code": {"ZipFile": ""}}
        body.update(overrides)
        return self.emulator.request("POST", "/2015-03-31/functions", json.dumps(body).encode())

    def assert_invalid(self, response, fragment):
        self.assertEqual(response.status, 400, response)
        self.assertEqual(response.error_type, "InvalidParameterValueException")
        self.assertIn(fragment, response.json()["message"])

    def test_memory_outside_128_to_10240(self):
        self.assert_invalid(self.create(MemorySize=64), "greater than or equal to 128")
        self.assert_invalid(self.create(MemorySize=10241), "less than or equal to 10240")

    def test_timeout_outside_1_to_900(self):
        self.assert_invalid(self.create(Timeout=0), "greater than or equal to 1")
        self.assert_invalid(self.create(Timeout=901), "less than or equal to 900")

    def test_bad_names_runtimes_and_environment(self):
        self.assert_invalid(self.create(FunctionName="bad name!"), "functionName")
        self.assert_invalid(self.create(FunctionName="x" * 65), "functionName")
        self.assert_invalid(self.create(Runtime="cobol85"), "cobol85")
        self.assert_invalid(self.create(Environment={"Variables": {"AWS_REGION": "x"}}), "reserved keys")
        self.assert_invalid(self.create(Environment={"Variables": {"BIG": "v" * 5000}}), "4KB")
        self.assert_invalid(self.create(Code={"ZipFile": "bm90IGEgemlw"}), "Could not unzip")

    def test_update_validates_too(self):
        response = self.emulator.request("PUT", "/2015-03-31/functions/f/configuration", b'{"MemorySize": 20000}')
        self.assertEqual(response.status, 404, "an unknown function is 404 before anything else")

    def test_malformed_body(self):
        response = self.emulator.request("POST", "/2015-03-31/functions", b"{not json")
        self.assertEqual(response.status, 400)
        self.assertEqual(response.error_type, "InvalidRequestContentException")


class ThrottleTest(unittest.TestCase):
    def test_reserved_concurrency_zero_throttles_every_invocation(self):
        with Emulator([python_function("off", ReservedConcurrentExecutions=0)]) as emulator:
            response = emulator.invoke("off", {})
            self.assertEqual(response.status, 429)
            self.assertEqual(response.error_type, "TooManyRequestsException")
            self.assertEqual(response.json(), {"Reason": "ReservedFunctionConcurrentInvocationLimitExceeded",
                                               "Type": "User", "message": "Rate Exceeded."})
            rows = emulator.query("SELECT status, error_type FROM invocations WHERE function = 'off'", wait_for_rows=1)
            self.assertEqual(rows, [("throttled", "ReservedFunctionConcurrentInvocationLimitExceeded")])

    def test_reserved_concurrency_exceeded(self):
        with Emulator([python_function("one", ReservedConcurrentExecutions=1)]) as emulator:
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                first = pool.submit(emulator.invoke, "one", {"do": "sleep", "seconds": 1.5})
                time.sleep(0.5)
                second = emulator.invoke("one", {})
                self.assertEqual(second.status, 429)
                self.assertEqual(second.json()["Reason"], "ReservedFunctionConcurrentInvocationLimitExceeded")
                self.assertEqual(first.result().status, 200)
            self.assertEqual(emulator.invoke("one", {}).status, 200, "the slot is free again")

    def test_account_concurrency_exceeded(self):
        settings = ["concurrency.account_limit=2", "concurrency.unreserved_minimum=0"]
        with Emulator([python_function("a"), python_function("b")], settings=settings) as emulator:
            with concurrent.futures.ThreadPoolExecutor(3) as pool:
                busy = [pool.submit(emulator.invoke, name, {"do": "sleep", "seconds": 1.5}) for name in ("a", "b")]
                time.sleep(0.7)
                response = emulator.invoke("a", {})
                self.assertEqual(response.status, 429)
                self.assertEqual(response.json()["Reason"], "ConcurrentInvocationLimitExceeded")
                self.assertTrue(all(f.result().status == 200 for f in busy))

    def test_reservation_may_not_eat_the_unreserved_minimum(self):
        settings = ["concurrency.account_limit=150"]
        with Emulator([python_function("a")], settings=settings) as emulator:
            response = emulator.request("PUT", "/2017-10-31/functions/a/concurrency", b'{"ReservedConcurrentExecutions": 51}')
            self.assertEqual(response.status, 400)
            self.assertIn("below its minimum value of [100]", response.json()["message"])
            response = emulator.request("PUT", "/2017-10-31/functions/a/concurrency", b'{"ReservedConcurrentExecutions": 50}')
            self.assertEqual(response.status, 200)


if __name__ == "__main__":
    unittest.main()
