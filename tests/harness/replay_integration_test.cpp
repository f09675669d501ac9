// Replays over real loopback sockets, a pty and a file: everything sent arrives, in order, in
// the wire format asked for; pacing keeps to the schedule and a pty to its baud rate.
#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/replay.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace twincert::harness {
namespace {

using namespace std::chrono_literals;

std::vector<Frame> frames(int count, double spacing_s) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    text += "\\r:" + std::to_string(static_cast<long>(i * spacing_s * 1000)) +
            ",s:HE0001*00\\$HEHDT," + std::to_string(i) + ".0,T*00\n";
  }
  return frames_of(text);
}

// A socket bound to a free loopback port.
struct Listener {
  int fd;
  std::uint16_t port;
  explicit Listener(int type) : fd(::socket(AF_INET, type, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);  // NOLINT
    socklen_t n = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);  // NOLINT
    port = ntohs(a.sin_port);
    if (type == SOCK_STREAM) ::listen(fd, 4);
  }
  ~Listener() { ::close(fd); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
};

std::string read_all(int fd, std::chrono::milliseconds quiet = 500ms) {
  std::string out;
  char buffer[4096];
  pollfd p{fd, POLLIN, 0};
  while (::poll(&p, 1, static_cast<int>(quiet.count())) > 0) {
    const auto n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

ReplayOptions with(const char* pacing) {
  ReplayOptions o;
  o.pacing = parse_pacing(pacing);
  o.connect_timeout = 5000ms;
  return o;
}

TEST(ReplayTest, UdpDeliversOne450DatagramPerFrame) {
  Listener rx(SOCK_DGRAM);
  const auto plan = frames(20, 0.01);
  const auto report =
      replay(plan, parse_target("udp://127.0.0.1:" + std::to_string(rx.port)), with("max"));
  EXPECT_EQ(report.frames, 20U);
  EXPECT_EQ(report.send_errors, 0U);
  for (int i = 0; i < 20; ++i) {
    char buffer[2048];
    pollfd p{rx.fd, POLLIN, 0};
    ASSERT_GT(::poll(&p, 1, 2000), 0) << "datagram " << i;
    const auto n = ::recv(rx.fd, buffer, sizeof buffer, 0);
    const std::string d(buffer, static_cast<std::size_t>(n));
    EXPECT_TRUE(d.starts_with(std::string("UdPbC\0", 6)));
    EXPECT_NE(d.find("$HEHDT," + std::to_string(i) + ".0,T"), std::string::npos) << d;
  }
}

// Everything waiting on a UDP socket, one string per datagram.
std::vector<std::string> datagrams_on(int fd) {
  std::vector<std::string> out;
  char buffer[2048];
  pollfd p{fd, POLLIN, 0};
  while (::poll(&p, 1, 300) > 0) {
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    out.emplace_back(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

TEST(ReplayTest, RoutesSendEachSourceToItsChannelInOneOrder) {
  Listener ais(SOCK_DGRAM);
  Listener rest(SOCK_DGRAM);
  std::string text;
  for (int i = 0; i < 30; ++i) {
    const char* source = i % 3 == 0 ? "AI0001" : (i % 3 == 1 ? "HE0001" : "GP0002");
    text += "\\r:" + std::to_string(i * 10) + ",s:" + source + "*00\\$XXTXT," + std::to_string(i) +
            "*00\n";
  }
  const auto plan = frames_of(text);
  const auto to = [](const Listener& l, const char* format) {
    return parse_target("udp://127.0.0.1:" + std::to_string(l.port) + "?format=" + format);
  };
  // AIS goes to its own port as bare lines; GP0002 goes nowhere; the rest is 450.
  const std::vector<Route> routes = {{{"AI*"}, to(ais, "lines")}, {{"HE0001"}, to(rest, "450")}};
  const auto report = replay(plan, routes, with("max"));
  EXPECT_EQ(report.frames, 20U);
  EXPECT_EQ(report.unrouted, 10U);
  const auto got_ais = datagrams_on(ais.fd);
  const auto got_rest = datagrams_on(rest.fd);
  ASSERT_EQ(got_ais.size(), 10U);
  ASSERT_EQ(got_rest.size(), 10U);
  for (std::size_t k = 0; k < 10; ++k) {
    EXPECT_TRUE(got_ais[k].starts_with("\\")) << got_ais[k];  // a tagged line, no 450 header
    EXPECT_NE(got_ais[k].find("$XXTXT," + std::to_string(3 * k) + "*"), std::string::npos);
    EXPECT_TRUE(got_rest[k].starts_with(std::string("UdPbC\0", 6))) << got_rest[k];
    EXPECT_NE(got_rest[k].find("$XXTXT," + std::to_string(3 * k + 1) + "*"), std::string::npos);
  }
  EXPECT_TRUE(route_takes({}, "anything"));
  EXPECT_TRUE(route_takes({"AI*", "GP0001"}, "GP0001"));
  EXPECT_FALSE(route_takes({"AI*", "GP0001"}, "GP0002"));
}

TEST(ReplayTest, TcpClientWritesLinesInOrder) {
  Listener server(SOCK_STREAM);
  auto sent = std::async(std::launch::async, [&] {
    return replay(frames(50, 0.0), parse_target("tcp://127.0.0.1:" + std::to_string(server.port)),
                  with("max"));
  });
  const int peer = ::accept(server.fd, nullptr, nullptr);
  ASSERT_GE(peer, 0);
  EXPECT_EQ(sent.get().frames, 50U);
  const std::string text = read_all(peer);
  ::close(peer);
  std::istringstream lines(text);
  int i = 0;
  for (std::string line; std::getline(lines, line); ++i) {
    EXPECT_NE(line.find("$HEHDT," + std::to_string(i) + ".0,T"), std::string::npos) << line;
    EXPECT_TRUE(line.ends_with('\r'));
  }
  EXPECT_EQ(i, 50);
}

TEST(ReplayTest, TcpListenWaitsForThePeer) {
  std::uint16_t port = 0;
  {
    const Listener probe(SOCK_STREAM);  // find a free port
    port = probe.port;
  }
  auto sent = std::async(std::launch::async, [&] {
    return replay(
        frames(5, 0.0),
        parse_target("tcp-listen://127.0.0.1:" + std::to_string(port) + "?format=sentences"),
        with("max"));
  });
  int fd = -1;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) break;  // NOLINT
    ::close(fd);
    fd = -1;
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_GE(fd, 0);
  EXPECT_EQ(sent.get().frames, 5U);
  const std::string text = read_all(fd);
  ::close(fd);
  EXPECT_TRUE(text.starts_with("$HEHDT,0.0,T*00\r\n")) << text;  // sentences: no tag blocks
}

TEST(ReplayTest, TcpConnectFailureIsAConfigurationError) {
  std::uint16_t port = 0;
  {
    const Listener probe(SOCK_STREAM);
    port = probe.port;
  }
  ReplayOptions o = with("max");
  o.connect_timeout = 200ms;
  EXPECT_THROW(replay(frames(1, 0.0), parse_target("tcp://127.0.0.1:" + std::to_string(port)), o),
               ConfigError);
}

TEST(ReplayTest, PtyKeepsToItsBaudRate) {
  const auto link = std::filesystem::temp_directory_path() /
                    ("twincert-pty-" + std::to_string(std::random_device{}()));
  int slave = -1;
  std::future<std::string> received;
  ReplayOptions o = with("max");
  o.on_pty_ready = [&](const std::string& path) {  // a twin opens the link and reads as it comes
    slave = ::open(path.c_str(), O_RDONLY | O_NOCTTY);
    // Reads until the replay closes the link (EIO); the long quiet time only bounds a stall, so
    // a starved machine's pauses between frames are not taken for the end of the stream.
    received = std::async(std::launch::async, [&] { return read_all(slave, 10s); });
  };
  const auto plan = frames(10, 0.0);
  std::size_t bytes = 0;
  std::map<std::string, std::int64_t> counts;
  for (const auto& f : plan) bytes += encode_frame(f, WireFormat::kLines, counts).size();
  const auto report = replay(plan, parse_target("pty:" + link.string() + "?baud=4800"), o);
  ASSERT_GE(slave, 0);
  // 10 bits per byte at 4800 baud: the last frame cannot leave before the earlier ones are out.
  std::size_t before_last = bytes - encode_frame(plan.back(), WireFormat::kLines, counts).size();
  EXPECT_GE(report.sent_at_s.back(), static_cast<double>(before_last) * 10.0 / 4800.0 * 0.99);
  const std::string text = received.get();
  ::close(slave);
  EXPECT_NE(text.find("$HEHDT,9.0,T*00"), std::string::npos) << text;
  EXPECT_FALSE(std::filesystem::exists(link));  // the link goes with the replay
}

TEST(ReplayTest, RealtimeKeepsTheScheduleAndFileGetsEveryLine) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("twincert-replay-" + std::to_string(std::random_device{}()));
  const auto plan = frames(11, 0.05);  // 0.5 s of schedule
  const auto report = replay(plan, parse_target("file:" + path.string()), with("realtime"));
  ASSERT_EQ(report.sent_at_s.size(), 11U);
  for (std::size_t i = 0; i < plan.size(); ++i) {
    EXPECT_GE(report.sent_at_s[i], plan[i].at_s - 1e-6) << i;  // never early
  }
  EXPECT_GE(report.lateness.max_us, report.lateness.p99_us);
  EXPECT_GE(report.lateness.p99_us, report.lateness.p50_us);
  std::ifstream in(path);
  std::string line;
  int count = 0;
  while (std::getline(in, line)) ++count;
  EXPECT_EQ(count, 11);
  std::filesystem::remove(path);

  const auto fast = replay(plan, parse_target("file:" + path.string()), with("x10"));
  EXPECT_GE(fast.sent_at_s.back(), 0.05 - 1e-6);  // 0.5 s ten times faster
  EXPECT_LT(fast.sent_at_s.back(), 0.45);
  std::filesystem::remove(path);
}

TEST(ReplayTest, PacingNames) {
  EXPECT_EQ(parse_pacing("realtime").mode, PacingMode::kRealtime);
  EXPECT_EQ(parse_pacing("x10").factor, 10.0);
  EXPECT_EQ(parse_pacing("2.5x").factor, 2.5);
  EXPECT_EQ(parse_pacing("max").mode, PacingMode::kMax);
  EXPECT_EQ(parse_pacing("virtual").factor, kDefaultVirtualRateHz);
  EXPECT_EQ(parse_pacing("virtual:5000").factor, 5000.0);
  for (const char* bad : {"fast", "x0", "x-1", "xabc", "virtual:0", "10"}) {
    EXPECT_THROW(parse_pacing(bad), ConfigError) << bad;
  }
}

}  // namespace
}  // namespace twincert::harness
