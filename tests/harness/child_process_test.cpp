// The twin as a child process: ready or not, crashed, killed, deaf to SIGTERM — each comes back
// as a value with a reason, within its timeout. Small hostile "twins" are shell one-liners.
#include "twincert/harness/child_process.hpp"

#include <filesystem>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"

namespace twincert::harness {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

ProcessSpec shell(const std::string& script) {
  return ProcessSpec{{"/bin/sh", "-c", script}, {}, {}};
}

TEST(ChildProcessTest, TheReferenceTwinBecomesReadyAndStopsCleanly) {
  const std::uint16_t port = free_port();
  ChildProcess twin(ProcessSpec{{TWINCERT_REFERENCE_TWIN, "--no-multicast", "--no-alerts",
                                 "--quiet", "--http", "127.0.0.1:" + std::to_string(port)},
                                {},
                                {}});
  Readiness r;
  r.probe = ReadyProbe::kHttp200;
  r.port = port;
  const ReadyResult ready = twin.wait_ready(r);
  ASSERT_TRUE(ready.ready) << ready.reason;
  const auto sample = twin.sample();
  ASSERT_TRUE(sample.has_value());
  EXPECT_GT(sample->rss_bytes, 100'000U);
  EXPECT_EQ(twin.stop(), "exited with status 0");
}

TEST(ChildProcessTest, ATwinThatNeverListensIsNotReadyWithinItsTimeout) {
  ChildProcess twin(shell("sleep 30"));
  Readiness r;
  r.port = free_port();
  r.timeout = 300ms;
  const ReadyResult ready = twin.wait_ready(r);
  EXPECT_FALSE(ready.ready);
  EXPECT_EQ(ready.reason, "not ready within 300 ms");
  EXPECT_LT(ready.after, 2000ms);
  EXPECT_THAT(twin.stop(), HasSubstr("killed by signal 15"));
}

TEST(ChildProcessTest, DyingBeforeReadyIsReportedWithItsStatus) {
  ChildProcess exits(shell("exit 3"));
  Readiness r;
  r.port = free_port();
  EXPECT_EQ(exits.wait_ready(r).reason, "exited with status 3 before it was ready");
  ChildProcess aborts(shell("kill -ABRT $$"));
  EXPECT_THAT(aborts.wait_ready(r).reason,
              HasSubstr("killed by signal 6 (SIGABRT) before it was ready"));
}

TEST(ChildProcessTest, ATwinDeafToSigtermIsKilled) {
  const auto log = std::filesystem::temp_directory_path() /
                   ("twincert-deaf-" + std::to_string(std::random_device{}()));
  ProcessSpec spec = shell("trap '' TERM; echo deaf; while :; do sleep 1; done");
  spec.log = log;
  ChildProcess twin(spec);
  Readiness armed;  // the shell says when its trap is set: no guessing how long that takes
  armed.probe = ReadyProbe::kLogLine;
  armed.log_contains = "deaf";
  const ReadyResult ready = twin.wait_ready(armed);
  ASSERT_TRUE(ready.ready) << ready.reason;
  const auto started = std::chrono::steady_clock::now();
  EXPECT_THAT(twin.stop(200ms),
              HasSubstr("killed by signal 9 (SIGKILL) (did not stop on SIGTERM within 200 ms)"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_FALSE(twin.running());
  std::filesystem::remove(log);
}

TEST(ChildProcessTest, ReadinessFromALogLine) {
  const auto log = std::filesystem::temp_directory_path() /
                   ("twincert-log-" + std::to_string(std::random_device{}()));
  ProcessSpec spec = shell("echo booting; sleep 0.2; echo \"listening on $TWIN_PORT\"; sleep 30");
  spec.environment["TWIN_PORT"] = "4242";
  spec.log = log;
  ChildProcess twin(spec);
  Readiness r;
  r.probe = ReadyProbe::kLogLine;
  r.log_contains = "listening on 4242";
  const ReadyResult ready = twin.wait_ready(r);
  EXPECT_TRUE(ready.ready) << ready.reason;
  EXPECT_GE(ready.after, 150ms);
  twin.stop();
  std::filesystem::remove(log);
}

TEST(ChildProcessTest, AProgramThatDoesNotExistIsAConfigurationError) {
  EXPECT_THROW(ChildProcess(ProcessSpec{{"/nonexistent/twin"}, {}, {}}), ConfigError);
}

}  // namespace
}  // namespace twincert::harness
