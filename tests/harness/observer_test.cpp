// The observer's own listeners on loopback: a port someone else holds is an error the caller
// can handle (not a crash), and a socket the harness kept bound for it is used as is. Its
// stream readers (observe.nmea over tcp://, observe.json_lines) against real TCP servers that
// split lines, send over-long ones, reset mid-line or never send at all.
#include "twincert/harness/observer.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace twincert::harness {
namespace {

// A UDP socket bound to 127.0.0.1 on a port the kernel chose.
struct BoundUdp {
  BoundUdp() {
    fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof a;
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);        // NOLINT
    EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length), 0);  // NOLINT
    port = ntohs(a.sin_port);
  }
  BoundUdp(const BoundUdp&) = delete;
  BoundUdp& operator=(const BoundUdp&) = delete;
  ~BoundUdp() { ::close(fd); }
  int fd = -1;
  std::uint16_t port = 0;
};

void send_to(std::uint16_t port, const std::string& text) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  ASSERT_EQ(::sendto(fd, text.data(), text.size(), 0, reinterpret_cast<sockaddr*>(&a),  // NOLINT
                     sizeof a),
            static_cast<ssize_t>(text.size()));
  ::close(fd);
}

Observe listening_on(std::uint16_t port) {
  Observe spec;
  spec.nmea = {"udp://127.0.0.1:" + std::to_string(port)};
  spec.process_every = std::chrono::milliseconds(0);
  return spec;
}

TEST(ObserverListenTest, APortTakenByAnotherSocketIsAnErrorNotACrash) {
  const BoundUdp other;
  Observer observer(listening_on(other.port), ObserverClock{}, nullptr);
  try {
    observer.start();
    ADD_FAILURE() << "listened on a port another socket holds";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("udp://127.0.0.1:" + std::to_string(other.port)),
              std::string::npos)
        << e.what();
  }
  observer.finish();  // not started: nothing to join, and the destructor must not throw either
}

TEST(ObserverListenTest, AnAdoptedSocketDropsWhatCameBeforeAndHearsWhatComesAfter) {
  const BoundUdp kept;
  send_to(kept.port, "$VRHBT,60,A,1*00\r\n");  // before the case: belongs to no case
  pollfd queued{kept.fd, POLLIN, 0};  // wait until it is in the socket's queue, not a fixed time
  ASSERT_EQ(::poll(&queued, 1, 5000), 1);
  Observer observer(listening_on(kept.port), ObserverClock{}, nullptr);
  observer.adopt_udp_socket(kept.port, kept.fd);
  ASSERT_NO_THROW(observer.start());  // the port is bound (by us), yet the observer listens
  send_to(kept.port, "$VRHBT,60,A,2*00\r\n");
  for (int i = 0; i < 200 && observer.observations().sentences.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  observer.finish();
  ASSERT_EQ(observer.observations().sentences.size(), 1U);
  EXPECT_EQ(observer.observations().sentences[0].text, "$VRHBT,60,A,2*00");
  // The caller still owns its socket: the observer used a duplicate.
  send_to(kept.port, "$VRHBT,60,A,3*00\r\n");
  char buffer[64];  // NOLINT
  EXPECT_GT(::recv(kept.fd, buffer, sizeof buffer, 0), 0);
}

TEST(ObserverListenTest, Iec61162450DatagramsAreKeptForTheSyntaxRulePlainOnesAreNot) {
  const BoundUdp kept;
  Observer observer(listening_on(kept.port), ObserverClock{}, nullptr);
  observer.adopt_udp_socket(kept.port, kept.fd);
  observer.start();
  const std::string datagram =
      std::string("UdPbC\0", 6) + "\\s:VR0001,n:1*2C\\$VRHBT,60,A,1*00\r\n";
  send_to(kept.port, "$VRHBT,60,A,2*00\r\n");  // plain NMEA over UDP: no datagram to judge
  send_to(kept.port, datagram);
  for (int i = 0; i < 200 && observer.observations().sentences.size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  observer.finish();
  ASSERT_EQ(observer.observations().sentences.size(), 2U);
  ASSERT_EQ(observer.observations().datagrams.size(), 1U);
  EXPECT_EQ(observer.observations().datagrams[0].bytes, datagram);
  EXPECT_EQ(observer.observations().datagrams[0].size, datagram.size());
}

// A TCP server on 127.0.0.1 that plays one script per connection, in order; connections beyond
// the scripts are held open without a word. Counts connections, so a test can wait for the
// observer to have read a connection to its end: it reconnects only after that.
class ScriptedTcpServer {
 public:
  using Script = std::function<void(int fd)>;

  explicit ScriptedTcpServer(std::vector<Script> scripts) : scripts_(std::move(scripts)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int on = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof a;
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);        // NOLINT
    EXPECT_EQ(::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &length), 0);  // NOLINT
    EXPECT_EQ(::listen(listener_, 8), 0);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ScriptedTcpServer(const ScriptedTcpServer&) = delete;
  ScriptedTcpServer& operator=(const ScriptedTcpServer&) = delete;
  ~ScriptedTcpServer() {
    stop_ = true;
    thread_.join();
    for (const int fd : held_) ::close(fd);
    ::close(listener_);
  }

  std::uint16_t port() const { return port_; }
  std::string url() const { return "tcp://127.0.0.1:" + std::to_string(port_); }

  // Waits (up to 20 s) until `n` connections were accepted; false if they never were.
  bool wait_for_connections(std::size_t n) {
    std::unique_lock lock(mutex_);
    return accepted_cv_.wait_for(lock, std::chrono::seconds(20), [&] { return accepted_ >= n; });
  }

  std::string opening() {  // what the first connection sent before the script ran
    const std::scoped_lock lock(mutex_);
    return opening_;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 20) != 1) continue;
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      const int on = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
      std::size_t index = 0;
      {
        const std::scoped_lock lock(mutex_);
        index = accepted_;
      }
      if (index == 0) read_opening(fd);
      if (index < scripts_.size()) {
        scripts_[index](fd);
      } else {
        held_.push_back(fd);
      }
      {
        const std::scoped_lock lock(mutex_);
        ++accepted_;
      }
      accepted_cv_.notify_all();
    }
  }

  // An opening command arrives right after connecting, if the client sends one at all.
  void read_opening(int fd) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 200) != 1) return;
    std::array<char, 256> buffer{};
    const auto n = ::recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n <= 0) return;
    const std::scoped_lock lock(mutex_);
    opening_.assign(buffer.data(), static_cast<std::size_t>(n));
  }

  std::vector<Script> scripts_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::vector<int> held_;
  std::mutex mutex_;
  std::condition_variable accepted_cv_;
  std::size_t accepted_ = 0;
  std::string opening_;
};

