// Captures of the wire as replay input: pcap and pcapng files (read with libpcap), as Wireshark,
// tcpdump or `twincert generate --pcap` write them. Each UDP datagram of an IPv4 packet on an
// Ethernet, Linux cooked (SLL) or raw IP link becomes frames: an IEC 61162-450 datagram gives
// its lines (tag blocks kept), any other payload its text lines. Times are the capture's, from
// the first packet. Packets that are no UDP datagram are skipped and counted with the reason.
// Values are thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "twincert/harness/replay_plan.hpp"

namespace twincert::harness {

// libpcap's link types (DLT_*) this reader decodes.
inline constexpr int kLinkEthernet = 1;
inline constexpr int kLinkRaw = 101;  // also 12 and 228 (DLT_RAW, DLT_IPV4)
inline constexpr int kLinkLinuxSll = 113;

struct UdpPacket {
  std::string_view payload;  // within the packet's bytes
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
};

// Why a packet is no UDP datagram, and at which byte of it.
struct PacketError {
  std::size_t offset = 0;
  std::string_view reason;  // static text: "truncated IPv4 header", "not UDP", ...
};

// The UDP datagram in one captured packet (untrusted bytes: any input gives a value or an error).
std::variant<UdpPacket, PacketError> udp_of_packet(std::string_view packet, int link_type);

// True when the file starts like a pcap or pcapng file.
bool is_capture_file(const std::filesystem::path& path);

struct CaptureFrames {
  std::vector<Frame> frames;
  std::size_t packets = 0;
  std::size_t skipped = 0;  // packets that held no UDP datagram
  std::string first_skip;   // why the first of them was skipped ("packet 3: not UDP")
};

// Throws ConfigError when libpcap cannot read the file or its link type is not one
// of the above.
CaptureFrames frames_of_capture(const std::filesystem::path& path);

}  // namespace twincert::harness
