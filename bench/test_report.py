#!/usr/bin/env python3
"""Checks of bench/report.py's load rows of the native executable, and of its start-up section: the JVM rows, and the native executable's rows with
and without an executable (not built: "native" null and null figures, and a "not built" line).
Feeds raw result files as bench/run.sh writes them through the report and reads its table and its
closing JSON line.   python3 bench/test_report.py
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

REPORT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report.py")
NATIVE_KEYS = ("native", "native_ready_ms", "native_ready_ms_all", "native_idle_rss_mb", "target_ready_met_native",
               "target_rss_met_native", "native_ready_vs_jvm", "native_rss_vs_jvm", "native_ready_vs_jvm_cds",
               "native_rss_vs_jvm_cds")


class StartupReport(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.results = os.path.join(self.tmp.name, "results")
        os.mkdir(self.results)
        self.runner = os.path.join(self.tmp.name, "infercore-0.1.0-SNAPSHOT-runner")
        with open(self.runner, "wb") as exe:
            exe.write(b"\0" * (3 * 1048576))  # 3.0 MB
        self.write("startup.txt", "3100 171.0\n2900 169.0\n3000 170.0\n")
        self.write("startup_cds.txt", "2000 120.0\n2200 122.0\n2100 121.0\n")

    def write(self, name, text):
        with open(os.path.join(self.results, name), "w") as out:
            out.write(text)

    def report(self, native, *extra):
        done = subprocess.run([sys.executable, REPORT, self.results, "quick=1", "starts=3", "idle_s=3",
                               f"native={native}", *extra], capture_output=True, text=True, check=True)
        lines = done.stdout.strip().splitlines()
        return "\n".join(lines[:-1]), json.loads(lines[-1])

    def test_native_rows_meeting_the_targets(self):
        self.write("startup_native.txt", "140 58.0\n90 55.0\n95 56.0\n")
        table, out = self.report(self.runner)
        s = out["startup"]
        self.assertEqual(s["native_ready_ms"], 95.0)
        self.assertEqual(s["native_ready_ms_all"], [140.0, 90.0, 95.0])
        self.assertEqual(s["native_idle_rss_mb"], 56.0)
        self.assertIs(s["target_ready_met_native"], True)
        self.assertIs(s["target_rss_met_native"], True)
        self.assertEqual(s["native_ready_vs_jvm"], round(95 / 3000, 3))
        self.assertEqual(s["native_rss_vs_jvm"], round(56 / 170, 3))
        self.assertEqual(s["native_ready_vs_jvm_cds"], round(95 / 2100, 3))
        self.assertEqual(s["native_rss_vs_jvm_cds"], round(56 / 121, 3))
        self.assertEqual(s["native"]["path"], self.runner)
        self.assertEqual(s["native"]["size_mb"], 3.0)
        self.assertEqual((s["native"]["starts"], s["native"]["failed_starts"]), (3, 0))
        self.assertEqual((s["ready_ms"], s["idle_rss_mb"], s["ready_ms_cds"]), (3000.0, 170.0, 2100.0))
        self.assertEqual(out["run"]["native"], self.runner)
        row = self.row(table, "native (infercore-0.1.0-SNAPSHOT-runner)")
        self.assertRegex(row, r"95 ms\s+<= 100\s+ok\s+56\.0 MB\s+<= 60\s+ok")
        self.assertRegex(self.row(table, "JVM, default flags"), r"3000 ms\s+<= 1500 MISS\s+170\.0 MB\s+<= 150 MISS")
        self.assertRegex(self.row(table, "JVM as serve.sh"), r"2100 ms\s+<= 1500 MISS\s+121\.0 MB\s+<= 150 ok")
        self.assertIn("native / JVM: ready 0.032x (0.045x serve.sh's), idle RSS 0.329x (0.463x)", table)
        self.assertNotIn("not built", table)

    def test_native_rows_missing_the_targets(self):
        self.write("startup_native.txt", "132 82.4\n")
        table, out = self.report(self.runner)
        s = out["startup"]
        self.assertIs(s["target_ready_met_native"], False)
        self.assertIs(s["target_rss_met_native"], False)
        self.assertRegex(self.row(table, "native ("), r"132 ms\s+<= 100\s+MISS\s+82\.4 MB\s+<= 60\s+MISS")

    def test_no_native_executable_is_reported_not_dropped(self):
        table, out = self.report("")
        s = out["startup"]
        for k in NATIVE_KEYS:
            self.assertIn(k, s)
            self.assertIsNone(s[k], k)
        self.assertIsNone(out["run"]["native"])
        self.assertIn("native: not built (./native-build.sh)", table)
        self.assertEqual(s["ready_ms"], 3000.0)  # the JVM rows as before

    def test_a_failed_native_start_is_counted_and_shown(self):
        self.write("startup_native.txt", "100 60.0\nfailed\n120 61.0\n")
        table, out = self.report(self.runner)
        s = out["startup"]
        self.assertEqual(s["native_ready_ms_all"], [100.0, 120.0])
        self.assertEqual(s["native_ready_ms"], 110.0)
        self.assertEqual((s["native"]["starts"], s["native"]["failed_starts"]), (2, 1))
        self.assertIn("1 of 3 starts FAILED", table)

    def test_every_native_start_failed_gives_null_figures(self):
        self.write("startup_native.txt", "failed\n")
        table, out = self.report(self.runner)
        s = out["startup"]
        self.assertIsNotNone(s["native"])
        self.assertEqual(s["native_ready_ms_all"], [])
        for k in NATIVE_KEYS[3:]:
            self.assertIsNone(s[k], k)
        self.assertRegex(self.row(table, "native ("), r"- ms\s+<= 100\s+- MB")
        self.assertIn("1 of 1 starts FAILED", table)

    def test_native_without_jvm_rows_has_null_ratios(self):
        os.remove(os.path.join(self.results, "startup.txt"))
        os.remove(os.path.join(self.results, "startup_cds.txt"))
        self.write("startup_native.txt", "90 55.0\n")
        table, out = self.report(self.runner)
        s = out["startup"]
        self.assertEqual(s["native_ready_ms"], 90.0)
        self.assertIsNone(s["native_ready_vs_jvm"])
        self.assertIsNone(s["native_rss_vs_jvm_cds"])
        self.assertNotIn("ready_ms", s)
        self.assertIn("native / JVM: ready -x", table)

    def test_native_load_rows_get_the_same_figures_and_ratios_as_the_jvm_routes(self):
        rate = {"direct": (1.0, 2.0), "nginx": (1.1, 2.2), "infercore_api": (1.5, 3.0), "infercore_v1": (1.6, 3.5),
                "native_api": (1.4, 2.5), "native_v1": (1.45, 2.8)}
        for t, (p50, p99) in rate.items():
            self.write(f"rate_2000_{t}.json", json.dumps({"p50_ms": p50, "p99_ms": p99, "achieved_rps": 2000.0,
                                                          "errors": 0, "timed_out": 0}))
        for t, rps in {"direct": 40000.0, "nginx": 20000.0, "infercore_api": 9000.0, "infercore_v1": 8000.0,
                       "native_api": 6000.0, "native_v1": 5000.0}.items():
            self.write(f"sat_{t}.json", json.dumps({"rps": rps, "p50_ms": 1.0, "p99_ms": 2.0, "errors": 0}))
        table, out = self.report(self.runner, "native_load=native_api native_v1", "native_rss_after_load_mb=71.5")
        v1 = out["chat"]["2000"]["native_v1"]
        self.assertEqual((v1["added_p50_ms"], v1["added_p99_ms"]), (0.45, 0.8))
        self.assertEqual(v1["added_p50_vs_nginx"], 4.5)
        self.assertIs(v1["target_p99_met"], True)
        self.assertEqual(v1["vs"]["nginx"]["added_p99_ratio"], 4.0)
        self.assertEqual(out["saturation"]["native_api"]["vs_nginx"], 0.3)
        self.assertEqual(out["run"]["native_load"], ["native_api", "native_v1"])
        self.assertEqual(out["run"]["native_rss_after_load_mb"], 71.5)
        self.assertRegex(self.row(table, "2000 native_v1"), r"1\.450\s+2\.800\s+0\.450\s+0\.800\s+4\.50")
        self.assertRegex(table, r"\n  native_api +6000 req/s .* 0\.30x nginx")

    def test_without_native_load_rows_there_are_none(self):
        self.write("sat_infercore_v1.json", json.dumps({"rps": 8000.0, "p50_ms": 1.0, "p99_ms": 2.0, "errors": 0}))
        table, out = self.report(self.runner)
        self.assertNotIn("native_v1", out["saturation"])
        self.assertNotIn("native_v1", table)

    @staticmethod
    def row(table, label):
        rows = [l for l in table.splitlines() if l.strip().startswith(label)]
        assert len(rows) == 1, (label, table)
        return rows[0]


if __name__ == "__main__":
    unittest.main()
