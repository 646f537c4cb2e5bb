# The benchmark lab's unit tests (GoogleTest): the pure parts (statistics, Power Tuning's arithmetic,
# suites, arrival schedules, headlines, reports) and the run store over a real SQLite file. Paths are
# relative to this directory; tests/CMakeLists.txt adds them to unit_tests.
set(LAB_UNIT_TESTS
  lab_stats_test.cpp
  lab_power_tuning_test.cpp
  lab_suite_test.cpp
  lab_arrivals_test.cpp
  lab_headline_test.cpp
  lab_run_store_test.cpp)
