"""CPU follows memory (reference/perf-model.md §1): a sandbox of M MB gets M/1769 of a vCPU, enforced on
its real processes by cgroups or, without them, by the portable fallback. CTest runs this module alone:
other tests' load would compress the ratios."""
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import BUILD_DIR, Emulator, EmulatorTestCase, function  # noqa: E402


def cpu_function(name, memory, **config):
    return function(name, "provided.al2023", "cpu", BUILD_DIR / "functions" / "test-cpu", MemorySize=memory, Timeout=60,
                    **config)


def handler_ms(emulator, name, iterations, threads=1):
    """The handler's own time for a job, once warm (the first run also pays INIT)."""
    emulator.invoke(name, {"iterations": 1000})
    response = emulator.invoke(name, {"iterations": iterations, "threads": threads}, timeout=120)
    assert response.status == 200 and not response.function_error, response
    return response.json()


def calibrated_iterations(emulator, name, target_ms):
    """How many iterations take about `target_ms` on one full vCPU (the 1769 MB function)."""
    probe = handler_ms(emulator, name, 20_000_000)["handler_ms"]
    return int(20_000_000 * target_ms / max(probe, 1.0))


class CpuFollowsMemoryTest(EmulatorTestCase):
    FUNCTIONS = [cpu_function("cpu-128", 128), cpu_function("cpu-1769", 1769), cpu_function("cpu-3008", 3008),
                 cpu_function("cpu-3538", 3538), cpu_function("cpu-5308", 5308)]

    def test_single_threaded_work_scales_with_memory_up_to_1769_mb(self):
        iterations = calibrated_iterations(self.emulator, "cpu-1769", 150)
        at_1769 = handler_ms(self.emulator, "cpu-1769", iterations)["handler_ms"]
        at_128 = handler_ms(self.emulator, "cpu-128", iterations)["handler_ms"]
        at_3008 = handler_ms(self.emulator, "cpu-3008", iterations)["handler_ms"]
        # 1769 / 128 = 13.8 times the CPU share.
        self.assertGreater(at_128 / at_1769, 8, (at_128, at_1769))
        self.assertLess(at_128 / at_1769, 20, (at_128, at_1769))
        # One thread cannot use more than one vCPU: no faster at 3008 MB.
        self.assertGreater(at_3008 / at_1769, 0.7, (at_3008, at_1769))

    def test_multithreaded_work_gains_above_1769_mb(self):
        iterations = calibrated_iterations(self.emulator, "cpu-1769", 300)
        one_vcpu = handler_ms(self.emulator, "cpu-1769", iterations, threads=2)["handler_ms"]
        two_vcpus = handler_ms(self.emulator, "cpu-3538", iterations, threads=2)["handler_ms"]
        self.assertGreater(one_vcpu / two_vcpus, 1.3, (one_vcpu, two_vcpus))

    def test_visible_cpus_follow_memory_and_a_small_host_is_recorded(self):
        self.assertEqual(handler_ms(self.emulator, "cpu-128", 1000)["visible_cpus"], 2)
        big = handler_ms(self.emulator, "cpu-5308", 1000)["visible_cpus"]
        self.assertLessEqual(big, 4)  # 4 at 5308 MB on Lambda, capped by this host's cores
        rows = self.emulator.query(
            "SELECT DISTINCT function, cpu_limited_by_host, resource_control FROM invocations "
            "WHERE function IN ('cpu-128', 'cpu-5308') ORDER BY function", wait_for_rows=2)
        mechanism = rows[0][2]
        self.assertIn(mechanism, ("cgroup-v1", "cgroup-v2", "fallback"))
        if big < 4:
            self.assertEqual(rows, [("cpu-128", 0, mechanism), ("cpu-5308", 1, mechanism)])


class FallbackCpuTest(unittest.TestCase):
    """The portable fallback (no cgroups) throttles CPU time with SIGSTOP/SIGCONT."""

    def test_cpu_share_without_cgroups(self):
        functions = [cpu_function("cpu-256", 256), cpu_function("cpu-1769", 1769)]
        with Emulator(functions, extra_args=["--resource-control", "fallback"]) as emulator:
            iterations = calibrated_iterations(emulator, "cpu-1769", 150)
            at_1769 = handler_ms(emulator, "cpu-1769", iterations)["handler_ms"]
            at_256 = handler_ms(emulator, "cpu-256", iterations)["handler_ms"]
            self.assertGreater(at_256 / at_1769, 4, (at_256, at_1769))  # 6.9 times the share
            self.assertLess(at_256 / at_1769, 12, (at_256, at_1769))
            rows = emulator.query("SELECT DISTINCT resource_control FROM invocations", wait_for_rows=1)
            self.assertEqual(rows, [("fallback",)])



if __name__ == "__main__":
    unittest.main()
