#include "twincert/harness/replay_plan.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "twincert/protocols/iec61162_450/datagram.hpp"
#include "twincert/protocols/nmea0183/sentence.hpp"

namespace twincert::harness {
namespace {

// "$BODY*hh" with the right checksum.
std::string sentence(const std::string& body) {
  const auto sum = nmea0183::checksum_suffix(nmea0183::checksum_of(body));
  return "$" + body + std::string(sum.data(), sum.size());
}

// Ten seconds of two sources at 1 Hz, as a bundle's stream.nmea has them.
std::vector<Frame> two_sources() {
  std::vector<Frame> frames;
  for (int t = 0; t < 10; ++t) {
    for (const char* source : {"GP0001", "HE0001"}) {
      Frame f;
      f.at_s = t;
      f.source = source;
      f.line = std::string("\\s:") + source + "*00\\$" + std::string(source).substr(0, 2) + "XXX," +
               std::to_string(t);
      frames.push_back(f);
    }
  }
  return frames;
}

NetworkFault fault(const std::string& kind, double from, double to,
                   std::map<std::string, double, std::less<>> params = {}) {
  return NetworkFault{kind, "GP0001", from, to, std::move(params)};
}

std::size_t count_of(const std::vector<Frame>& frames, const std::string& source) {
  return static_cast<std::size_t>(std::count_if(
      frames.begin(), frames.end(), [&](const Frame& f) { return f.source == source; }));
}

TEST(ReplayPlanTest, TimesComeFromRThenCThenLineSpacing) {
  const auto timed = frames_of(
      "\\c:1000,r:1500,s:GP0001*00\\$GPGGA,1\r\n\\c:1001,r:2250,s:GP0001*00\\$GPGGA,2\r\n");
  ASSERT_EQ(timed.size(), 2U);
  EXPECT_DOUBLE_EQ(timed[0].at_s, 1.5);
  EXPECT_DOUBLE_EQ(timed[1].at_s, 2.25);
  EXPECT_EQ(timed[0].source, "GP0001");
  const auto unix_only = frames_of("\\c:1000*00\\$GPGGA,1\n\\c:1003*00\\$GPGGA,2\n");
  EXPECT_DOUBLE_EQ(unix_only[1].at_s, 3.0);
  const auto bare = frames_of("# a comment\n$HEHDT,1.0,T*00\n\n$HEHDT,2.0,T*00\n");
  ASSERT_EQ(bare.size(), 2U);
  EXPECT_DOUBLE_EQ(bare[1].at_s, 0.1);
  EXPECT_EQ(bare[1].source, "HE0001");
}

TEST(ReplayPlanTest, LossDropsOnlyTheSourcesFramesInTheSpan) {
  auto frames = two_sources();
  apply_network_faults(frames, {fault("loss", 3, 6)}, 1);
  EXPECT_EQ(count_of(frames, "GP0001"), 7U);
  EXPECT_EQ(count_of(frames, "HE0001"), 10U);
  for (const auto& f : frames) EXPECT_FALSE(f.source == "GP0001" && f.at_s >= 3 && f.at_s < 6);
}

TEST(ReplayPlanTest, RepeatDelayBurstAndFloodMoveOrAddFrames) {
  auto repeated = two_sources();
  apply_network_faults(repeated, {fault("repeat", 0, 5)}, 1);
  EXPECT_EQ(count_of(repeated, "GP0001"), 15U);

  auto delayed = two_sources();
  apply_network_faults(delayed, {fault("delay", 2, 3, {{"delay_ms", 700}})}, 1);
  EXPECT_EQ(count_of(delayed, "GP0001"), 10U);
  EXPECT_TRUE(std::any_of(delayed.begin(), delayed.end(),
                          [](const Frame& f) { return f.source == "GP0001" && f.at_s == 2.7; }));

  auto burst = two_sources();
  apply_network_faults(burst, {fault("burst", 2, 6, {{"hold_s", 2}})}, 1);
  std::vector<double> gp;
  for (const auto& f : burst) {
    if (f.source == "GP0001") gp.push_back(f.at_s);
  }
  EXPECT_EQ(gp, (std::vector<double>{0, 1, 4, 4, 6, 6, 6, 7, 8, 9}));  // 2,3 -> 4; 4,5 -> 6

  auto flooded = two_sources();
  apply_network_faults(flooded, {fault("flood", 0, 2, {{"rate_hz", 10}})}, 1);
  EXPECT_GE(count_of(flooded, "GP0001"), 25U);
  EXPECT_TRUE(std::is_sorted(flooded.begin(), flooded.end(),
                             [](const Frame& a, const Frame& b) { return a.at_s < b.at_s; }));
}

TEST(ReplayPlanTest, HeaderAndSizeDamageShowOnTheWire) {
  auto frames = two_sources();
  apply_network_faults(frames, {fault("bad_header", 0, 1), {"oversize", "HE0001", 0, 1, {}}}, 1);
  std::map<std::string, std::int64_t> counts;
  const std::string bad = encode_frame(frames[0], WireFormat::k450, counts);
  EXPECT_TRUE(bad.starts_with(std::string("UdPbX\0", 6)));
  const std::string big = encode_frame(frames[1], WireFormat::k450, counts);
  EXPECT_GT(big.size(), iec61162_450::kMaxDatagramSize);
  EXPECT_TRUE(
      encode_frame(frames[2], WireFormat::k450, counts).starts_with(iec61162_450::kSentenceToken));
}

TEST(ReplayPlanTest, EncodesEachFormat) {
  std::map<std::string, std::int64_t> counts;
  Frame tagged;
  tagged.line = "\\s:GP0001,n:5*00\\$GPGGA,1*00";
  tagged.source = "GP0001";
  EXPECT_EQ(encode_frame(tagged, WireFormat::kLines, counts), tagged.line + "\r\n");
  EXPECT_EQ(encode_frame(tagged, WireFormat::kSentences, counts), "$GPGGA,1*00\r\n");
  EXPECT_EQ(encode_frame(tagged, WireFormat::k450, counts),
            std::string("UdPbC\0", 6) + tagged.line + "\r\n");
  Frame bare;
  bare.line = sentence("HEHDT,1.0,T");
  bare.source = "HE0001";
  const std::string first = encode_frame(bare, WireFormat::k450, counts);
  const std::string second = encode_frame(bare, WireFormat::k450, counts);
  // A 450 line needs s: and n:; bare lines get them, numbered per source.
  const auto d1 = iec61162_450::parse_datagram(first, nmea0183::Mode::kStrict);
  ASSERT_TRUE(d1) << to_string(d1.error());
  EXPECT_EQ(d1->lines[0].tag->source, "HE0001");
  EXPECT_EQ(d1->lines[0].tag->line_count, 1);
  EXPECT_EQ(iec61162_450::parse_datagram(second, nmea0183::Mode::kStrict)->lines[0].tag->line_count,
            2);
}

TEST(ReplayPlanTest, FilterKeepsTheListedFormatters) {
  auto frames = frames_of("$GPGGA,1*00\n$HEHDT,1*00\n!AIVDM,1*00\n$GPRMC,1*00\n");
  filter_formatters(frames, {"GGA", "VDM"});
  ASSERT_EQ(frames.size(), 2U);
  EXPECT_EQ(frames[1].line, "!AIVDM,1*00");
}

// For any faults and seed: the same input gives the same plan; a reorder keeps the frames and
// their send times; a certain loss removes exactly the faulted frames.
RC_GTEST_PROP(ReplayPlanProperty, NetworkFaultsAreDeterministicAndConfined, ()) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const auto kind = *rc::gen::element<std::string>("loss", "repeat", "reorder", "delay", "burst",
                                                   "flood", "bad_header", "oversize");
  const double from = *rc::gen::inRange(0, 9);
  const double to = from + *rc::gen::inRange(1, 10);
  const double p = *rc::gen::element(0.0, 0.3, 1.0);
  const std::vector<NetworkFault> faults{fault(kind, from, to, {{"probability", p}, {"depth", 3}})};
  auto a = two_sources();
  auto b = two_sources();
  apply_network_faults(a, faults, seed);
  apply_network_faults(b, faults, seed);
  RC_ASSERT(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    RC_ASSERT(a[i].line == b[i].line && a[i].at_s == b[i].at_s);
  // The other source is never touched.
  RC_ASSERT(count_of(a, "HE0001") == 10U);
  if (kind == "reorder") {
    auto lines = [](std::vector<Frame> f) {
      std::vector<std::string> out;
      for (auto& x : f) out.push_back(x.line);
      std::sort(out.begin(), out.end());
      return out;
    };
    RC_ASSERT(lines(a) == lines(two_sources()));
  }
  if (kind == "loss" && p == 1.0) {
    const auto in_span = static_cast<std::size_t>(std::min(10.0, to) - from);
    RC_ASSERT(count_of(a, "GP0001") == 10U - in_span);
  }
}

}  // namespace
}  // namespace twincert::harness
