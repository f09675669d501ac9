// Where a replay goes, as a URL:
//   udp://HOST:PORT                 one UDP datagram per line (IEC 61162-450 by default)
//   mcast://GROUP:PORT              one multicast group; mcast://standard routes each line to its
//                                   talker's IEC 61162-450 transmission group (239.192.0.x:6000x)
//       ?ttl=0&iface=127.0.0.1      TTL and interface (defaults: 0, i.e. never leaves the host)
//   tcp://HOST:PORT                 connect and write lines
//   tcp-listen://HOST:PORT          wait for one connection, then write lines
//   pty:PATH                        create a pseudo-terminal, link its slave side at PATH and
//       ?baud=4800|38400            write lines at the pace the baud rate allows (default 38400)
//   file:PATH, or -                 write lines to a file or standard output
// Any kind takes ?format=450|lines|sentences (datagram with tag block, tagged line, bare sentence).
//
// Safety: a replay may only reach this host. Addresses outside 127.0.0.0/8 and ::1, multicast
// on another interface or with TTL > 0 are refused unless the caller allows external targets
// explicitly (check_target_allowed). Values are thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace twincert::harness {

enum class TargetKind : std::uint8_t { kUdp, kMulticast, kTcp, kTcpListen, kPty, kFile, kStdout };
enum class WireFormat : std::uint8_t { k450, kLines, kSentences };

struct Target {
  TargetKind kind = TargetKind::kUdp;
  std::string host;  // address, or "standard" for mcast://standard
  std::uint16_t port = 0;
  std::string path;  // pty and file
  int ttl = 0;       // multicast
  std::string interface_address = "127.0.0.1";
  unsigned baud = 38400;  // pty
  WireFormat format = WireFormat::kLines;
  std::string text;  // as given

  bool standard_groups() const noexcept {
    return kind == TargetKind::kMulticast && host == "standard";
  }
};

// Parses a target URL; throws ConfigError naming what is wrong.
Target parse_target(std::string_view url);

// Why the target may not be used without --allow-external, or nullopt when it stays on this host.
std::optional<std::string> check_target_allowed(const Target& target);

}  // namespace twincert::harness
