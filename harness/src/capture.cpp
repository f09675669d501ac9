#include "twincert/harness/capture.hpp"

#include <array>
#include <fstream>
#include <memory>

#include "twincert/base/config_error.hpp"
#include "twincert/protocols/iec61162_450/datagram.hpp"

#include <pcap/pcap.h>

namespace twincert::harness {

namespace {

// Raw IP goes by three numbers: LINKTYPE_RAW (101) in files, DLT_RAW (12) as libpcap reports
// it on Linux, and LINKTYPE_IPV4 (228).
bool raw_ip(int link_type) {
  return link_type == kLinkRaw || link_type == 12 || link_type == 228;
}

bool decoded(int link_type) {
  return link_type == kLinkEthernet || link_type == kLinkLinuxSll || raw_ip(link_type);
}

std::uint16_t be16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(
      (static_cast<unsigned>(static_cast<unsigned char>(b[at])) << 8U) |
      static_cast<unsigned char>(b[at + 1]));
}

// The IPv4 packet's UDP datagram; `base` is where the IP header starts in the captured packet.
std::variant<UdpPacket, PacketError> udp_of_ipv4(std::string_view packet, std::size_t base) {
  const std::string_view ip = packet.substr(base);
  if (ip.size() < 20) return PacketError{base, "truncated IPv4 header"};
  const auto first = static_cast<unsigned char>(ip[0]);
  if ((first >> 4U) != 4) return PacketError{base, "not IPv4"};
  const std::size_t header = static_cast<std::size_t>(first & 0x0FU) * 4U;
  if (header < 20 || ip.size() < header) return PacketError{base, "bad IPv4 header length"};
  const std::size_t total = be16(ip, 2);
  if (total < header || total > ip.size()) return PacketError{base + 2, "bad IPv4 total length"};
  if ((be16(ip, 6) & 0x3FFFU) != 0) return PacketError{base + 6, "IPv4 fragment"};
  if (ip[9] != 17) return PacketError{base + 9, "not UDP"};
  const std::string_view udp = ip.substr(header, total - header);
  const std::size_t at = base + header;
  if (udp.size() < 8) return PacketError{at, "truncated UDP header"};
  const std::size_t length = be16(udp, 4);
  if (length < 8 || length > udp.size()) return PacketError{at + 4, "bad UDP length"};
  return UdpPacket{udp.substr(8, length - 8), be16(udp, 0), be16(udp, 2)};
}

void append_lines(std::string_view payload, double at_s, std::vector<Frame>& out) {
  if (payload.starts_with(iec61162_450::kSentenceToken)) {
    payload.remove_prefix(iec61162_450::kSentenceToken.size());
  }
  for (Frame& f : frames_of(payload)) {
    f.at_s = at_s;
    out.push_back(std::move(f));
  }
}

}  // namespace

std::variant<UdpPacket, PacketError> udp_of_packet(std::string_view packet, int link_type) {
  switch (link_type) {
    case kLinkEthernet: {
      if (packet.size() < 14) return PacketError{0, "truncated Ethernet header"};
      std::size_t at = 12;
      std::uint16_t type = be16(packet, at);
      if (type == 0x8100) {  // one VLAN tag
        if (packet.size() < 18) return PacketError{12, "truncated VLAN tag"};
        at = 16;
        type = be16(packet, at);
      }
      if (type != 0x0800) return PacketError{at, "not IPv4"};
      return udp_of_ipv4(packet, at + 2);
    }
    case kLinkLinuxSll:
      if (packet.size() < 16) return PacketError{0, "truncated Linux cooked header"};
      if (be16(packet, 14) != 0x0800) return PacketError{14, "not IPv4"};
      return udp_of_ipv4(packet, 16);
    default:
      if (raw_ip(link_type)) return udp_of_ipv4(packet, 0);
      return PacketError{0, "link type not decoded (Ethernet, Linux cooked or raw IP are)"};
  }
}

bool is_capture_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<unsigned char, 4> m{};
  if (!in.read(reinterpret_cast<char*>(m.data()), m.size())) return false;  // NOLINT
  const std::uint32_t magic = (static_cast<std::uint32_t>(m[0]) << 24U) |
                              (static_cast<std::uint32_t>(m[1]) << 16U) |
                              (static_cast<std::uint32_t>(m[2]) << 8U) | m[3];
  // pcap (µs and ns, either byte order) and pcapng's section header block.
  return magic == 0xA1B2C3D4U || magic == 0xD4C3B2A1U || magic == 0xA1B23C4DU ||
         magic == 0x4D3CB2A1U || magic == 0x0A0D0D0AU;
}

CaptureFrames frames_of_capture(const std::filesystem::path& path) {
  std::array<char, PCAP_ERRBUF_SIZE> error{};
  const std::unique_ptr<pcap_t, decltype(&pcap_close)> pcap(
      pcap_open_offline(path.c_str(), error.data()), &pcap_close);
  if (!pcap) {
    throw ConfigError("cannot read capture " + path.string() + ": " + error.data());
  }
  const int link = pcap_datalink(pcap.get());
  if (!decoded(link)) {
    throw ConfigError("capture " + path.string() + ": link type " + std::to_string(link) +
                      " is not Ethernet, Linux cooked or raw IP");
  }
  CaptureFrames out;
  double first_s = -1.0;
  pcap_pkthdr* header = nullptr;
  const unsigned char* data = nullptr;
  while (pcap_next_ex(pcap.get(), &header, &data) == 1) {
    ++out.packets;
    const double t = static_cast<double>(header->ts.tv_sec) +
                     static_cast<double>(header->ts.tv_usec) / 1e6;  // libpcap scales ns files
    if (first_s < 0.0) first_s = t;
    const std::string_view bytes(reinterpret_cast<const char*>(data), header->caplen);  // NOLINT
    const auto udp = udp_of_packet(bytes, link);
    if (const auto* e = std::get_if<PacketError>(&udp)) {
      if (out.skipped++ == 0) {
        out.first_skip = "packet " + std::to_string(out.packets) + ": " + std::string(e->reason) +
                         " at byte " + std::to_string(e->offset);
      }
      continue;
    }
    append_lines(std::get<UdpPacket>(udp).payload, t - first_s, out.frames);
  }
  return out;
}

}  // namespace twincert::harness
