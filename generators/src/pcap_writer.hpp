// Writes IEC 61162-450 datagrams in pcap format as they would appear on the ship's network:
// Ethernet II, IPv4 (no options) and UDP, from a per-source host address to the group's
// multicast address and port. libpcap formats the file, so Wireshark and tcpreplay read it; its
// bytes go to a sink (the bundle's hashed file), so nothing is read back to hash it.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string_view>

struct pcap;
struct pcap_dumper;

namespace twincert::generators::detail {

class PcapWriter {
 public:
  using Sink = std::function<void(std::string_view bytes)>;
  // Throws std::runtime_error when libpcap cannot start the capture.
  explicit PcapWriter(Sink sink);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  // One UDP datagram at UNIX time `unix_us` (microseconds) from host 10.61.0.`host`.
  void write(std::int64_t unix_us, std::uint8_t host, std::string_view group_address,
             std::uint16_t port, std::string_view payload);
  // Flushes and closes; throws std::runtime_error on a write error.
  void close();

 private:
  Sink sink_;
  pcap* handle_ = nullptr;
  pcap_dumper* dumper_ = nullptr;
};

}  // namespace twincert::generators::detail
