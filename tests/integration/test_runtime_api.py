"""The Runtime API a sandbox's runtime talks to (reference/runtime-api.md §1.1-1.5 and §3), checked
through a custom runtime (tests/functions/probe) that calls it by hand and reports what it answered."""
import json
import os
import re
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import ACCOUNT, EmulatorTestCase, probe_function, python_function  # noqa: E402

INVALID_ID = {"errorMessage": "Invalid request ID", "errorType": "InvalidRequestID"}


class RuntimeApiTest(EmulatorTestCase):
    FUNCTIONS = [
        probe_function("probe", Timeout=3),
        probe_function("probe-init-error", Environment={"Variables": {"PROBE_INIT": "init-error"}}, Timeout=30),
        probe_function("probe-exit-at-init", Environment={"Variables": {"PROBE_INIT": "exit:3"}}),
        probe_function("probe-never-next", Environment={"Variables": {"PROBE_INIT": "never-next"}}, Timeout=1),
        python_function("py"),
    ]
    # INIT gets 0.5 s instead of 10 so the never-calls-/next case is quick.
    SETTINGS = ["cold_start.init_limit_ms=500"]

    def setUp(self):
        self.report = Path(tempfile.mktemp(prefix="probe-report-"))

    def tearDown(self):
        self.report.unlink(missing_ok=True)

    def probe(self, actions, function="probe", **kwargs):
        return self.emulator.invoke(function, {"actions": actions, "report_to": str(self.report)}, **kwargs)

    def reported(self, count):
        deadline = time.time() + 5
        while time.time() < deadline:
            if self.report.exists():
                lines = self.report.read_text().splitlines()
                if len(lines) >= count:
                    return [json.loads(line) for line in lines]
            time.sleep(0.02)
        self.fail(f"the probe reported fewer than {count} results")

    def test_next_carries_the_invocation_headers_and_a_deadline_fixed_at_dispatch(self):
        response = self.probe([])
        self.assertEqual(response.status, 200, response)
        first = response.json()["records"][0]
        headers = first["headers"]
        self.assertEqual(headers["lambda-runtime-aws-request-id"], response.request_id)
        self.assertEqual(headers["lambda-runtime-invoked-function-arn"],
                         f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:probe")
        self.assertRegex(headers["lambda-runtime-deadline-ms"], r"^\d{13}$")
        remaining = int(headers["lambda-runtime-deadline-ms"]) - first["now_ms"]
        self.assertGreater(remaining, 2800)
        self.assertLessEqual(remaining, 3000)
        self.assertEqual(headers["content-type"], "application/json")
        self.assertRegex(headers["lambda-runtime-trace-id"], r"^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$")

    def test_next_again_before_answering_returns_the_same_event(self):
        records = self.probe([{"op": "sleep", "seconds": 0.05}, {"op": "next"}]).json()["records"]
        self.assertEqual(records[1]["status"], 200)
        for header in ("lambda-runtime-aws-request-id", "lambda-runtime-deadline-ms"):
            self.assertEqual(records[1]["headers"][header], records[0]["headers"][header])

    def test_response_is_accepted_with_202_status_ok(self):
        response = self.probe([{"op": "respond", "body": {"ok": 1}}])
        self.assertEqual(response.json(), {"ok": 1})
        result = self.reported(1)[0]
        self.assertEqual(result["status"], 202)
        self.assertEqual(json.loads(result["body"]), {"status": "OK"})
        self.assertEqual(result["headers"]["content-type"], "application/json")

    def test_unknown_or_empty_request_id_is_400_invalid_request_id(self):
        records = self.probe([{"op": "post", "path": "/invocation/not-a-real-id/response", "body": "{}"},
                              {"op": "post", "path": "/invocation/not-a-real-id/error", "body": "{}"},
                              {"op": "post", "path": "/invocation//response", "body": "{}"}]).json()["records"]
        for record in records[1:]:
            self.assertEqual(record["status"], 400, record)
            self.assertEqual(json.loads(record["body"]), INVALID_ID)

    def test_a_second_response_for_the_same_id_is_403_invalid_state_transition(self):
        self.probe([{"op": "respond", "body": 1},
                    {"op": "post", "path": "/invocation/{id}/response", "body": "2"},
                    {"op": "post", "path": "/invocation/{id}/error", "body": "{}"}])
        _, second, error = self.reported(3)
        self.assertEqual(second["status"], 403)
        self.assertEqual(json.loads(second["body"]), {
            "errorMessage": "State transition from RuntimeResponseSentState to InvocationResponse failed for runtime. "
                            "Error: State transition is not allowed",
            "errorType": "InvalidStateTransition"})
        self.assertEqual(error["status"], 403)
        self.assertIn("to InvocationErrorResponse failed", json.loads(error["body"])["errorMessage"])

    def test_init_error_after_init_is_403(self):
        record = self.probe([{"op": "post", "path": "/init/error", "body": "{}"}]).json()["records"][1]
        self.assertEqual(record["status"], 403)
        self.assertEqual(json.loads(record["body"])["errorType"], "InvalidStateTransition")
        self.assertIn("to InitError failed for runtime", json.loads(record["body"])["errorMessage"])

    def test_unknown_response_mode_is_400(self):
        record = self.probe([{"op": "post", "path": "/invocation/{id}/response", "body": "{}",
                              "headers": {"Lambda-Runtime-Function-Response-Mode": "bogus"}}]).json()["records"][1]
        self.assertEqual(record["status"], 400)
        self.assertEqual(json.loads(record["body"]),
                         {"errorMessage": "Invalid function response mode", "errorType": "InvalidFunctionResponseMode"})

    def test_an_oversized_response_is_413_and_the_caller_gets_function_response_size_too_large(self):
        response = self.probe([{"op": "post", "path": "/invocation/{id}/response", "size": 6291557, "final": True}])
        self.assertEqual(response.status, 200)
        self.assertEqual(response.function_error, "Unhandled")
        body = response.json()
        self.assertEqual(body["errorType"], "Function.ResponseSizeTooLarge")
        self.assertIn("exceeded maximum allowed payload size (6291556 bytes)", body["errorMessage"])
        result = self.reported(1)[0]
        self.assertEqual(result["status"], 413)
        self.assertEqual(json.loads(result["body"]), {
            "errorMessage": "Exceeded maximum allowed payload size (6291556 bytes).", "errorType": "RequestEntityTooLarge"})

    def test_a_response_at_the_limit_is_accepted(self):
        response = self.probe([{"op": "post", "path": "/invocation/{id}/response", "size": 6291556, "final": True}])
        self.assertEqual(response.status, 200)
        self.assertIsNone(response.function_error)
        self.assertEqual(len(response.body), 6291556)

    def test_error_body_reaches_the_caller_verbatim_whatever_the_header_says(self):
        body = {"errorMessage": "it broke", "errorType": "My.Error", "stackTrace": ["a", "b"], "extra": 1}
        response = self.probe([{"op": "post", "path": "/invocation/{id}/error", "body": json.dumps(body),
                                "headers": {"Lambda-Runtime-Function-Error-Type": "Something.Else"}, "final": True}])
        self.assertEqual(response.status, 200)
        self.assertEqual(response.function_error, "Unhandled")
        self.assertEqual(response.json(), body)
        self.assertEqual(self.reported(1)[0]["status"], 202)

    def test_an_error_without_body_is_built_from_the_error_type_header(self):
        response = self.probe([{"op": "post", "path": "/invocation/{id}/error", "body": "",
                                "headers": {"Lambda-Runtime-Function-Error-Type": "Runtime.Custom"}, "final": True}])
        self.assertEqual(response.function_error, "Unhandled")
        self.assertEqual(response.json()["errorType"], "Runtime.Custom")

    def test_init_error_is_answered_at_once_with_what_the_runtime_posted(self):
        started = time.time()
        response = self.emulator.invoke("probe-init-error", {}, tail=True)
        self.assertLess(time.time() - started, 5, "init errors must not wait for the 30 s timeout")
        self.assertEqual(response.status, 200)
        self.assertEqual(response.function_error, "Unhandled")
        self.assertEqual(response.json(), {"errorMessage": "probe init failed", "errorType": "Probe.InitFailed",
                                           "stackTrace": []})
        log = response.log()
        self.assertIn("probe: failing init", log)
        self.assertRegex(log, r"INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: error\tError Type: Probe.InitFailed")

    def test_a_runtime_that_exits_during_init_gives_runtime_exit_error(self):
        response = self.emulator.invoke("probe-exit-at-init", {})
        self.assertEqual(response.function_error, "Unhandled")
        self.assertEqual(response.json(), {
            "errorType": "Runtime.ExitError",
            "errorMessage": f"RequestId: {response.request_id} Error: Runtime exited with error: exit status 3"})

    def test_a_runtime_that_never_calls_next_times_out(self):
        started = time.time()
        response = self.emulator.invoke("probe-never-next", {})
        elapsed = time.time() - started
        self.assertEqual(response.function_error, "Unhandled")
        self.assertEqual(response.json()["errorType"], "Sandbox.Timedout")
        self.assertRegex(response.json()["errorMessage"], r"Task timed out after \d+\.\d\d seconds")
        # INIT limit (0.5 s here), then the retried INIT under the 1 s function timeout.
        self.assertLess(elapsed, 10)

    def test_exit_during_an_invocation_is_runtime_exit_error_and_the_next_invocation_is_cold(self):
        self.assertEqual(self.probe([]).status, 200)
        response = self.probe([{"op": "exit", "code": 42}], tail=True)
        self.assertEqual(response.json(), {
            "errorType": "Runtime.ExitError",
            "errorMessage": f"RequestId: {response.request_id} Error: Runtime exited with error: exit status 42"})
        self.assertRegex(response.log(), r"REPORT RequestId: \S+\tDuration: \d+\.\d\d ms\t.*\tStatus: error\tError Type: Runtime.ExitError\t")
        after = self.probe([], tail=True)
        self.assertEqual(after.status, 200)
        self.assertIsNone(after.function_error)
        self.assertIn("Init Duration:", after.log(), "after a crash the next invocation re-initializes")

    def test_environment_of_a_custom_runtime(self):
        records = self.probe([{"op": "env"}]).json()["records"]
        env = records[1]["env"]
        self.assertEqual(env["_HANDLER"], "probe")
        self.assertEqual(env["AWS_LAMBDA_FUNCTION_NAME"], "probe")
        self.assertEqual(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "128")
        self.assertEqual(env["AWS_LAMBDA_FUNCTION_VERSION"], "$LATEST")
        self.assertEqual(env["AWS_LAMBDA_INITIALIZATION_TYPE"], "on-demand")
        self.assertEqual(env["AWS_LAMBDA_LOG_GROUP_NAME"], "/aws/lambda/probe")
        self.assertRegex(env["AWS_LAMBDA_LOG_STREAM_NAME"], r"^\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}$")
        self.assertEqual(env["AWS_REGION"], "us-east-1")
        self.assertEqual(env["AWS_DEFAULT_REGION"], "us-east-1")
        self.assertRegex(env["AWS_LAMBDA_RUNTIME_API"], r"^127\.0\.0\.1:\d+$")
        self.assertTrue(os.path.isdir(env["LAMBDA_TASK_ROOT"]))
        self.assertEqual(env["TZ"], ":UTC")
        for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "LAMBDA_RUNTIME_DIR", "PATH"):
            self.assertIn(key, env)
        self.assertNotIn("AWS_EXECUTION_ENV", env, "custom runtimes have no AWS_EXECUTION_ENV")
        self.assertEqual(env["AWS_ENDPOINT_URL_LAMBDA"], self.emulator.url)

    def test_managed_runtime_environment_names_its_execution_env(self):
        env = self.emulator.invoke("py", {"do": "env"}).json()
        self.assertEqual(env["AWS_EXECUTION_ENV"], "AWS_Lambda_python3.12")
        self.assertEqual(env["_HANDLER"], "app.handler")

    def test_unknown_paths_and_methods(self):
        records = self.probe([{"op": "post", "path": "/nothing/here", "body": ""},
                              {"op": "post", "path": "/invocation/next", "body": ""}]).json()["records"]
        self.assertEqual(records[1]["status"], 404)
        self.assertEqual(records[2]["status"], 405)


if __name__ == "__main__":
    unittest.main()
