"""Starts a real `lambdalab serve` for a test and talks to it the way AWS clients do.

Every test gets its own emulator process on free ports with its own data directory, so tests run in
parallel (ctest -j). The emulator under test is $LAMBDALAB_BIN (the sanitizer build in `make test`).
"""
import base64
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "functions"
LAMBDALAB_BIN = os.environ.get("LAMBDALAB_BIN", str(REPO / "build" / "lambdalab"))
BUILD_DIR = Path(LAMBDALAB_BIN).parent
CLIENTS_DIR = REPO / "tests" / "clients"
ACCOUNT = "123456789012"
REGION = "us-east-1"

# Sandboxes get a private /tmp (their own mount namespace), so files a test shares with a function
# (markers, reports, code) live under /var/tmp instead.
SCRATCH = Path("/var/tmp/lambdalab-tests")
SCRATCH.mkdir(parents=True, exist_ok=True)
tempfile.tempdir = str(SCRATCH)

_BANNER = re.compile(r"Lambda API on http://([\d.]+):(\d+)")
_DYNAMODB_BANNER = re.compile(r"DynamoDB API on http://([\d.]+):(\d+)")


def function(name, runtime, handler, code, **config):
    """A functions-file entry; `code` is a directory under tests/functions or an absolute path."""
    entry = {"FunctionName": name, "Runtime": runtime, "Handler": handler,
             "CodeDirectory": str(code if os.path.isabs(str(code)) else FIXTURES / code),
             "MemorySize": 128, "Timeout": 3}
    entry.update(config)
    return entry


def python_function(name, **config):
    return function(name, "python3.12", "app.handler", "py_behaviors", **config)


def node_function(name, **config):
    return function(name, "nodejs22.x", "index.handler", "node_behaviors", **config)


def probe_function(name, **config):
    """A custom runtime (provided.al2023) that drives the Runtime API by hand, as told by each event."""
    return function(name, "provided.al2023", "probe", "probe", **config)


def cpp_function(name, **config):
    return function(name, "provided.al2023", "bootstrap", BUILD_DIR / "functions" / "hello-cpp", **config)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    def json(self):
        return json.loads(self.body)

    @property
    def function_error(self):
        return self.headers.get("x-amz-function-error")

    @property
    def error_type(self):
        return self.headers.get("x-amzn-errortype")

    @property
    def request_id(self):
        return self.headers.get("x-amzn-requestid")

    def log(self):
        return base64.b64decode(self.headers["x-amz-log-result"]).decode()

    def __repr__(self):
        return f"Response({self.status}, {self.headers}, {self.body[:300]!r})"


