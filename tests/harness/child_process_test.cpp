// The twin as a child process: ready or not, crashed, killed, deaf to SIGTERM — each comes back
// as a value with a reason, within its timeout. Small hostile "twins" are shell one-liners.
#include "twincert/harness/child_process.hpp"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"

namespace twincert::harness {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

ProcessSpec shell(const std::string& script) {
  return ProcessSpec{{"/bin/sh", "-c", script}, {}, {}, {}};
}

TEST(ChildProcessTest, TheReferenceTwinBecomesReadyAndStopsCleanly) {
  const std::uint16_t port = free_port();
  ChildProcess twin(ProcessSpec{{TWINCERT_REFERENCE_TWIN, "--no-multicast", "--no-alerts",
                                 "--quiet", "--http", "127.0.0.1:" + std::to_string(port)},
                                {},
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
  EXPECT_THROW(ChildProcess(ProcessSpec{{"/nonexistent/twin"}, {}, {}, {}}), ConfigError);
}

// A twin started through a wrapper that daemonises it (a session of its own, the wrapper ends
// with status 0): without a pid file the harness sees only the wrapper, ended; with one it
// probes, samples and stops the process the file names.
class DaemonisedTwinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::mt19937_64 names(std::random_device{}());
    dir_ = std::filesystem::temp_directory_path() / ("twincert-daemon-" + std::to_string(names()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    // Whatever a failed test left running.
    std::ifstream in(dir_ / "twin.pid");
    pid_t pid = 0;
    if (in >> pid && pid > 1) ::kill(pid, SIGKILL);
    std::filesystem::remove_all(dir_);
  }
  ProcessSpec daemonised(bool with_pid_file) const {
    ProcessSpec spec{{TWINCERT_DAEMONISING_WRAPPER, (dir_ / "twin.pid").string(), "/bin/sh", "-c",
                      "echo twin up; exec sleep 300"},
                     {},
                     dir_ / "twin.log",
                     {}};
    if (with_pid_file) spec.pid_file = dir_ / "twin.pid";
    return spec;
  }
  static bool gone(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(stat, text)) return true;
    const auto state = text.substr(text.rfind(')') + 2, 1);
    return state == "Z" || state == "X";
  }
  std::filesystem::path dir_;
};

TEST_F(DaemonisedTwinTest, WithoutAPidFileOnlyTheWrapperIsSeenAndItEnded) {
  ChildProcess twin(daemonised(false));
  Readiness r;
  r.probe = ReadyProbe::kLogLine;
  r.log_contains = "twin up";
  r.timeout = 5000ms;
  (void)twin.wait_ready(r);
  // The wrapper ended at once: no twin to watch, though the daemon runs on.
  for (int i = 0; i < 500 && twin.running(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_FALSE(twin.running());
  EXPECT_FALSE(twin.sample().has_value());
}

TEST_F(DaemonisedTwinTest, WithAPidFileTheNamedProcessIsProbedSampledAndStopped) {
  ChildProcess twin(daemonised(true));
  Readiness r;
  r.probe = ReadyProbe::kLogLine;
  r.log_contains = "twin up";
  r.timeout = 5000ms;
  const ReadyResult ready = twin.wait_ready(r);
  ASSERT_TRUE(ready.ready) << ready.reason;
  // Ready, and the wrapper has long ended; the twin is the process the file names.
  for (int i = 0; i < 500 && twin.named_pid() <= 0; ++i) {
    ASSERT_TRUE(twin.running());
    std::this_thread::sleep_for(10ms);
  }
  const pid_t daemon = twin.named_pid();
  ASSERT_GT(daemon, 1);
  EXPECT_NE(daemon, twin.pid());
  EXPECT_TRUE(twin.running());
  const auto sample = twin.sample();
  ASSERT_TRUE(sample.has_value());
  EXPECT_GT(sample->rss_bytes, 0U);
  EXPECT_FALSE(gone(daemon));
  EXPECT_THAT(twin.stop(500ms), HasSubstr("the process " + std::to_string(daemon) + " named in "));
  EXPECT_TRUE(gone(daemon));
  EXPECT_FALSE(twin.running());
}

TEST_F(DaemonisedTwinTest, ANamedProcessThatEndsIsTheTwinEnding) {
  ChildProcess twin(daemonised(true));
  Readiness r;
  r.probe = ReadyProbe::kLogLine;
  r.log_contains = "twin up";
  ASSERT_TRUE(twin.wait_ready(r).ready);
  for (int i = 0; i < 500 && twin.named_pid() <= 0; ++i) {
    (void)twin.running();
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_GT(twin.named_pid(), 1);
  ::kill(twin.named_pid(), SIGKILL);
  for (int i = 0; i < 500 && twin.running(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_THAT(twin.ended().value_or("running"), HasSubstr("named in"));
  EXPECT_FALSE(twin.sample().has_value());
}

TEST_F(DaemonisedTwinTest, AWrapperThatFailsBeforeNamingAProcessHasEnded) {
  ProcessSpec spec = shell("exit 3");
  spec.pid_file = dir_ / "twin.pid";
  ChildProcess twin(spec);
  Readiness r;
  r.port = free_port();
  EXPECT_EQ(twin.wait_ready(r).reason, "exited with status 3 (" + spec.pid_file.string() +
                                           " named no running process) before it was ready");
}

}  // namespace
}  // namespace twincert::harness
