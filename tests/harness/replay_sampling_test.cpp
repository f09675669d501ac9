// Observation in step with the stream: at virtual pace the replay pauses at each sampling point
// (every `sample_every_s` of stream time) for the observers, and not at the paced rates, where
// the wall clock already keeps step.
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "twincert/harness/replay.hpp"

namespace twincert::harness {
namespace {

// 10 s of one frame every 100 ms.
std::vector<Frame> ten_seconds() {
  std::vector<Frame> frames;
  for (int i = 0; i < 100; ++i) {
    Frame f;
    f.at_s = i / 10.0;
    f.line = "$HEHDT,123.4,T*00";
    f.source = "HE0001";
    frames.push_back(f);
  }
  return frames;
}

class ReplaySamplingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::mt19937_64 names(std::random_device{}());
    path_ = std::filesystem::temp_directory_path() /
            ("twincert-sampling-" + std::to_string(names()) + ".nmea");
  }
  void TearDown() override { std::filesystem::remove(path_); }

  // The stream time reached at each sample, by the stream clock the replay keeps.
  std::vector<double> samples(const std::string& pacing, double every_s) const {
    StreamClock clock;
    std::vector<double> at;
    ReplayOptions o;
    o.pacing = parse_pacing(pacing);
    o.stream_clock = &clock;
    o.sample_every_s = every_s;
    o.on_sample = [&] {
      at.push_back(clock.now());
      return true;
    };
    const auto report = replay(ten_seconds(), parse_target("file:" + path_.string()), o);
    EXPECT_EQ(report.frames, 100U);
    return at;
  }

  std::filesystem::path path_;
};

TEST_F(ReplaySamplingTest, VirtualPausesOncePerSamplingPeriodOfStreamTime) {
  const auto at = samples("virtual", 1.0);
  ASSERT_EQ(at.size(), 9U);  // before the frames at 1.0, 2.0, ..., 9.0 s
  for (std::size_t i = 0; i < at.size(); ++i) {
    EXPECT_NEAR(at[i], static_cast<double>(i) + 0.9, 1e-9);  // every frame before it was sent
  }
  EXPECT_EQ(samples("virtual", 2.5).size(), 3U);  // 2.5, 5.0, 7.5 s
  EXPECT_TRUE(samples("virtual", 0.0).empty());   // off
}

TEST_F(ReplaySamplingTest, AnUnansweredSampleEndsTheSampling) {
  std::size_t calls = 0;
  ReplayOptions o;
  o.pacing = parse_pacing("virtual");
  o.on_sample = [&] {
    ++calls;
    return false;
  };
  EXPECT_EQ(replay(ten_seconds(), parse_target("file:" + path_.string()), o).frames, 100U);
  EXPECT_EQ(calls, 1U);
}

TEST_F(ReplaySamplingTest, PacedAndTopSpeedReplaysDoNotPause) {
  EXPECT_TRUE(samples("x1000", 1.0).empty());
  EXPECT_TRUE(samples("max", 1.0).empty());
}

}  // namespace
}  // namespace twincert::harness
