// Test helpers for the reference twin as a real process on loopback: start it on free ports,
// talk to it over real UDP/TCP sockets and HTTP, listen for the alerts it sends.
// Plain POSIX sockets on purpose: the tests must not share the twin's own networking code.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/harness/child_process.hpp"

namespace twincert::testing {

// The twin started with `args` plus free loopback ports for HTTP, one UDP and one TCP input
// and a UDP listener for its alerts. Stopped (SIGTERM, then SIGKILL) on destruction.
class TwinProcess {
 public:
  explicit TwinProcess(std::vector<std::string> args);
  ~TwinProcess();
  TwinProcess(const TwinProcess&) = delete;
  TwinProcess& operator=(const TwinProcess&) = delete;

  // Sends one UDP datagram to the twin's UDP input.
  void send_datagram(std::string_view bytes) const;
  // Sends `line` in a 450 datagram with a tag block c:unix_s, s:source, n:1..999 per source.
  void send_line(std::string_view sentence, std::string_view source, std::int64_t unix_s);
  // Lines sent with send_line so far.
  std::uint64_t lines_sent() const { return lines_sent_; }
  // A 450 datagram carrying `sentence` behind a tag block (c:, s:, n: as send_line makes it).
  std::string datagram_of(std::string_view sentence, std::string_view source, std::int64_t unix_s);
  // Writes bytes on a TCP connection to the twin's TCP input (opened on first use).
  void send_tcp(std::string_view bytes);

  // GET path; nullopt when the twin does not answer within `timeout`.
  std::optional<nlohmann::json> get(
      std::string_view path, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;
  // Alert datagrams received so far (each a whole datagram).
  std::vector<std::string> received_alerts(std::chrono::milliseconds wait);

  bool alive() { return process_->running(); }
  std::uint16_t http_port() const { return http_port_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<harness::ChildProcess> process_;
  std::uint16_t http_port_ = 0;
  std::uint16_t udp_port_ = 0;
  std::uint16_t tcp_port_ = 0;
  int alert_socket_ = -1;
  int send_socket_ = -1;
  int tcp_socket_ = -1;
  std::vector<std::pair<std::string, std::int64_t>> line_counts_;
  std::uint64_t lines_sent_ = 0;
};

// "$GPGGA,...*hh" from the text between '$' and '*'.
std::string with_checksum(std::string_view body, char start = '$');

// Polls `probe` until it returns true or `deadline` passes.
template <class Probe>
bool eventually(Probe probe, std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (probe()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return probe();
}

}  // namespace twincert::testing