void send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Sends the bytes in pieces of `piece` bytes, each its own segment (TCP_NODELAY).
void send_in_pieces(int fd, std::string_view bytes, std::size_t piece) {
  for (std::size_t at = 0; at < bytes.size(); at += piece) send_all(fd, bytes.substr(at, piece));
}

// Closes so that the peer sees a reset, not an end of stream.
void reset(int fd) {
  const linger hard{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  ::close(fd);
}

Observe reading_nmea(const std::vector<std::string>& urls) {
  Observe spec;
  spec.nmea = urls;
  spec.process_every = std::chrono::milliseconds(0);
  return spec;
}

std::vector<std::string> texts_of(const rules::Observations& o) {
  std::vector<std::string> out;
  for (const auto& s : o.sentences) out.push_back(s.text);
  return out;
}

bool has_problem(const Observer& observer, std::string_view part, bool misbehaviour) {
  const auto problems = observer.problems();
  return std::any_of(problems.begin(), problems.end(), [&](const ObserverProblem& p) {
    return p.what.find(part) != std::string::npos && p.misbehaviour == misbehaviour;
  });
}

TEST(ObserverTcpTest, ReadsLinesSplitAcrossReadsFromTwoStreamsAtOnce) {
  // Two streams: each reader must keep its own target (the crash of a reader that kept a
  // reference to the loop's target, gone before the coroutine ran).
  ScriptedTcpServer a({[](int fd) {
    send_in_pieces(fd, "$VRHBT,60,A,1*00\r\n$VRHBT,60,A,2*00\r\n", 1);
    ::close(fd);
  }});
  ScriptedTcpServer b({[](int fd) {
    send_in_pieces(fd, "$VRHBT,60,A,3*00\r\n", 5);
    ::close(fd);
  }});
  Observer observer(reading_nmea({a.url(), b.url()}), ObserverClock{}, nullptr);
  observer.start();
  ASSERT_TRUE(a.wait_for_connections(2)) << "never read " << a.url() << " to its end";
  ASSERT_TRUE(b.wait_for_connections(2)) << "never read " << b.url() << " to its end";
  observer.finish();
  auto texts = texts_of(observer.observations());
  std::sort(texts.begin(), texts.end());
  EXPECT_EQ(texts,
            (std::vector<std::string>{"$VRHBT,60,A,1*00", "$VRHBT,60,A,2*00", "$VRHBT,60,A,3*00"}));
  EXPECT_EQ(observer.observations().heartbeats_s.size(), 3U);
}

TEST(ObserverTcpTest, DropsAnOverLongLineWholeAndReadsOn) {
  ScriptedTcpServer server({[](int fd) {
    send_in_pieces(fd, "$VRTXT," + std::string(9000, 'x') + "\r\n$VRHBT,60,A,1*00\r\n", 1000);
    ::close(fd);
  }});
  Observer observer(reading_nmea({server.url()}), ObserverClock{}, nullptr);
  observer.start();
  ASSERT_TRUE(server.wait_for_connections(2));
  observer.finish();
  EXPECT_EQ(texts_of(observer.observations()), std::vector<std::string>{"$VRHBT,60,A,1*00"});
  EXPECT_TRUE(has_problem(observer, "a line over 4 KiB", true));
}

TEST(ObserverTcpTest, AResetMidLineDropsThePartialLineAndReconnects) {
  ScriptedTcpServer server({[](int fd) {
                              send_all(fd, "$VRHBT,60,A,1*00\r\n$VRHBT,60,A,");
                              reset(fd);
                            },
                            [](int fd) {
                              send_all(fd, "$VRHBT,60,A,2*00\r\n");
                              ::close(fd);
                            }});
  Observer observer(reading_nmea({server.url()}), ObserverClock{}, nullptr);
  observer.start();
  ASSERT_TRUE(server.wait_for_connections(3));
  observer.finish();
  EXPECT_EQ(texts_of(observer.observations()),
            (std::vector<std::string>{"$VRHBT,60,A,1*00", "$VRHBT,60,A,2*00"}));
  EXPECT_TRUE(has_problem(observer, "in the middle of a line", false));
}

// JSON lines (and sentences) over TCP reconnect like the WebSocket and event streams: each break
// of a connection that was up is a gap with its length, and the values go on after it.
TEST(ObserverTcpTest, AJsonLinesStreamThatBreaksIsReconnectedAndItsGapCounted) {
  ScriptedTcpServer server({[](int fd) {
                              send_all(fd, "{\"class\":\"TPV\",\"lat\":54.1}\n");
                              ::close(fd);
                            },
                            [](int fd) {
                              send_all(fd, "{\"class\":\"TPV\",\"lat\":54.2}\n");
                              ::close(fd);
                            }});
  Observe spec;
  spec.process_every = std::chrono::milliseconds(0);
  JsonLinesStream stream;
  stream.url = server.url();
  stream.values.emplace_back("lat", "/lat");
  spec.json_lines.push_back(stream);
  Observer observer(spec, ObserverClock{}, nullptr);
  observer.start();
  ASSERT_TRUE(server.wait_for_connections(2));
  for (int i = 0; i < 500 && observer.observations().values.size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  observer.finish();
  ASSERT_EQ(observer.observations().values.size(), 2U);
  EXPECT_EQ(observer.observations().values[1].value, 54.2);
  EXPECT_TRUE(has_problem(observer, ": the stream broke (closed by the twin)", false));
  EXPECT_TRUE(has_problem(observer, " s (gap 1), reconnected", false));
}

// A value reported again for the same time (gpsd's TPVs of one epoch after a fault: the first
// with a speed gpsd made from the positions, the last with the receiver's) counts as last said.
TEST(ObserverTcpTest, AValueForATimeAlreadyTakenIsTheTwinsLastWordForIt) {
  ScriptedTcpServer server({[](int fd) {
    send_all(fd,
             "{\"class\":\"TPV\",\"time\":100.0,\"speed\":8.0}\n"
             "{\"class\":\"TPV\",\"time\":100.0,\"speed\":8.5}\n"
             "{\"class\":\"TPV\",\"time\":101.0,\"speed\":8.6}\n");
    ::close(fd);
  }});
  Observe spec;
  spec.process_every = std::chrono::milliseconds(0);
  JsonLinesStream stream;
  stream.url = server.url();
  stream.values.emplace_back("sog_kn", "/speed", "/time");
  spec.json_lines.push_back(stream);
  Observer observer(spec, ObserverClock{}, nullptr);
  observer.start();
  ASSERT_TRUE(server.wait_for_connections(2));
  observer.finish();
  const auto& values = observer.observations().values;
  ASSERT_EQ(values.size(), 2U);
  EXPECT_EQ(values[0].t_s, 100.0);
  EXPECT_EQ(values[0].value, 8.5);
  EXPECT_EQ(values[1].value, 8.6);
}

TEST(ObserverTcpTest, AServerThatNeverSendsIsNoObservationAndNoHang) {
  ScriptedTcpServer server({});
  Observer observer(reading_nmea({server.url()}), ObserverClock{}, nullptr);
  observer.start();
  ASSERT_TRUE(server.wait_for_connections(1));
  const auto before = std::chrono::steady_clock::now();
  observer.finish();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(5));
  EXPECT_TRUE(observer.observations().sentences.empty());
  for (const auto& p : observer.problems()) EXPECT_FALSE(p.misbehaviour) << p.what;
}

Observe probing(const std::string& url, std::chrono::milliseconds timeout) {
  Observe spec;
  spec.process_every = std::chrono::milliseconds(0);
  spec.liveness_url = url;
  spec.liveness_every = std::chrono::milliseconds(20);
  spec.liveness_timeout = timeout;
  return spec;
}

TEST(ObserverTcpTest, ALineProtocolLivenessProbeIsAnsweredByAWholeLine) {
  // As gpsd greets each client: every connection gets one line, then is closed.
  const auto greet = [](int fd) {
    send_in_pieces(fd,
                   R"({"class":"VERSION","release":"3.22"})"
                   "\n",
                   9);
    ::close(fd);
  };
  ScriptedTcpServer server({greet, greet, greet, greet});
  Observer observer(probing(server.url(), std::chrono::milliseconds(2000)), ObserverClock{},
                    nullptr);
  observer.start();
  ASSERT_TRUE(server.wait_for_connections(3));
  observer.finish();
  std::size_t answered = 0;
  for (const auto& p : observer.observations().probes) {
    EXPECT_EQ(p.kind, rules::ProbeKind::kApi);
    if (!p.answered) continue;
    ++answered;
    EXPECT_GT(p.latency_ms, 0.0);
  }
  EXPECT_GE(answered, 2U);
}

TEST(ObserverTcpTest, ALineProbeOfASilentServerIsUnansweredWithoutAHang) {
  ScriptedTcpServer silent({});  // accepts and holds every connection without a word
  Observer observer(probing(silent.url(), std::chrono::milliseconds(100)), ObserverClock{},
                    nullptr);
  observer.start();
  ASSERT_TRUE(silent.wait_for_connections(2));  // the first probe gave up and a second began
  const auto before = std::chrono::steady_clock::now();
  observer.finish();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(5));
  ASSERT_FALSE(observer.observations().probes.empty());
  EXPECT_FALSE(observer.observations().probes.front().answered);
  EXPECT_GE(observer.observations().probes.front().latency_ms, 90.0);
}

