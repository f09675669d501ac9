// stream.pcap read back with libpcap: one well-formed Ethernet/IPv4/UDP frame per line of
// stream.nmea, each a strict IEC 61162-450 datagram carrying exactly that line, sent to the
// transmission group of its talker.
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "twincert/base/sha256.hpp"
#include "twincert/generators/bundle.hpp"
#include "twincert/generators/scenario.hpp"
#include "twincert/protocols/iec61162_450/datagram.hpp"
#include "twincert/protocols/iec61162_450/transmission_groups.hpp"

#include <pcap/pcap.h>

namespace twincert::generators {
namespace {

std::uint32_t read16(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0] << 8U) | p[1];
}

bool checksum_ok(const std::uint8_t* p, std::size_t n, std::uint32_t sum) {
  for (std::size_t i = 0; i + 1 < n; i += 2) sum += read16(p + i);
  if (n % 2 == 1) sum += static_cast<std::uint32_t>(p[n - 1] << 8U);
  while ((sum >> 16U) != 0) sum = (sum & 0xFFFFU) + (sum >> 16U);
  return sum == 0xFFFFU;
}

TEST(PcapBundle, EveryLineIsOneStrict450DatagramToItsGroup) {
  const auto dir = std::filesystem::temp_directory_path() / "twincert-pcap-test";
  std::filesystem::remove_all(dir);
  Scenario scenario = load_scenario("fire-doors-open");
  BundleOptions options;
  options.out_dir = dir;
  options.seed = 3;
  options.duration_s = 700;  // through the fire alarm and its acknowledgement
  options.pcap = true;
  const BundleSummary summary = write_bundle(scenario, options);
  ASSERT_TRUE(std::filesystem::exists(dir / "stream.pcap"));
  EXPECT_FALSE(std::filesystem::exists(dir / "stream.pcap.partial"));
  EXPECT_EQ(summary.sha256.at("stream.pcap"), sha256_file(dir / "stream.pcap"));

  std::ifstream in(dir / "stream.nmea", std::ios::binary);
  const std::string nmea{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};

  std::array<char, PCAP_ERRBUF_SIZE> error{};
  pcap_t* handle = pcap_open_offline((dir / "stream.pcap").c_str(), error.data());
  ASSERT_NE(handle, nullptr) << error.data();
  EXPECT_EQ(pcap_datalink(handle), DLT_EN10MB);
  std::size_t frames = 0;
  std::size_t at = 0;  // position in stream.nmea
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(handle, &header, &data) == 1) {
    ++frames;
    ASSERT_EQ(header->caplen, header->len);
    ASSERT_GE(header->caplen, 42U);
    ASSERT_EQ(read16(data + 12), 0x0800U);  // IPv4
    const std::uint8_t* ip = data + 14;
    ASSERT_TRUE(checksum_ok(ip, 20, 0)) << "IPv4 header checksum, frame " << frames;
    ASSERT_EQ(ip[9], 17);  // UDP
    const std::uint8_t* udp = ip + 20;
    const std::size_t udp_length = read16(udp + 4);
    ASSERT_EQ(udp_length + 34, header->caplen);
    std::uint32_t pseudo = 17U + static_cast<std::uint32_t>(udp_length);
    for (int i = 12; i < 20; i += 2) pseudo += read16(ip + i);
    ASSERT_TRUE(checksum_ok(udp, udp_length, pseudo)) << "UDP checksum, frame " << frames;

    const std::string_view payload(reinterpret_cast<const char*>(udp + 8), udp_length - 8);
    const auto datagram = iec61162_450::parse_datagram(payload, nmea0183::Mode::kStrict);
    ASSERT_TRUE(datagram.has_value()) << "frame " << frames << ": " << payload;
    ASSERT_EQ(datagram->lines.size(), 1U);
    // The payload after the token is exactly the next line of stream.nmea.
    const std::string_view line = payload.substr(iec61162_450::kSentenceToken.size());
    ASSERT_EQ(std::string_view(nmea).substr(at, line.size()), line) << "frame " << frames;
    at += line.size();

    // Addressed to the group its talker belongs to, on that group's port.
    const auto& sentence = datagram->lines[0].sentence;
    const auto group =
        iec61162_450::endpoint_of(iec61162_450::default_group_for_talker(sentence.talker())
                                      .value_or(iec61162_450::TransmissionGroup::kMisc));
    const std::string destination = std::to_string(ip[16]) + "." + std::to_string(ip[17]) + "." +
                                    std::to_string(ip[18]) + "." + std::to_string(ip[19]);
    EXPECT_EQ(destination, group.address) << sentence.talker();
    EXPECT_EQ(read16(udp + 2), group.port);
    EXPECT_EQ(data[0], 0x01);  // a multicast MAC
  }
  pcap_close(handle);
  EXPECT_EQ(frames, summary.sentences);
  EXPECT_EQ(at, nmea.size());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace twincert::generators
