"""Real AWS clients and runtimes, unchanged, against lambdalab: Debian's AWS CLI v2, boto3, the AWS SDK
for JavaScript v3 and the official Node.js runtime interface client (npm aws-lambda-ric)."""
import base64
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import CLIENTS_DIR, FIXTURES, Emulator, EmulatorTestCase, function, python_function  # noqa: E402

ZIPPED_HANDLER = "def handler(event, context):\n    return {'zipped': True, 'event': event}\n"


def require_clients():
    if not (CLIENTS_DIR / "node_modules" / "@aws-sdk" / "client-lambda").is_dir():
        raise AssertionError("tests/clients is not installed: run `make test` (it runs npm ci there)")


class AwsCliTest(EmulatorTestCase):
    FUNCTIONS = [python_function("py")]

    def test_invoke_with_the_cli_v2(self):
        out = Path(tempfile.mktemp())
        result = self.emulator.aws_cli("lambda", "invoke", "--function-name", "py", "--cli-binary-format",
                                       "raw-in-base64-out", "--payload", '{"a": 1}', "--log-type", "Tail", str(out))
        meta = json.loads(result.stdout)
        self.assertEqual((meta["StatusCode"], meta["ExecutedVersion"]), (200, "$LATEST"))
        self.assertIn("REPORT RequestId:", base64.b64decode(meta["LogResult"]).decode())
        self.assertEqual(json.loads(out.read_text())["event"], {"a": 1})
        out.unlink()

    def test_cli_errors(self):
        result = self.emulator.aws_cli("lambda", "invoke", "--function-name", "nope", "/dev/null", check=False)
        self.assertEqual(result.returncode, 254)
        self.assertIn("ResourceNotFoundException", result.stderr)


class Boto3Test(EmulatorTestCase):
    FUNCTIONS = [python_function("py"), python_function("limited", ReservedConcurrentExecutions=0)]

    def test_invoke_and_errors(self):
        client = self.emulator.boto3()
        response = client.invoke(FunctionName="py", Payload=b'{"b": 2}', LogType="Tail")
        self.assertEqual(response["StatusCode"], 200)
        self.assertEqual(json.loads(response["Payload"].read())["event"], {"b": 2})
        self.assertIn("END RequestId:", base64.b64decode(response["LogResult"]).decode())
        with self.assertRaises(client.exceptions.TooManyRequestsException) as raised:
            client.invoke(FunctionName="limited")
        self.assertEqual(raised.exception.response["Reason"], "ReservedFunctionConcurrentInvocationLimitExceeded")
        with self.assertRaises(client.exceptions.ResourceNotFoundException):
            client.invoke(FunctionName="py", Qualifier="3")


class JavaScriptSdkTest(EmulatorTestCase):
    FUNCTIONS = [python_function("py"), python_function("limited", ReservedConcurrentExecutions=0)]

    def test_the_js_sdk_v3(self):
        require_clients()
        zipped = Path(tempfile.mktemp(suffix=".zip"))
        with zipfile.ZipFile(zipped, "w") as archive:
            archive.writestr("app.py", ZIPPED_HANDLER)
        try:
            result = subprocess.run(["node", str(CLIENTS_DIR / "lambda_js_sdk.mjs")], cwd=CLIENTS_DIR,
                                    env=dict(os.environ, LAMBDALAB_ENDPOINT=self.emulator.url, LAMBDALAB_ZIP=str(zipped)),
                                    capture_output=True, text=True, timeout=120)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            self.assertIn("all checks passed", result.stdout)
        finally:
            zipped.unlink()


class NodeRuntimeInterfaceClientTest(EmulatorTestCase):
    """npm aws-lambda-ric 4.0.2 (the official client, with aws-lambda-cpp inside) as a custom runtime."""
    FUNCTIONS = [function("ric", "provided.al2023", "index.handler", "node_ric"),
                 function("ric-missing", "provided.al2023", "index.nope", "node_ric"),
                 function("ric-slow", "provided.al2023", "index.handler", "node_ric", Timeout=1)]

    @classmethod
    def setUpClass(cls):
        require_clients()
        super().setUpClass()

    def test_success_and_log(self):
        response = self.emulator.invoke("ric", {"x": 1}, tail=True)
        self.assertEqual(response.status, 200, response)
        body = response.json()
        self.assertEqual((body["ok"], body["event"], body["requestId"]), (True, {"x": 1}, response.request_id))
        self.assertGreater(body["remaining"], 0)
        self.assertRegex(response.log(), rf"\t{response.request_id}\tINFO\tMARK from the official runtime")
        self.assertEqual(self.emulator.invoke("ric", {}).status, 200, "a warm invocation through the same client")

    def test_handler_error(self):
        response = self.emulator.invoke("ric", {"throw": True})
        self.assertEqual(response.function_error, "Unhandled")
        body = response.json()
        self.assertEqual((body["errorType"], body["errorMessage"]), ("TypeError", "kaboom"))
        self.assertIsInstance(body["trace"], list)

    def test_init_error(self):
        response = self.emulator.invoke("ric-missing", {})
        self.assertEqual(response.function_error, "Unhandled")
        self.assertEqual(response.json()["errorType"], "Runtime.HandlerNotFound")

    def test_timeout(self):
        response = self.emulator.invoke("ric-slow", {"sleepMs": 3000})
        self.assertEqual(response.json()["errorType"], "Sandbox.Timedout")
        self.assertEqual(self.emulator.invoke("ric-slow", {}).status, 200)


if __name__ == "__main__":
    unittest.main()
