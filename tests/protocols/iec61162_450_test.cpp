#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/protocols/iec61162_450/datagram.hpp"
#include "twincert/protocols/iec61162_450/transmission_groups.hpp"

#include "matchers.hpp"

namespace twincert::iec61162_450 {
namespace {

using nmea0183::TagBlock;

DatagramLine line(std::string source, std::int64_t n, std::string sentence) {
  TagBlock tag;
  tag.source = std::move(source);
  tag.line_count = n;
  return DatagramLine{tag, std::move(sentence)};
}

TEST(DatagramTest, EncodesHeaderTagBlocksAndCrLf) {
  const std::vector<DatagramLine> lines = {line("GP0001", 1, "$GPHDT,274.07,T*03"),
                                           line("GP0001", 2, "$HEROT,0.0,A*2B\r\n")};
  const std::string bytes = encode_datagram(lines);
  EXPECT_EQ(bytes.substr(0, 6), std::string("UdPbC\0", 6));
  EXPECT_EQ(bytes.substr(6),
            "\\n:1,s:GP0001*16\\$GPHDT,274.07,T*03\r\n"
            "\\n:2,s:GP0001*15\\$HEROT,0.0,A*2B\r\n");
}

TEST(DatagramTest, ParsesSeveralSentencesPerDatagram) {
  const std::vector<DatagramLine> lines = {line("GP0001", 998, "$GPHDT,274.07,T*03"),
                                           line("HE0002", 999, "$HEROT,0.0,A*2B")};
  const std::string bytes = encode_datagram(lines);
  const auto d = parse_datagram(bytes, Mode::kStrict);
  ASSERT_THAT(d, IsOk());
  ASSERT_EQ(d->lines.size(), 2U);
  EXPECT_EQ(d->lines[1].tag->source, "HE0002");
  EXPECT_EQ(d->lines[1].tag->line_count, 999);
  EXPECT_EQ(d->lines[1].sentence.formatter(), "ROT");
  EXPECT_TRUE(d->violations.empty());
}

TEST(DatagramTest, RejectsMissingOrBinaryHeader) {
  EXPECT_THAT(parse_datagram("$GPHDT,274.07,T*03\r\n", Mode::kLenient),
              HasErrorAt(ErrorCode::kBad450Header, 0));
  const auto binary = parse_datagram(std::string("RaUdP\0\x00\x02", 8), Mode::kLenient);
  ASSERT_THAT(binary, HasError(ErrorCode::kBad450Header));
  EXPECT_STREQ(binary.error().detail, "binary file transfer datagram");
  EXPECT_THAT(parse_datagram(std::string("UdPbC\0", 6), Mode::kLenient),
              HasErrorAt(ErrorCode::kEmpty, 6));
}

TEST(DatagramTest, TagBlockWithSourceAndLineCountIsMandatoryInStrictMode) {
  const std::string no_tag = std::string("UdPbC\0", 6) + "$GPHDT,274.07,T*03\r\n";
  EXPECT_THAT(parse_datagram(no_tag, Mode::kStrict), HasErrorAt(ErrorCode::kMissingTagBlock, 6));
  const auto lenient = parse_datagram(no_tag, Mode::kLenient);
  ASSERT_THAT(lenient, IsOk());
  EXPECT_TRUE(lenient->violations.has(ErrorCode::kMissingTagBlock));

  TagBlock bad_source;
  bad_source.source = "GP01";  // not talker + 4 digits
  bad_source.line_count = 1;
  const std::vector<DatagramLine> lines = {{bad_source, "$GPHDT,274.07,T*03"}};
  EXPECT_THAT(parse_datagram(encode_datagram(lines), Mode::kStrict),
              HasErrorAt(ErrorCode::kBadSourceId, 7));

  TagBlock no_count;
  no_count.source = "GP0001";
  const std::vector<DatagramLine> uncounted = {{no_count, "$GPHDT,274.07,T*03"}};
  EXPECT_THAT(parse_datagram(encode_datagram(uncounted), Mode::kStrict),
              HasErrorAt(ErrorCode::kBadLineCount, 7));
}

TEST(DatagramTest, ErrorsInALineAreReportedAtTheirOffsetInTheDatagram) {
  const std::vector<DatagramLine> lines = {line("GP0001", 1, "$GPHDT,274.07,T*03"),
                                           line("GP0001", 2, "$HEROT,0.0,A*2C")};
  const std::string bytes = encode_datagram(lines);
  const auto second = bytes.find("\\n:2");
  EXPECT_THAT(parse_datagram(bytes, Mode::kLenient),
              HasErrorAt(ErrorCode::kBadChecksum, second + 17 + 12));
}

TEST(DatagramTest, EnforcesTheSizeLimit) {
  std::vector<DatagramLine> lines;
  for (int i = 1; i <= 40; ++i) lines.push_back(line("GP0001", i, "$GPHDT,274.07,T*03"));
  const std::string bytes = encode_datagram(lines);
  ASSERT_GT(bytes.size(), kMaxDatagramSize);
  EXPECT_THAT(parse_datagram(bytes, Mode::kStrict), HasError(ErrorCode::kDatagramTooLarge));
  const auto lenient = parse_datagram(bytes, Mode::kLenient);
  ASSERT_THAT(lenient, IsOk());
  EXPECT_EQ(lenient->lines.size(), 40U);
}

TEST(SystemFunctionIdTest, IsTalkerAndFourDigits) {
  EXPECT_TRUE(is_system_function_id("GP0001"));
  EXPECT_TRUE(is_system_function_id("VR9999"));
  EXPECT_FALSE(is_system_function_id("GP0000"));
  EXPECT_FALSE(is_system_function_id("AI01"));
  EXPECT_FALSE(is_system_function_id("gp0001"));
  EXPECT_FALSE(is_system_function_id("GP00011"));
}

TEST(LineCountTest, WrapsFrom999ToOne) {
  EXPECT_EQ(next_line_count(1), 2);
  EXPECT_EQ(next_line_count(998), 999);
  EXPECT_EQ(next_line_count(999), 1);
}

TEST(TransmissionGroupTest, HasTheStandardAddressesAndPorts) {
  EXPECT_EQ(endpoint_of(TransmissionGroup::kMisc).address, "239.192.0.1");
  EXPECT_EQ(endpoint_of(TransmissionGroup::kNavd).port, 60004);
  EXPECT_EQ(endpoint_of(TransmissionGroup::kVdrd).name, "VDRD");
  EXPECT_EQ(endpoint_of(TransmissionGroup::kUsr8).address, "239.192.0.16");
  for (std::size_t i = 0; i < kTransmissionGroups.size(); ++i) {
    EXPECT_EQ(kTransmissionGroups[i].port, 60001 + i);
  }
}

TEST(TransmissionGroupTest, RoutesTalkersAsTheFurunoMappingDoes) {
  EXPECT_EQ(default_group_for_talker("GP"), TransmissionGroup::kNavd);
  EXPECT_EQ(default_group_for_talker("HE"), TransmissionGroup::kSatd);
  EXPECT_EQ(default_group_for_talker("AI"), TransmissionGroup::kTgtd);
  EXPECT_EQ(default_group_for_talker("FR"), TransmissionGroup::kVdrd);
  EXPECT_EQ(default_group_for_talker("VR"), TransmissionGroup::kMisc);
  EXPECT_EQ(default_group_for_talker("ZA"), TransmissionGroup::kTime);
  EXPECT_EQ(default_group_for_talker("P"), TransmissionGroup::kProp);
  EXPECT_EQ(default_group_for_talker("QQ"), std::nullopt);
  EXPECT_EQ(group_by_name("TGTD"), TransmissionGroup::kTgtd);
  EXPECT_EQ(group_by_name("tgtd"), std::nullopt);
}

}  // namespace
}  // namespace twincert::iec61162_450