class Emulator:
    """One `lambdalab serve` process. Use as a context manager, or start()/stop()."""

    def __init__(self, functions=(), profile="none", settings=(), data_dir=None, extra_args=()):
        self.functions = list(functions)
        self.profile = profile
        self.settings = list(settings)
        self.extra_args = list(extra_args)
        self._own_dir = data_dir is None
        self.data_dir = Path(data_dir or tempfile.mkdtemp(prefix="lambdalab-test-"))
        self.process = None
        self.port = None
        self.dynamodb_port = None
        self.output = []

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self, timeout=30):
        args = [LAMBDALAB_BIN, "serve", "--port", "0", "--data-dir", str(self.data_dir), "--profile", self.profile]
        if self.functions:
            functions_file = self.data_dir / "functions.json"
            functions_file.write_text(json.dumps({"Functions": self.functions}))
            args += ["--functions", str(functions_file)]
        for setting in self.settings:
            args += ["--set", setting]
        args += self.extra_args
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + timeout
        while self.port is None:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"lambdalab exited ({self.process.wait()}): {''.join(self.output)}")
            self.output.append(line)
            if match := _BANNER.search(line):
                self.port = int(match.group(2))
            if time.time() > deadline:
                raise RuntimeError("lambdalab did not start: " + "".join(self.output))
        # Keep reading its output so it never blocks on a full pipe.
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()
        return self

    def _read_output(self):
        for line in self.process.stdout:
            self.output.append(line)
            if match := _DYNAMODB_BANNER.search(line):
                self.dynamodb_port = int(match.group(2))

    def wait_dynamodb(self, timeout=10):
        """The DynamoDB port, from its banner line (printed after the Lambda API's)."""
        for line in list(self.output):
            if match := _DYNAMODB_BANNER.search(line):
                self.dynamodb_port = int(match.group(2))
        return wait_until(lambda: self.dynamodb_port, timeout, message="the DynamoDB banner")

    def stop(self, timeout=30):
        """SIGTERM, as a user's Ctrl-C would; returns the exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
            raise AssertionError("lambdalab did not stop within %ss after SIGTERM" % timeout)
        self._reader.join(timeout=5)
        self.process = None
        return code

    def cleanup(self):
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        code = self.stop()
        self.cleanup()
        if exc[0] is not None:
            sys.stderr.write(f"--- lambdalab output ---\n{''.join(self.output)[-4000:]}\n")
        elif code != 0:
            raise AssertionError(f"lambdalab exited with {code}:\n{''.join(self.output)[-4000:]}")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self):
        return self.process.pid

    # -- raw HTTP --------------------------------------------------------------------------------
    def request(self, method, path, body=b"", headers=None, timeout=60):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            raw = connection.getresponse()
            return Response(raw.status, raw.getheaders(), raw.read())
        finally:
            connection.close()

    def invoke(self, name, payload=None, invocation_type=None, tail=False, headers=None, qualifier=None, timeout=60):
        body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload if payload is not None else {})
        if isinstance(body, str):
            body = body.encode()
        all_headers = dict(headers or {})
        if invocation_type:
            all_headers["X-Amz-Invocation-Type"] = invocation_type
        if tail:
            all_headers["X-Amz-Log-Type"] = "Tail"
        path = f"/2015-03-31/functions/{quote(name)}/invocations"
        if qualifier is not None:
            path += "?Qualifier=" + quote(qualifier)
        return self.request("POST", path, body, all_headers, timeout)

    # -- real AWS clients ------------------------------------------------------------------------
    def boto3(self, service="lambda", **config):
        import boto3
        from botocore.config import Config
        retries = {"total_max_attempts": 1, "mode": "standard"}
        port = self.port if service == "lambda" else self.wait_dynamodb()
        return boto3.client(service, endpoint_url=f"http://127.0.0.1:{port}", region_name=REGION,
                            aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
                            config=Config(retries=retries, read_timeout=120, **config))

    def aws_cli(self, *args, check=True):
        """Debian's AWS CLI v2 (/usr/bin/aws), with dummy credentials; returns CompletedProcess."""
        env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret",
                   AWS_DEFAULT_REGION=REGION, AWS_PAGER="", AWS_MAX_ATTEMPTS="1")
        cmd = ["/usr/bin/aws", "--endpoint-url", self.url, *args]
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} failed ({result.returncode}): {result.stderr}")
        return result

    # -- the store and the processes ---------------------------------------------------------------
    def db(self):
        import sqlite3
        return sqlite3.connect(f"file:{self.data_dir / 'lambdalab.db'}?mode=ro", uri=True, timeout=10)

    def query(self, sql, *params, wait_for_rows=0, timeout=5):
        """Rows of a query on the store; the emulator writes in batches, so it can wait for rows to appear."""
        deadline = time.time() + timeout
        while True:
            with self.db() as db:
                rows = db.execute(sql, params).fetchall()
            if len(rows) >= wait_for_rows or time.time() > deadline:
                return rows
            time.sleep(0.05)

    def children(self):
        """Pids of the emulator's child processes (the sandboxes' runtimes)."""
        return children_of(self.pid)

    def fd_count(self):
        return len(os.listdir(f"/proc/{self.pid}/fd"))


def quote(text):
    from urllib.parse import quote as _quote
    return _quote(text, safe="")


def children_of(pid):
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return found


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2] != "Z"


def wait_until(predicate, timeout=10, interval=0.05, message="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EmulatorTestCase(unittest.TestCase):
    """A test class sharing one emulator across its tests (started in setUpClass)."""

    FUNCTIONS = ()
    PROFILE = "none"
    SETTINGS = ()

    @classmethod
    def setUpClass(cls):
        cls.emulator = Emulator(cls.FUNCTIONS, profile=cls.PROFILE, settings=cls.SETTINGS).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.emulator.stop()
        output = "".join(cls.emulator.output)
        cls.emulator.cleanup()
        if code != 0:
            raise AssertionError(f"lambdalab exited with {code}:\n{output[-4000:]}")
