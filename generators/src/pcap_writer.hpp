// Writes IEC 61162-450 datagrams into a pcap file as they would appear on the ship's network:
// Ethernet II, IPv4 (no options) and UDP, from a per-source host address to the group's
// multicast address and port. libpcap writes the file, so Wireshark and tcpreplay read it.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

struct pcap;
struct pcap_dumper;

namespace twincert::generators::detail {

class PcapWriter {
 public:
  // Throws std::runtime_error when the file cannot be created.
  explicit PcapWriter(const std::filesystem::path& path);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  // One UDP datagram at UNIX time `unix_us` (microseconds) from host 10.61.0.`host`.
  void write(std::int64_t unix_us, std::uint8_t host, std::string_view group_address,
             std::uint16_t port, std::string_view payload);
  // Flushes and closes; throws std::runtime_error on a write error.
  void close();

 private:
  pcap* handle_ = nullptr;
  pcap_dumper* dumper_ = nullptr;
};

}  // namespace twincert::generators::detail
