#include "pcap_writer.hpp"

#include <array>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <pcap/pcap.h>

namespace twincert::generators::detail {

namespace {

constexpr std::size_t kEthernetHeader = 14;
constexpr std::size_t kIpv4Header = 20;
constexpr std::size_t kUdpHeader = 8;
constexpr std::uint16_t kSourcePort = 60000;  // what 450 senders commonly bind
constexpr int kSnapLength = 65535;

void put16(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8U);
  b[at + 1] = static_cast<std::uint8_t>(v & 0xFFU);
}

// The Internet checksum (RFC 1071) of the bytes, folded to 16 bits, plus an initial sum.
std::uint16_t internet_checksum(const std::uint8_t* data, std::size_t n, std::uint32_t sum) {
  for (std::size_t i = 0; i + 1 < n; i += 2) {
    sum += static_cast<std::uint32_t>(data[i] << 8U) | data[i + 1];
  }
  if (n % 2 == 1) sum += static_cast<std::uint32_t>(data[n - 1] << 8U);
  while ((sum >> 16U) != 0) sum = (sum & 0xFFFFU) + (sum >> 16U);
  return static_cast<std::uint16_t>(~sum & 0xFFFFU);
}

}  // namespace

PcapWriter::PcapWriter(Sink sink) : sink_(std::move(sink)) {
  handle_ = pcap_open_dead(DLT_EN10MB, kSnapLength);
  if (handle_ == nullptr) throw std::runtime_error("libpcap: cannot open a capture handle");
  // libpcap writes to a FILE*; a cookie stream hands its bytes to the sink.
  cookie_io_functions_t io{};
  io.write = [](void* cookie, const char* data, std::size_t size) -> ssize_t {
    (*static_cast<Sink*>(cookie))(std::string_view(data, size));
    return static_cast<ssize_t>(size);
  };
  FILE* stream = fopencookie(&sink_, "w", io);
  if (stream != nullptr) dumper_ = pcap_dump_fopen(handle_, stream);
  if (dumper_ == nullptr) {
    if (stream != nullptr) std::fclose(stream);
    pcap_close(handle_);
    handle_ = nullptr;
    throw std::runtime_error("libpcap: cannot start the capture file");
  }
}

PcapWriter::~PcapWriter() {
  if (dumper_ != nullptr) pcap_dump_close(dumper_);
  if (handle_ != nullptr) pcap_close(handle_);
}

void PcapWriter::write(std::int64_t unix_us, std::uint8_t host, std::string_view group_address,
                       std::uint16_t port, std::string_view payload) {
  std::array<std::uint8_t, 4> group{};
  const std::string group_text(group_address);
  if (inet_pton(AF_INET, group_text.c_str(), group.data()) != 1) {
    throw std::logic_error("not an IPv4 address: " + group_text);
  }
  const std::array<std::uint8_t, 4> source{10, 61, 0, host};
  const std::size_t udp_length = kUdpHeader + payload.size();
  const std::size_t ip_length = kIpv4Header + udp_length;
  std::vector<std::uint8_t> frame(kEthernetHeader + ip_length, 0);

  // Ethernet: the group's multicast MAC (01:00:5e + low 23 bits), a locally administered source.
  const std::array<std::uint8_t, 6> destination_mac{
      0x01, 0x00, 0x5e, static_cast<std::uint8_t>(group[1] & 0x7FU), group[2], group[3]};
  const std::array<std::uint8_t, 6> source_mac{0x02, 0x00, 10, 61, 0, host};
  std::memcpy(frame.data(), destination_mac.data(), 6);
  std::memcpy(frame.data() + 6, source_mac.data(), 6);
  put16(frame, 12, 0x0800);

  // IPv4: no options, don't fragment, TTL 1 (a 450 network is one segment).
  const std::size_t ip = kEthernetHeader;
  frame[ip] = 0x45;
  put16(frame, ip + 2, static_cast<std::uint32_t>(ip_length));
  put16(frame, ip + 6, 0x4000);
  frame[ip + 8] = 1;
  frame[ip + 9] = 17;  // UDP
  std::memcpy(frame.data() + ip + 12, source.data(), 4);
  std::memcpy(frame.data() + ip + 16, group.data(), 4);
  put16(frame, ip + 10, internet_checksum(frame.data() + ip, kIpv4Header, 0));

  // UDP with its checksum over the pseudo-header.
  const std::size_t udp = ip + kIpv4Header;
  put16(frame, udp, kSourcePort);
  put16(frame, udp + 2, port);
  put16(frame, udp + 4, static_cast<std::uint32_t>(udp_length));
  std::memcpy(frame.data() + udp + kUdpHeader, payload.data(), payload.size());
  std::uint32_t pseudo = 17U + static_cast<std::uint32_t>(udp_length);
  for (std::size_t i = 0; i < 4; i += 2) {
    pseudo += static_cast<std::uint32_t>(source[i] << 8U) | source[i + 1];
    pseudo += static_cast<std::uint32_t>(group[i] << 8U) | group[i + 1];
  }
  std::uint16_t checksum = internet_checksum(frame.data() + udp, udp_length, pseudo);
  if (checksum == 0) checksum = 0xFFFF;  // 0 means "no checksum" in UDP over IPv4
  put16(frame, udp + 6, checksum);

  pcap_pkthdr header{};
  header.ts.tv_sec = static_cast<decltype(header.ts.tv_sec)>(unix_us / 1000000);
  header.ts.tv_usec = static_cast<decltype(header.ts.tv_usec)>(unix_us % 1000000);
  header.caplen = static_cast<bpf_u_int32>(frame.size());
  header.len = header.caplen;
  pcap_dump(reinterpret_cast<u_char*>(dumper_), &header, frame.data());
}

void PcapWriter::close() {
  if (dumper_ == nullptr) return;
  const bool flushed = pcap_dump_flush(dumper_) == 0;
  pcap_dump_close(dumper_);
  dumper_ = nullptr;
  pcap_close(handle_);
  handle_ = nullptr;
  if (!flushed) throw std::runtime_error("libpcap: write to the capture file failed");
}

}  // namespace twincert::generators::detail
