"""The Invoke API (reference/runtime-api.md §2): invocation types, log tails, function names and
qualifiers, client context, payload limits and Lambda's error shapes."""
import base64
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import ACCOUNT, EmulatorTestCase, node_function, python_function, wait_until  # noqa: E402

REPORT = re.compile(r"^REPORT RequestId: (?P<id>[0-9a-f-]{36})\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\t"
                    r"Memory Size: 128 MB\tMax Memory Used: \d+ MB\t(Init Duration: \d+\.\d\d ms\t)?$", re.M)


class InvokeApiTest(EmulatorTestCase):
    FUNCTIONS = [python_function("py"), node_function("node")]

    def test_request_response_returns_the_result_with_lambda_headers(self):
        response = self.emulator.invoke("py", {"a": 1})
        self.assertEqual(response.status, 200)
        body = response.json()
        self.assertEqual(body["event"], {"a": 1})
        self.assertEqual(response.request_id, body["request_id"])
        self.assertEqual(response.headers["x-amz-executed-version"], "$LATEST")
        self.assertIsNone(response.function_error)
        self.assertNotIn("x-amz-log-result", response.headers)

    def test_event_is_accepted_at_once_and_runs_later(self):
        marker = Path(tempfile.mktemp(prefix="event-marker-"))
        try:
            self.emulator.invoke("py", {})  # a warm sandbox, so timing reflects queueing only
            started = time.time()
            response = self.emulator.invoke("py", {"do": "touch", "path": str(marker), "after": 2.0},
                                            invocation_type="Event")
            # Accepted long before the handler's 2 s are over: the caller does not wait for the run.
            self.assertLess(time.time() - started, 1.5)
            self.assertEqual(response.status, 202)
            self.assertEqual(response.body, b"")
            self.assertRegex(response.request_id, r"^[0-9a-f-]{36}$")
            wait_until(lambda: marker.exists() and marker.read_text().endswith("\n"), message="the event's handler to run")
            self.assertEqual(json.loads(marker.read_text())["request_id"], response.request_id)
            rows = self.emulator.query("SELECT invocation_type, status FROM invocations WHERE request_id = ?",
                                       response.request_id, wait_for_rows=1)
            self.assertEqual(rows, [("Event", "success")])
        finally:
            marker.unlink(missing_ok=True)

    def test_dry_run_validates_without_running(self):
        marker = Path(tempfile.mktemp(prefix="dryrun-marker-"))
        response = self.emulator.invoke("py", {"do": "touch", "path": str(marker)}, invocation_type="DryRun")
        self.assertEqual(response.status, 204)
        self.assertEqual(response.body, b"")
        time.sleep(0.3)
        self.assertFalse(marker.exists())
        self.assertEqual(self.emulator.invoke("nope", {}, invocation_type="DryRun").status, 404)

    def test_tail_returns_the_last_4_kb_of_the_log_in_lambda_format(self):
        response = self.emulator.invoke("node", {"do": "log", "text": "MARK"}, tail=True)
        log = response.log()
        request_id = response.request_id
        self.assertIn(f"START RequestId: {request_id} Version: $LATEST\n", log)
        self.assertRegex(log, rf"\d{{4}}-\d\d-\d\dT[\d:.]+Z\t{request_id}\tINFO\tMARK")
        self.assertIn(f"END RequestId: {request_id}\n", log)
        match = REPORT.search(log)
        self.assertIsNotNone(match, log)
        self.assertEqual(match.group("id"), request_id)
        self.assertTrue(log.index("START") < log.index("MARK") < log.index("END") < log.index("REPORT"))

    def test_tail_is_cut_to_4096_bytes(self):
        response = self.emulator.invoke("py", {"do": "print", "text": "y" * 10000}, tail=True)
        raw = base64.b64decode(response.headers["x-amz-log-result"])
        self.assertEqual(len(raw), 4096)
        self.assertTrue(raw.decode().rstrip("\n").split("\n")[-1].startswith("REPORT RequestId: "))

    def test_function_names_arns_and_qualifiers(self):
        arn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:py"
        for name, qualifier in [(arn, None), (f"{ACCOUNT}:function:py", None), ("py:$LATEST", None),
                                (arn + ":$LATEST", None), ("py", "$LATEST")]:
            with self.subTest(name=name, qualifier=qualifier):
                self.assertEqual(self.emulator.invoke(name, {}, qualifier=qualifier).status, 200)
        # Clients percent-encode the name; a raw (unencoded) colon works too.
        raw = self.emulator.request("POST", "/2015-03-31/functions/py:$LATEST/invocations", b"{}")
        self.assertEqual(raw.status, 200)

    def test_invoked_function_arn_keeps_the_qualifier_it_was_called_with(self):
        arn = self.emulator.invoke("py:$LATEST", {"do": "context"}).json()["invoked_function_arn"]
        self.assertEqual(arn, f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:py:$LATEST")

    def test_unknown_function_or_qualifier_is_404_resource_not_found(self):
        response = self.emulator.invoke("nope", {})
        self.assertEqual(response.status, 404)
        self.assertEqual(response.error_type, "ResourceNotFoundException")
        self.assertEqual(response.json(), {"Type": "User",
                                           "Message": f"Function not found: arn:aws:lambda:us-east-1:{ACCOUNT}:function:nope"})
        response = self.emulator.invoke("py", {}, qualifier="7")
        self.assertEqual(response.status, 404)
        self.assertEqual(response.json()["Message"], f"Function not found: arn:aws:lambda:us-east-1:{ACCOUNT}:function:py:7")

    def test_conflicting_qualifiers_and_malformed_names_are_400(self):
        response = self.emulator.invoke("py:one", {}, qualifier="two")
        self.assertEqual(response.status, 400)
        self.assertEqual(response.error_type, "InvalidParameterValueException")
        response = self.emulator.invoke("not a name!", {})
        self.assertEqual(response.status, 400)
        self.assertEqual(response.error_type, "ValidationException")

    def test_payload_over_6_mb_is_413(self):
        response = self.emulator.invoke("py", b'"' + b"x" * 6291455 + b'"')
        self.assertEqual(response.status, 413)
        self.assertEqual(response.error_type, "RequestEntityTooLargeException")
        self.assertEqual(response.json(), {"Type": "User",
                                           "message": "Request must be smaller than 6291456 bytes for the InvokeFunction operation"})

    def test_payload_just_under_6_mb_is_delivered(self):
        payload = b'{"do": "echo", "pad": "' + b"x" * 6291000 + b'"}'
        response = self.emulator.invoke("py", payload)
        self.assertEqual(response.status, 200, response)
        self.assertEqual(len(response.json()["event"]["pad"]), 6291000)

    def test_event_payload_over_1_mb_is_413(self):
        response = self.emulator.invoke("py", b'"' + b"x" * 1048577 + b'"', invocation_type="Event")
        self.assertEqual(response.status, 413)
        self.assertEqual(response.json()["message"],
                         "1048579 byte payload is too large for the Event invocation type (limit 1048576 bytes)")

    def test_curl_with_expect_100_continue_does_not_stall(self):
        big = Path(tempfile.mktemp(prefix="payload-"))
        big.write_text(json.dumps({"pad": "z" * 2_000_000}))
        try:
            started = time.time()
            out = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Expect: 100-continue",
                                  "--data-binary", f"@{big}", f"{self.emulator.url}/2015-03-31/functions/py/invocations"],
                                 capture_output=True, text=True, timeout=30)
            self.assertEqual(out.stdout, "200", out.stderr)
            self.assertLess(time.time() - started, 3, "curl waited for a 100 Continue that never came")
            big.write_text('"' + "z" * 7_000_000 + '"')
            out = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Expect: 100-continue",
                                  "--data-binary", f"@{big}", f"{self.emulator.url}/2015-03-31/functions/py/invocations"],
                                 capture_output=True, text=True, timeout=30)
            self.assertEqual(out.stdout, "413", out.stderr)
        finally:
            big.unlink(missing_ok=True)

    def test_bad_json_is_400_invalid_request_content(self):
        response = self.emulator.invoke("py", b"value")
        self.assertEqual(response.status, 400)
        self.assertEqual(response.error_type, "InvalidRequestContentException")
        self.assertTrue(response.json()["message"].startswith("Could not parse request body into json"))

    def test_empty_payload_reaches_the_function_as_an_empty_object(self):
        self.assertEqual(self.emulator.invoke("py", b"").json()["event"], {})

    def test_client_context_reaches_the_function(self):
        context = base64.b64encode(json.dumps({"custom": {"k": "v"}}).encode()).decode()
        py = self.emulator.invoke("py", {"do": "context"}, headers={"X-Amz-Client-Context": context}).json()
        self.assertEqual(py["client_context"], {"k": "v"})
        node = self.emulator.invoke("node", {"do": "context"}, headers={"X-Amz-Client-Context": context}).json()
        self.assertEqual(node["clientContext"]["custom"], {"k": "v"})
        bad = self.emulator.invoke("py", {}, headers={"X-Amz-Client-Context": "not base64!"})
        self.assertEqual(bad.status, 400)
        self.assertEqual(bad.error_type, "InvalidParameterValueException")

    def test_context_fields(self):
        body = self.emulator.invoke("node", {"do": "context"}).json()
        self.assertEqual(body["functionName"], "node")
        self.assertEqual(body["functionVersion"], "$LATEST")
        self.assertEqual(body["memoryLimitInMB"], "128")
        self.assertTrue(body["invokedFunctionArn"].endswith(":function:node"))
        self.assertEqual(body["logGroupName"], "/aws/lambda/node")
        self.assertGreater(body["remainingMs"], 0)
        self.assertLessEqual(body["remainingMs"], 3000)
        for key in ("AWS_LAMBDA_RUNTIME_API", "_HANDLER", "LAMBDA_TASK_ROOT", "AWS_REGION"):
            self.assertTrue(body["env"][key], key)

    def test_invalid_invocation_or_log_type_is_400(self):
        self.assertEqual(self.emulator.invoke("py", {}, invocation_type="Sometimes").status, 400)
        self.assertEqual(self.emulator.invoke("py", {}, headers={"X-Amz-Log-Type": "Everything"}).status, 400)

    def test_unknown_operations_get_lambda_errors(self):
        response = self.emulator.request("GET", "/2015-03-31/nothing")
        self.assertEqual(response.status, 404)
        self.assertEqual(response.error_type, "UnknownOperationException")
        response = self.emulator.request("PATCH", "/2015-03-31/functions/py/invocations")
        self.assertEqual(response.status, 404)

    def test_malformed_http_and_huge_headers(self):
        with socket.create_connection(("127.0.0.1", self.emulator.port), timeout=5) as s:
            s.sendall(b"THIS IS NOT HTTP\r\n\r\n")
            self.assertIn(b"400", s.recv(4096).split(b"\r\n")[0])
        with socket.create_connection(("127.0.0.1", self.emulator.port), timeout=5) as s:
            s.sendall(b"POST /2015-03-31/functions/py/invocations HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n")
            self.assertIn(b"431", s.recv(4096).split(b"\r\n")[0])
        self.assertEqual(self.emulator.invoke("py", {}).status, 200, "the emulator serves on after bad requests")

    def test_legacy_invoke_async(self):
        response = self.emulator.request("POST", "/2014-11-13/functions/py/invoke-async/", b"{}")
        self.assertEqual(response.status, 202)
        self.assertEqual(response.json(), {"Status": 202})


if __name__ == "__main__":
    unittest.main()
