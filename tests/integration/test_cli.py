"""The command line: help for each command, `invoke`, and a clean shutdown on SIGINT/SIGTERM that
stops every sandbox and closes the store."""
import json
import signal
import subprocess
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import LAMBDALAB_BIN, Emulator, alive, node_function, python_function, cpp_function  # noqa: E402


def run(*args, timeout=60):
    return subprocess.run([LAMBDALAB_BIN, *args], capture_output=True, text=True, timeout=timeout)


class HelpTest(unittest.TestCase):
    def test_every_command_has_help(self):
        expectations = {(): ["serve", "invoke", "logs"],
                        ("serve",): ["--host", "--port", "--data-dir", "--functions", "--profile", "--set"],
                        ("invoke",): ["--payload", "--endpoint", "--tail"],
                        ("logs",): ["--data-dir", "--limit"]}
        for command, flags in expectations.items():
            with self.subTest(command=command):
                out = run(*command, "--help")
                self.assertEqual(out.returncode, 0, out.stderr)
                for flag in flags:
                    self.assertIn(flag, out.stdout)

    def test_bad_arguments_are_clear_errors(self):
        out = run("serve", "--profile", "aws-1999", "--port", "0", "--data-dir", "/tmp/lambdalab-never-used")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("unknown profile 'aws-1999'", out.stderr)
        out = run("serve", "--set", "cpu.nonsense=1", "--port", "0", "--data-dir", "/tmp/lambdalab-never-used")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("unknown setting 'cpu.nonsense'", out.stderr)
        out = run("frobnicate")
        self.assertNotEqual(out.returncode, 0)


class InvokeCommandTest(unittest.TestCase):
    def test_invoke_prints_the_result_and_exits_by_outcome(self):
        with Emulator([python_function("py")]) as emulator:
            out = run("invoke", "py", "--payload", '{"x": 5}', "--endpoint", emulator.url, "--tail")
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertEqual(json.loads(out.stdout)["event"], {"x": 5})
            self.assertIn("REPORT RequestId:", out.stderr)
            out = run("invoke", "py", "--payload", '{"do": "raise"}', "--endpoint", emulator.url)
            self.assertEqual(out.returncode, 1)
            self.assertEqual(json.loads(out.stdout)["errorType"], "ValueError")
            out = run("invoke", "missing", "--endpoint", emulator.url)
            self.assertEqual(out.returncode, 2)
            self.assertIn("ResourceNotFoundException", out.stderr)


class ShutdownTest(unittest.TestCase):
    def shutdown_with(self, signal_number):
        functions = [python_function("py"), node_function("node"), cpp_function("cpp")]
        emulator = Emulator(functions).start()
        try:
            for name in ("py", "node", "cpp"):
                self.assertEqual(emulator.invoke(name, {}).status, 200)
            sandboxes = emulator.children()
            self.assertEqual(len(sandboxes), 3, "one sandbox process per function")
            emulator.process.send_signal(signal_number)
            started = time.time()
            self.assertEqual(emulator.process.wait(timeout=15), 0, "".join(emulator.output))
            self.assertLess(time.time() - started, 5)
            for pid in sandboxes:
                self.assertFalse(alive(pid), f"sandbox process {pid} outlived the emulator")
            rows = emulator.query("SELECT end_reason FROM sandboxes")
            self.assertEqual([r[0] for r in rows], ["shutdown"] * 3, "the store was flushed and closed")
            self.assertIn("lambdalab: stopped", "".join(emulator.output))
        finally:
            emulator.stop()
            emulator.cleanup()

    def test_sigterm(self):
        self.shutdown_with(signal.SIGTERM)

    def test_sigint(self):
        self.shutdown_with(signal.SIGINT)


if __name__ == "__main__":
    unittest.main()
