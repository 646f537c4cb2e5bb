"""Functions created and changed the way AWS does it (AWS CLI v2 and boto3), persisted in SQLite
across restarts."""
import base64
import io
import json
import sys
import tempfile
import unittest
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import ACCOUNT, Emulator  # noqa: E402

HANDLER_V1 = "import os\ndef handler(event, context):\n    return {'version': 1, 'greeting': os.environ.get('GREETING')}\n"
HANDLER_V2 = "def handler(event, context):\n    return {'version': 2}\n"
BOOTSTRAP = """#!/bin/sh
# A shell custom runtime: one /next, one /response, forever.
API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation"
while true; do
  HEADERS=$(mktemp); BODY=$(curl -sS -D "$HEADERS" "$API/next")
  ID=$(grep -i lambda-runtime-aws-request-id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  curl -sS -o /dev/null -X POST "$API/$ID/response" -d "{\\"shell\\":true,\\"got\\":$BODY}"
done
"""


def make_zip(files):
    """A zip made the way `zip` on Linux makes it: Unix permissions in the external attributes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (text, mode) in files.items():
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (0o100000 | mode) << 16
            archive.writestr(info, text)
    return buffer.getvalue()


class ControlPlaneTest(unittest.TestCase):
    def setUp(self):
        self.emulator = Emulator().start()
        self.workdir = Path(tempfile.mkdtemp(prefix="control-plane-"))
        self.zip_v1 = self.workdir / "v1.zip"
        self.zip_v1.write_bytes(make_zip({"app.py": (HANDLER_V1, 0o644)}))

    def tearDown(self):
        code = self.emulator.stop()
        self.emulator.cleanup()
        self.assertEqual(code, 0, "".join(self.emulator.output))

    def cli(self, *args, check=True):
        result = self.emulator.aws_cli("lambda", *args, check=check)
        return json.loads(result.stdout) if check and result.stdout.strip() else result

    def test_the_function_lifecycle_with_the_aws_cli(self):
        created = self.cli("create-function", "--function-name", "fn", "--runtime", "python3.12", "--handler",
                           "app.handler", "--role", f"arn:aws:iam::{ACCOUNT}:role/r", "--zip-file", f"fileb://{self.zip_v1}")
        self.assertEqual(created["FunctionArn"], f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:fn")
        self.assertEqual((created["MemorySize"], created["Timeout"], created["State"]), (128, 3, "Active"))
        self.assertEqual(created["CodeSize"], self.zip_v1.stat().st_size)
        self.assertEqual(len(base64.b64decode(created["CodeSha256"])), 32)

        out = self.workdir / "out.json"
        self.cli("invoke", "--function-name", "fn", "--cli-binary-format", "raw-in-base64-out", "--payload", "{}", str(out))
        self.assertEqual(json.loads(out.read_text()), {"version": 1, "greeting": None})

        updated = self.cli("update-function-configuration", "--function-name", "fn", "--memory-size", "512",
                           "--timeout", "10", "--environment", "Variables={GREETING=hi}")
        self.assertEqual((updated["MemorySize"], updated["Timeout"]), (512, 10))
        self.assertEqual(updated["Environment"]["Variables"], {"GREETING": "hi"})
        self.cli("invoke", "--function-name", "fn", str(out))
        self.assertEqual(json.loads(out.read_text())["greeting"], "hi")

        zip_v2 = self.workdir / "v2.zip"
        zip_v2.write_bytes(make_zip({"app.py": (HANDLER_V2, 0o644)}))
        code = self.cli("update-function-code", "--function-name", "fn", "--zip-file", f"fileb://{zip_v2}")
        self.assertNotEqual(code["CodeSha256"], created["CodeSha256"])
        self.cli("invoke", "--function-name", "fn", str(out))
        self.assertEqual(json.loads(out.read_text()), {"version": 2})

        got = self.cli("get-function", "--function-name", "fn")
        self.assertEqual(got["Configuration"]["MemorySize"], 512)
        self.assertNotIn("Concurrency", got)
        listed = self.cli("list-functions")
        self.assertEqual([f["FunctionName"] for f in listed["Functions"]], ["fn"])

        self.assertEqual(self.cli("put-function-concurrency", "--function-name", "fn",
                                  "--reserved-concurrent-executions", "5"), {"ReservedConcurrentExecutions": 5})
        self.assertEqual(self.cli("get-function-concurrency", "--function-name", "fn"), {"ReservedConcurrentExecutions": 5})
        self.assertEqual(self.cli("get-function", "--function-name", "fn")["Concurrency"], {"ReservedConcurrentExecutions": 5})
        self.assertEqual(self.cli("delete-function-concurrency", "--function-name", "fn", check=False).returncode, 0)
        # An empty answer ({}): the CLI prints nothing.
        self.assertEqual(self.cli("get-function-concurrency", "--function-name", "fn", check=False).stdout.strip(), "")

        self.assertEqual(self.cli("delete-function", "--function-name", "fn", check=False).returncode, 0)
        missing = self.cli("get-function", "--function-name", "fn", check=False)
        self.assertNotEqual(missing.returncode, 0)
        self.assertIn("ResourceNotFoundException", missing.stderr)

    def test_create_twice_is_a_conflict(self):
        client = self.emulator.boto3()
        args = dict(FunctionName="twice", Runtime="python3.12", Handler="app.handler", Role="arn:aws:iam::1:role/r",
                    Code={"ZipFile": self.zip_v1.read_bytes()})
        client.create_function(**args)
        with self.assertRaises(client.exceptions.ResourceConflictException):
            client.create_function(**args)

    def test_a_custom_runtime_zip_keeps_its_executable_bootstrap(self):
        client = self.emulator.boto3()
        client.create_function(FunctionName="shell", Runtime="provided.al2023", Handler="none",
                               Role="arn:aws:iam::1:role/r", Code={"ZipFile": make_zip({"bootstrap": (BOOTSTRAP, 0o755)})})
        response = client.invoke(FunctionName="shell", Payload=b'{"n": 3}')
        self.assertEqual(json.loads(response["Payload"].read()), {"shell": True, "got": {"n": 3}})

    def test_a_zip_entry_escaping_the_package_is_refused(self):
        client = self.emulator.boto3()
        with self.assertRaises(client.exceptions.InvalidParameterValueException) as raised:
            client.create_function(FunctionName="evil", Runtime="python3.12", Handler="app.handler",
                                   Role="arn:aws:iam::1:role/r", Code={"ZipFile": make_zip({"../../evil.py": ("x", 0o644)})})
        self.assertIn("outside the package", str(raised.exception))

    def test_a_missing_bootstrap_is_runtime_invalid_entrypoint(self):
        client = self.emulator.boto3()
        client.create_function(FunctionName="nobootstrap", Runtime="provided.al2023", Handler="x",
                               Role="arn:aws:iam::1:role/r", Code={"ZipFile": make_zip({"readme.txt": ("hi", 0o644)})})
        response = client.invoke(FunctionName="nobootstrap")
        self.assertEqual(response["FunctionError"], "Unhandled")
        body = json.loads(response["Payload"].read())
        self.assertEqual(body["errorType"], "Runtime.InvalidEntrypoint")
        self.assertIn("Couldn't find valid bootstrap(s)", body["errorMessage"])

    def test_functions_and_their_settings_survive_a_restart(self):
        client = self.emulator.boto3()
        client.create_function(FunctionName="kept", Runtime="python3.12", Handler="app.handler",
                               Role="arn:aws:iam::1:role/r", Code={"ZipFile": self.zip_v1.read_bytes()},
                               MemorySize=256, Environment={"Variables": {"GREETING": "again"}})
        client.put_function_concurrency(FunctionName="kept", ReservedConcurrentExecutions=3)
        self.assertEqual(self.emulator.stop(), 0)

        self.emulator = Emulator(data_dir=self.emulator.data_dir).start()
        client = self.emulator.boto3()
        config = client.get_function(FunctionName="kept")
        self.assertEqual(config["Configuration"]["MemorySize"], 256)
        self.assertEqual(config["Concurrency"], {"ReservedConcurrentExecutions": 3})
        response = client.invoke(FunctionName="kept")
        self.assertEqual(json.loads(response["Payload"].read()), {"version": 1, "greeting": "again"})
        self.emulator._own_dir = True


if __name__ == "__main__":
    unittest.main()
