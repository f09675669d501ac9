// Observation in step with the stream (issue 20, item 6): the reference twin at its adapter's
// virtual pace was polled every 20 ms of wall time, tens of seconds of its stream, so an accuracy
// rule over a 60 s case judged 2 values. The replay now pauses once per second of stream time
// for a round of the HTTP polls: a value at least every ~second of the case.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "twincert/harness/campaign.hpp"
#include "twincert/harness/evidence_files.hpp"

namespace twincert::harness {
namespace {

const std::filesystem::path kFixtures = TWINCERT_FIXTURES_DIR;

TEST(SamplingIntegrationTest, AtVirtualPaceEverySecondOfStreamIsObserved) {
  static std::mt19937_64 names(std::random_device{}());
  const auto dir =
      std::filesystem::temp_directory_path() / ("twincert-sampling-it-" + std::to_string(names()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "campaign.json") << R"({"schema": "twincert.campaign/1", "id": "sampling",
      "adapter": ")" + (kFixtures / "adapters/reference-twin.json").string() +
                                              R"(", "rules": ")" +
                                              (kFixtures / "rules/vdr-twin.json").string() +
                                              R"(", "jobs": 1, "matrix": [
        {"scenarios": ["open-sea-transit"], "duration_s": 60}]})";
  RunOptions o;
  o.out_dir = dir / "out";
  o.reference_twin = TWINCERT_REFERENCE_TWIN;
  const CampaignRun run = run_campaign(load_campaign(dir / "campaign.json"), o);
  ASSERT_EQ(run.results.size(), 1U);
  const CaseResult& r = run.results.front();
  EXPECT_EQ(case_verdict(r), "pass") << r.error;
  std::vector<double> heading_t;
  for (const auto& v : load_observations(r.dir / "observations.jsonl").values) {
    if (v.name == "heading_deg") heading_t.push_back(v.t_s);
  }
  ASSERT_GE(heading_t.size(), 55U);
  std::sort(heading_t.begin(), heading_t.end());
  double widest = heading_t.front();
  for (std::size_t i = 1; i < heading_t.size(); ++i) {
    widest = std::max(widest, heading_t[i] - heading_t[i - 1]);
  }
  EXPECT_LE(widest, 2.0) << "the widest gap between two heading values, in stream seconds";
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace twincert::harness
