"""START / END / REPORT lines per sandbox, kept in SQLite, shown by `lambdalab logs`; every
invocation recorded with its documented fields."""
import re
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import LAMBDALAB_BIN, REPO, EmulatorTestCase, python_function  # noqa: E402

REPORT_COLD = re.compile(r"^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\t"
                         r"Memory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t$", re.M)
REPORT_WARM = re.compile(r"^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\t"
                         r"Memory Size: 256 MB\tMax Memory Used: \d+ MB\t$", re.M)


class LogsAndStoreTest(EmulatorTestCase):
    FUNCTIONS = [python_function("logged", MemorySize=256)]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cold = cls.emulator.invoke("logged", {"do": "print", "text": "first line"}, tail=True)
        cls.warm = cls.emulator.invoke("logged", {"do": "print", "text": "second line"}, tail=True)
        cls.failed = cls.emulator.invoke("logged", {"do": "raise"}, tail=True)

    def test_report_lines_match_lambda_byte_for_byte(self):
        self.assertRegex(self.cold.log(), REPORT_COLD)
        self.assertRegex(self.warm.log(), REPORT_WARM)
        cold = self.cold.log()
        self.assertTrue(cold.startswith("INIT_START Runtime Version: python:3.12"), cold)
        self.assertIn("init done\n", cold, "INIT output belongs to the first invocation's log")
        self.assertLess(cold.index("init done"), cold.index("START RequestId"))

    def test_billed_duration_is_duration_rounded_up_plus_init(self):
        fields = dict(re.findall(r"(\w[\w ]*): ([\d.]+) ms", self.cold.log().split("REPORT")[1]))
        duration, init, billed = float(fields["Duration"]), float(fields["Init Duration"]), int(fields["Billed Duration"])
        self.assertGreaterEqual(billed, duration + init)
        self.assertLess(billed, duration + init + 1.01)

    def test_invocations_are_recorded_with_their_fields(self):
        rows = self.emulator.query(
            "SELECT request_id, function, version, invocation_type, sandbox_id, cold, status, error_type, "
            "init_duration_ms, duration_ms, billed_duration_ms, memory_size_mb, max_memory_used_mb, "
            "start_time_ms, end_time_ms, cost_usd, profile, architecture FROM invocations ORDER BY id", wait_for_rows=3)
        cold, warm, failed = rows
        self.assertEqual(cold[0], self.cold.request_id)
        self.assertEqual(cold[1:4], ("logged", "$LATEST", "RequestResponse"))
        self.assertRegex(cold[4], r"^[0-9a-f]{32}$")
        self.assertEqual(warm[4], cold[4], "same sandbox")
        self.assertEqual((cold[5], warm[5]), (1, 0))
        self.assertEqual((cold[6], warm[6], failed[6]), ("success", "success", "error"))
        self.assertEqual(failed[7], "ValueError")
        self.assertGreater(cold[8], 0)
        self.assertIsNone(warm[8])
        for row in rows:
            self.assertGreater(row[9], 0)                  # duration
            self.assertGreaterEqual(row[10], 1)            # billed
            self.assertEqual(row[11], 256)
            self.assertGreater(row[12], 1)                 # max memory, measured from the process
            self.assertLessEqual(row[13], row[14])         # start <= end
            self.assertGreater(row[15], 0.0000002)         # request charge plus duration
            self.assertEqual((row[16], row[17]), ("none", "x86_64"))

    def test_logs_command_prints_the_function_log(self):
        self.emulator.query("SELECT id FROM logs WHERE function = 'logged'", wait_for_rows=3)
        out = subprocess.run([LAMBDALAB_BIN, "logs", "logged", "--data-dir", str(self.emulator.data_dir)],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        text = out.stdout
        for response in (self.cold, self.warm, self.failed):
            self.assertIn(f"START RequestId: {response.request_id} Version: $LATEST", text)
            self.assertIn(f"END RequestId: {response.request_id}", text)
        self.assertIn("first line", text)
        self.assertIn("second line", text)
        self.assertEqual(len(REPORT_COLD.findall(text)) + len(REPORT_WARM.findall(text)), 3)

    def test_every_stored_column_is_documented(self):
        # The core's tables are in docs/store.md; the lab's in its own documents.
        documented = "".join(path.read_text() for path in sorted((REPO / "docs").glob("*.md")))
        with self.emulator.db() as db:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                self.assertIn(f"`{table}`", documented, f"table {table} is documented nowhere in docs/")
                for column in db.execute(f"PRAGMA table_info({table})"):
                    self.assertIn(f"`{column[1]}`", documented, f"{table}.{column[1]} is documented nowhere in docs/")


if __name__ == "__main__":
    unittest.main()
