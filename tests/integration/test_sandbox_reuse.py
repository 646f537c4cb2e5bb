"""One invocation per sandbox; parallel invocations get more sandboxes; an idle sandbox is reused,
the most recently used first; a code or configuration change discards warm sandboxes."""
import concurrent.futures
import json
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import EmulatorTestCase, alive, python_function  # noqa: E402


class SandboxReuseTest(EmulatorTestCase):
    FUNCTIONS = [python_function("serial"), python_function("parallel"), python_function("mru"),
                 python_function("changing")]

    def test_serial_invocations_reuse_one_warm_sandbox(self):
        results = [self.emulator.invoke("serial", {}, tail=True) for _ in range(5)]
        pids = {r.json()["pid"] for r in results}
        self.assertEqual(len(pids), 1)
        self.assertEqual([r.json()["invocations"] for r in results], [1, 2, 3, 4, 5])
        self.assertIn("Init Duration", results[0].log())
        for warm in results[1:]:
            self.assertNotIn("Init Duration", warm.log())
        rows = self.emulator.query("SELECT cold FROM invocations WHERE function = 'serial' ORDER BY id", wait_for_rows=5)
        self.assertEqual([r[0] for r in rows], [1, 0, 0, 0, 0])

    def test_parallel_invocations_each_get_their_own_sandbox(self):
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda _: self.emulator.invoke("parallel", {"do": "sleep", "seconds": 0.8}).json(),
                                    range(4)))
        self.assertEqual(len({r["pid"] for r in results}), 4, "one invocation at a time per sandbox")
        # They are warm now: four more in parallel reuse the same four processes.
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            again = list(pool.map(lambda _: self.emulator.invoke("parallel", {"do": "sleep", "seconds": 0.8}).json(),
                                  range(4)))
        self.assertEqual({r["pid"] for r in again}, {r["pid"] for r in results})

    def test_the_most_recently_used_idle_sandbox_is_taken_first(self):
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            early = pool.submit(self.emulator.invoke, "mru", {"do": "sleep", "seconds": 0.3})
            time.sleep(0.1)
            late = pool.submit(self.emulator.invoke, "mru", {"do": "sleep", "seconds": 1.0})
            early_pid, late_pid = early.result().json()["pid"], late.result().json()["pid"]
        self.assertNotEqual(early_pid, late_pid)
        # `late` finished last, so it is the most recently used: serial calls all land there.
        for _ in range(3):
            self.assertEqual(self.emulator.invoke("mru", {}).json()["pid"], late_pid)

    def test_a_configuration_change_discards_warm_sandboxes(self):
        before = self.emulator.invoke("changing", {}).json()["pid"]
        response = self.emulator.request("PUT", "/2015-03-31/functions/changing/configuration",
                                         json.dumps({"MemorySize": 256}).encode())
        self.assertEqual(response.status, 200, response)
        self.assertEqual(response.json()["MemorySize"], 256)
        after = self.emulator.invoke("changing", {}, tail=True)
        self.assertNotEqual(after.json()["pid"], before)
        self.assertIn("Memory Size: 256 MB", after.log())
        deadline = time.time() + 5
        while alive(before) and time.time() < deadline:
            time.sleep(0.05)
        self.assertFalse(alive(before), "the discarded sandbox's process is stopped")


if __name__ == "__main__":
    unittest.main()
