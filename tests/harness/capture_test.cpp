// Captures as replay input: a bundle's stream.pcap gives the same lines as its stream.nmea, and
// packets that are no UDP datagram come back as errors with their place, never a crash.
#include "twincert/harness/capture.hpp"

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"
#include "twincert/generators/bundle.hpp"
#include "twincert/generators/scenario.hpp"

namespace twincert::harness {
namespace {

using ::testing::HasSubstr;

// An Ethernet frame with an IPv4 UDP datagram carrying `payload` to port 60004.
std::string ethernet_udp(const std::string& payload) {
  std::string p(12, '\0');
  p += std::string("\x08\x00", 2);
  const std::size_t total = 20 + 8 + payload.size();
  p += std::string("\x45\x00", 2);
  p += static_cast<char>(total >> 8U);
  p += static_cast<char>(total & 0xFFU);
  p += std::string("\x00\x00\x40\x00\x01\x11\x00\x00", 8);  // id, DF, TTL 1, UDP, checksum
  p += std::string("\x0a\x3d\x00\x01\xef\xc0\x00\x04", 8);  // 10.61.0.1 -> 239.192.0.4
  const std::size_t udp = 8 + payload.size();
  p += std::string("\xea\x60\xea\x64", 4);  // 60000 -> 60004
  p += static_cast<char>(udp >> 8U);
  p += static_cast<char>(udp & 0xFFU);
  p += std::string("\x00\x00", 2);
  return p + payload;
}

TEST(CaptureTest, PacketsGiveTheirUdpPayloadOrSayWhatTheyAreNot) {
  const std::string packet = ethernet_udp("UdPbC\\s:HE0001*00\\$HEHDT,1.0,T*00\r\n");
  const auto ok = udp_of_packet(packet, kLinkEthernet);
  ASSERT_TRUE(std::holds_alternative<UdpPacket>(ok));
  EXPECT_EQ(std::get<UdpPacket>(ok).destination_port, 60004);
  EXPECT_TRUE(std::get<UdpPacket>(ok).payload.starts_with("UdPbC"));
  EXPECT_TRUE(std::get<UdpPacket>(ok).payload.ends_with("*00\r\n"));

  const auto error_of = [](const std::string& bytes, int link = kLinkEthernet) {
    const auto r = udp_of_packet(bytes, link);
    return std::holds_alternative<PacketError>(r) ? std::get<PacketError>(r) : PacketError{};
  };
  EXPECT_EQ(error_of(packet.substr(0, 10)).reason, "truncated Ethernet header");
  EXPECT_EQ(error_of(packet.substr(0, 30)).reason, "truncated IPv4 header");
  std::string tcp = packet;
  tcp[14 + 9] = 6;
  EXPECT_EQ(error_of(tcp).reason, "not UDP");
  EXPECT_EQ(error_of(tcp).offset, 23U);
  std::string fragment = packet;
  fragment[14 + 6] = 0x20;  // more fragments
  EXPECT_EQ(error_of(fragment).reason, "IPv4 fragment");
  std::string long_udp = packet;
  long_udp[14 + 20 + 4] = 0x7F;
  EXPECT_EQ(error_of(long_udp).reason, "bad UDP length");
  EXPECT_EQ(error_of(packet.substr(14), kLinkRaw).reason, "");  // raw IP: the same datagram
  EXPECT_EQ(error_of(packet, 9999).reason.substr(0, 9), "link type");
}

TEST(CaptureTest, ABundlesPcapReplaysTheSameLinesAsItsStream) {
  generators::BundleOptions options;
  options.out_dir = std::filesystem::temp_directory_path() /
                    ("twincert-capture-" + std::to_string(std::random_device{}()));
  options.duration_s = 60;
  options.pcap = true;
  options.tool = "test";
  generators::write_bundle(generators::load_scenario("coastal-transit"), options);
  const auto from_stream = load_plan(options.out_dir).frames;
  ASSERT_TRUE(is_capture_file(options.out_dir / "stream.pcap"));
  EXPECT_FALSE(is_capture_file(options.out_dir / "stream.nmea"));
  const auto capture = frames_of_capture(options.out_dir / "stream.pcap");
  EXPECT_EQ(capture.skipped, 0U);
  ASSERT_EQ(capture.frames.size(), from_stream.size());
  std::vector<std::string> a;
  std::vector<std::string> b;
  for (const auto& f : from_stream) a.push_back(f.line);
  for (const auto& f : capture.frames) b.push_back(f.line);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b);
  EXPECT_EQ(capture.frames.front().source.size(), 6U);
  EXPECT_NEAR(capture.frames.back().at_s, from_stream.back().at_s, 1.0);
  // load_plan takes a capture file as it takes a text capture.
  EXPECT_EQ(load_plan(options.out_dir / "stream.pcap").frames.size(), from_stream.size());
  std::filesystem::remove_all(options.out_dir);
}

TEST(CaptureTest, AFileLibpcapCannotReadIsAConfigurationError) {
  try {
    (void)frames_of_capture("/nonexistent.pcap");
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot read capture /nonexistent.pcap"));
  }
}

}  // namespace
}  // namespace twincert::harness