TEST(ObserverTcpTest, JsonLinesLikeGpsdsWatchGiveValuesOfMatchingLines) {
  const std::string tpv1 = R"({"class":"TPV","mode":3,"lat":59.5,"speed":7.25})";
  const std::string tpv2 = R"({"class":"TPV","mode":3,"lat":59.5001,"speed":7.5})";
  ScriptedTcpServer gpsd({[&](int fd) {
    send_all(fd, R"({"class":"VERSION","release":"3.22"})"
                 "\n");
    send_in_pieces(fd, tpv1 + "\n" + R"({"class":"SKY","satellites":[]})" + "\n" + tpv2 + "\n", 7);
    send_all(fd, "not json at all\n");
    ::close(fd);
  }});
  Observe spec;
  spec.process_every = std::chrono::milliseconds(0);
  for (const auto* name : {"a", "b"}) {  // two streams from one server: each keeps its own spec
    JsonLinesStream s;
    s.url = gpsd.url();
    s.opening = R"(?WATCH={"enable":true,"json":true})"
                "\n";
    s.match_pointer = "/class";
    s.match_value = "TPV";
    s.values = {{std::string("lat_") + name, "/lat", ""},
                {std::string("sog_") + name, "/speed", ""}};
    spec.json_lines.push_back(s);
  }
  Observer observer(spec, ObserverClock{}, nullptr);
  observer.start();
  ASSERT_TRUE(gpsd.wait_for_connections(2));
  EXPECT_EQ(gpsd.opening(), R"(?WATCH={"enable":true,"json":true})"
                            "\n");
  ASSERT_TRUE(gpsd.wait_for_connections(3));  // the second stream read its connection too
  observer.finish();
  std::map<std::string, std::vector<double>> by_name;
  for (const auto& v : observer.observations().values) by_name[v.name].push_back(v.value);
  // The first connection went to one of the streams, with both TPV reports; the other stream
  // met a server that held it without a word.
  const bool a_first = by_name.contains("lat_a");
  const std::string got = a_first ? "a" : "b";
  EXPECT_EQ(by_name["lat_" + got], (std::vector<double>{59.5, 59.5001}));
  EXPECT_EQ(by_name["sog_" + got], (std::vector<double>{7.25, 7.5}));
  EXPECT_EQ(by_name.size(), 2U);
  EXPECT_TRUE(has_problem(observer, "a line that is not JSON", true));
}

}  // namespace
}  // namespace twincert::harness
