"""Bad input never crashes the emulator, hangs it or leaks: a storm of failing runtimes and malformed
requests leaves its file descriptors and child processes where they were."""
import concurrent.futures
import socket
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import Emulator, probe_function, python_function, wait_until  # noqa: E402


class StormTest(unittest.TestCase):
    FUNCTIONS = [
        python_function("healthy"),
        python_function("crashes", Timeout=2),
        python_function("times-out", Timeout=1),
        python_function("import-error", Environment={"Variables": {"INIT_BEHAVIOUR": "import-error"}}),
        probe_function("exits-at-init", Environment={"Variables": {"PROBE_INIT": "exit:1"}}),
        probe_function("never-next", Environment={"Variables": {"PROBE_INIT": "never-next"}}, Timeout=1),
        probe_function("garbage"),
    ]

    def test_a_storm_of_failures_leaks_nothing(self):
        with Emulator(self.FUNCTIONS, settings=["cold_start.init_limit_ms=300"]) as emulator:
            self.assertEqual(emulator.invoke("healthy", {}).status, 200)
            # A runtime that posts garbage to its Runtime API gets 400s and carries on (one warm sandbox).
            garbage = emulator.invoke("garbage", {"actions": [
                {"op": "post", "path": "/invocation/x/response", "body": "\x00\xff garbage"},
                {"op": "post", "path": "/init/error", "body": "garbage"}]}).json()["records"]
            self.assertEqual([r["status"] for r in garbage[1:]], [400, 403])
            time.sleep(0.3)
            baseline_fds = emulator.fd_count()
            self.assertEqual(len(emulator.children()), 2)

            calls = [("crashes", {"do": "exit", "code": 3}), ("crashes", {"do": "signal", "signal": 11}),
                     ("times-out", {"do": "sleep", "seconds": 5}), ("import-error", {}), ("exits-at-init", {}),
                     ("never-next", {}), ("healthy", b"{not json"), ("nope", {})]
            with concurrent.futures.ThreadPoolExecutor(6) as pool:
                results = list(pool.map(lambda call: emulator.invoke(*call), calls * 4))
            self.assertTrue(all(r.status in (200, 400, 404) for r in results), [r.status for r in results])
            errors = [r for r in results if r.status == 200 and r.function_error]
            self.assertEqual(len(errors), 6 * 4)

            for _ in range(20):
                with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as s:
                    s.sendall(b"\x16\x03\x01 not http at all\r\n\r\n")
                    s.recv(1024)
            # A client that vanishes mid-request.
            for _ in range(20):
                with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as s:
                    s.sendall(b"POST /2015-03-31/functions/healthy/invocations HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")

            self.assertEqual(emulator.invoke("healthy", {}).status, 200, "still serving")
            wait_until(lambda: len(emulator.children()) == 2, message="failed sandboxes to be gone")
            wait_until(lambda: emulator.fd_count() <= baseline_fds, message=f"fds back to {baseline_fds}")

    def test_a_runtime_that_exits_in_a_loop(self):
        with Emulator([probe_function("loop", Environment={"Variables": {"PROBE_INIT": "exit:1"}})]) as emulator:
            for _ in range(25):
                response = emulator.invoke("loop", {})
                self.assertEqual(response.status, 200)
                self.assertEqual(response.json()["errorType"], "Runtime.ExitError")
            wait_until(lambda: not emulator.children(), message="no sandbox left")
            count = lambda: emulator.query(
                "SELECT count(*) FROM invocations WHERE function = 'loop' AND status = 'error'")[0][0]
            wait_until(lambda: count() == 25, timeout=5, message="25 error records")


if __name__ == "__main__":
    unittest.main()
