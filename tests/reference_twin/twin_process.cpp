#include "twin_process.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "twincert/protocols/iec61162_450/datagram.hpp"
#include "twincert/protocols/nmea0183/sentence.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace twincert::testing {

namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

std::uint16_t port_of(const nlohmann::json& endpoint) {
  const std::string text = endpoint.get<std::string>();
  return static_cast<std::uint16_t>(std::stoi(text.substr(text.rfind(':') + 1)));
}

bool wait_readable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
}

}  // namespace

std::string with_checksum(std::string_view body, char start) {
  const auto sum = nmea0183::checksum_suffix(nmea0183::checksum_of(body));
  return std::string(1, start) + std::string(body) + std::string(sum.data(), sum.size());
}

TwinProcess::TwinProcess(std::vector<std::string> args) {
  static std::mt19937_64 names(std::random_device{}());
  dir_ = std::filesystem::temp_directory_path() / ("twincert-twin-test-" + std::to_string(names()));
  std::filesystem::create_directories(dir_);

  alert_socket_ = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in any = loopback(0);
  ::bind(alert_socket_, reinterpret_cast<sockaddr*>(&any), sizeof any);  // NOLINT
  socklen_t length = sizeof any;
  ::getsockname(alert_socket_, reinterpret_cast<sockaddr*>(&any), &length);  // NOLINT
  const std::uint16_t alert_port = ntohs(any.sin_port);

  const std::string ports_file = (dir_ / "ports.json").string();
  std::vector<std::string> argv = {TWINCERT_REFERENCE_TWIN,
                                   "--http",
                                   "127.0.0.1:0",
                                   "--udp",
                                   "127.0.0.1:0",
                                   "--tcp",
                                   "127.0.0.1:0",
                                   "--alerts-to",
                                   "127.0.0.1:" + std::to_string(alert_port),
                                   "--ports-file",
                                   ports_file,
                                   "--quiet"};
  if (std::find(args.begin(), args.end(), "--multicast") == args.end())
    argv.emplace_back("--no-multicast");
  argv.insert(argv.end(), args.begin(), args.end());
  harness::ProcessSpec spec;
  spec.command = std::move(argv);
  process_ = std::make_unique<harness::ChildProcess>(spec);
  const bool listening =
      eventually([&] { return std::filesystem::exists(ports_file) || !alive(); });
  if (!listening || !alive()) throw std::runtime_error("the twin did not start listening");
  std::ifstream in(ports_file);
  const auto ports = nlohmann::json::parse(in);
  http_port_ = port_of(ports["http"]);
  udp_port_ = port_of(ports["udp"][0]);
  tcp_port_ = port_of(ports["tcp"][0]);
  send_socket_ = ::socket(AF_INET, SOCK_DGRAM, 0);
}

TwinProcess::~TwinProcess() {
  process_.reset();  // SIGTERM, then SIGKILL
  for (const int fd : {alert_socket_, send_socket_, tcp_socket_}) {
    if (fd >= 0) ::close(fd);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void TwinProcess::send_datagram(std::string_view bytes) const {
  const sockaddr_in to = loopback(udp_port_);
  ::sendto(send_socket_, bytes.data(), bytes.size(), 0,
           reinterpret_cast<const sockaddr*>(&to),  // NOLINT
           sizeof to);
}

void TwinProcess::send_line(std::string_view sentence, std::string_view source,
                            std::int64_t unix_s) {
  send_datagram(datagram_of(sentence, source, unix_s));
  ++lines_sent_;
}

std::string TwinProcess::datagram_of(std::string_view sentence, std::string_view source,
                                     std::int64_t unix_s) {
  auto it = std::find_if(line_counts_.begin(), line_counts_.end(),
                         [&](const auto& p) { return p.first == source; });
  if (it == line_counts_.end()) {
    line_counts_.emplace_back(std::string(source), 0);
    it = line_counts_.end() - 1;
  }
  it->second = iec61162_450::next_line_count(it->second);
  iec61162_450::DatagramLine line;
  line.tag.unix_time = unix_s;
  line.tag.source = std::string(source);
  line.tag.line_count = it->second;
  line.sentence = std::string(sentence);
  const std::vector<iec61162_450::DatagramLine> lines{line};
  return iec61162_450::encode_datagram(lines);
}

void TwinProcess::send_tcp(std::string_view bytes) {
  if (tcp_socket_ < 0) {
    tcp_socket_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const sockaddr_in to = loopback(tcp_port_);
    if (::connect(tcp_socket_, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {  // NOLINT
      throw std::runtime_error("cannot connect to the twin's TCP input");
    }
  }
  while (!bytes.empty()) {
    const auto n = ::send(tcp_socket_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::optional<nlohmann::json> TwinProcess::get(std::string_view path,
                                               std::chrono::milliseconds timeout) const {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const sockaddr_in to = loopback(http_port_);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {  // NOLINT
    ::close(fd);
    return std::nullopt;
  }
  const std::string request =
      "GET " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string response;
  char buffer[4096];
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !wait_readable(fd, left)) {
      ::close(fd);
      return std::nullopt;
    }
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    response.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  const auto body = response.find("\r\n\r\n");
  if (body == std::string::npos) return std::nullopt;
  return nlohmann::json::parse(response.substr(body + 4), nullptr, false);
}

std::vector<std::string> TwinProcess::received_alerts(std::chrono::milliseconds wait) {
  std::vector<std::string> out;
  char buffer[65536];
  while (wait_readable(alert_socket_, wait)) {
    const auto n = ::recv(alert_socket_, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    out.emplace_back(buffer, static_cast<std::size_t>(n));
    wait = std::chrono::milliseconds(0);
  }
  return out;
}

}  // namespace twincert::testing
