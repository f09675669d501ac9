// The agent's health check: the rig's own command, with a timeout, its failure told in a line.
#include "twincert/hil/agent.hpp"

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"
#include "twincert/hil/rigs.hpp"

#include <unistd.h>

namespace twincert::hil {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

class HealthCheckTest : public ::testing::Test {
 protected:
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("twincert-health-" + std::to_string(::getpid()));
  void TearDown() override { std::filesystem::remove_all(dir); }

  std::string check(std::vector<std::string> command, std::chrono::seconds timeout = 10s) {
    Rig rig;
    rig.id = "bench";
    rig.health_check = std::move(command);
    return check_health(rig, "/usr/bin/env", dir / "health.log", timeout);
  }
};

TEST_F(HealthCheckTest, PassesWhenTheCommandSucceeds) {
  EXPECT_EQ(check({"true"}), "");
  EXPECT_EQ(check({"${reference_twin}", "true"}), "") << "${reference_twin} is filled in";
}

TEST_F(HealthCheckTest, AFailureSaysHowAndTheLastLineOfItsOutput) {
  EXPECT_EQ(check({"sh", "-c", "echo checking; echo no device on /dev/ttyUSB0; exit 3"}),
            "exited with status 3: no device on /dev/ttyUSB0");
  EXPECT_EQ(check({"false"}), "exited with status 1");
}

TEST_F(HealthCheckTest, AHangingCheckTimesOutAndAMissingProgramIsAReason) {
  EXPECT_EQ(check({"sleep", "30"}, 1s), "did not finish within 1 s");
  EXPECT_THAT(check({"/nonexistent/rig-check"}), HasSubstr("/nonexistent/rig-check"));
  EXPECT_THAT(check({"${no_such_placeholder}"}), HasSubstr("no_such_placeholder"));
}

TEST(RigAdapterTest, TheAdapterIsResolvedBesideTheInventory) {
  const auto rigs = load_rigs(TWINCERT_FIXTURES_DIR "/rigs/simulated.json");
  ASSERT_EQ(rigs.size(), 2U);
  EXPECT_EQ(rigs[0].adapter.lexically_normal(),
            std::filesystem::path(TWINCERT_FIXTURES_DIR "/adapters/simulated-rig-38400.json")
                .lexically_normal());
  EXPECT_TRUE(std::filesystem::exists(rigs[0].adapter));
  const auto without = load_rigs(TWINCERT_FIXTURES_DIR "/rigs/two-rigs.json");
  EXPECT_TRUE(without[0].adapter.empty());
}

TEST(RunAgentTest, ARigWithoutAnAdapterIsAConfigurationError) {
  AgentOptions o;
  o.rig.id = "bench-a";
  EXPECT_THROW(run_agent(o), ConfigError);
}

}  // namespace
}  // namespace twincert::hil
