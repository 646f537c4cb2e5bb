#include "scheduler/log_format.hpp"

#include <gtest/gtest.h>

#include "common/base64.hpp"

namespace lambdalab::scheduler {
namespace {

TEST(LogFormat, StartEndReportAsLambdaPrintsThem) {
    EXPECT_EQ(start_line("57f231fb-1730-4395-85cb-4f71bd2b87b8", "$LATEST"),
              "START RequestId: 57f231fb-1730-4395-85cb-4f71bd2b87b8 Version: $LATEST\n");
    EXPECT_EQ(end_line("57f231fb-1730-4395-85cb-4f71bd2b87b8"),
              "END RequestId: 57f231fb-1730-4395-85cb-4f71bd2b87b8\n");
    EXPECT_EQ(report_line({.request_id = "57f231fb-1730-4395-85cb-4f71bd2b87b8",
                           .duration_ms = 79.666,
                           .billed_duration_ms = 80,
                           .memory_size_mb = 128,
                           .max_memory_used_mb = 73,
                           .init_duration_ms = 174.92}),
              "REPORT RequestId: 57f231fb-1730-4395-85cb-4f71bd2b87b8\tDuration: 79.67 ms\tBilled Duration: 80 ms\t"
              "Memory Size: 128 MB\tMax Memory Used: 73 MB\tInit Duration: 174.92 ms\t\n");
}

TEST(LogFormat, FailedInvocationsCarryTheirStatus) {
    EXPECT_EQ(report_line({.request_id = "id",
                           .duration_ms = 3000,
                           .billed_duration_ms = 3000,
                           .memory_size_mb = 128,
                           .max_memory_used_mb = 80,
                           .status = "timeout"}),
              "REPORT RequestId: id\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\t"
              "Max Memory Used: 80 MB\tStatus: timeout\t\n");
    EXPECT_EQ(
        report_line({.request_id = "id",
                     .duration_ms = 1,
                     .billed_duration_ms = 1,
                     .memory_size_mb = 128,
                     .max_memory_used_mb = 9,
                     .status = "error",
                     .error_type = "Runtime.ExitError"}),
        "REPORT RequestId: id\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 9 MB\t"
        "Status: error\tError Type: Runtime.ExitError\t\n");
    EXPECT_EQ(init_report_line(465.419, "init", "error", "Runtime.ExitError"),
              "INIT_REPORT Init Duration: 465.42 ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError\n");
    EXPECT_EQ(timeout_line("2020-11-10T05:46:57.874Z", "id", 3.0712),
              "2020-11-10T05:46:57.874Z id Task timed out after 3.07 seconds\n");
}

TEST(LogFormat, TheTailIsTheLast4096Bytes) {
    const std::string log = std::string(5000, 'a') + std::string(96, 'b') + "REPORT\n";
    const auto tail = base64_decode(log_tail_base64(log));
    ASSERT_TRUE(tail);
    EXPECT_EQ(tail->size(), 4096u);
    EXPECT_TRUE(tail->ends_with("bREPORT\n"));
    EXPECT_EQ(*base64_decode(log_tail_base64("short")), "short");
}

}  // namespace
}  // namespace lambdalab::scheduler
