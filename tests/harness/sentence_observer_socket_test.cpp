// observe.sentences on real loopback sockets: what a twin emits as plain UDP datagrams, as
// IEC 61162-450 datagrams and over TCP becomes values and alerts through the adapter's maps,
// with the times of the lines' tag blocks.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "twincert/harness/observer.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace twincert::harness {
namespace {

std::string checked(const std::string& body) {
  unsigned sum = 0;
  for (std::size_t i = 1; i < body.size(); ++i) sum ^= static_cast<unsigned char>(body[i]);
  char hex[4];  // NOLINT
  std::snprintf(hex, sizeof hex, "*%02X", sum);
  return body + hex;
}

// A tag block with c: (unix seconds) before the sentence.
std::string tagged(long long c, const std::string& sentence) {
  const std::string tag = "c:" + std::to_string(c);
  unsigned sum = 0;
  for (const char ch : tag) sum ^= static_cast<unsigned char>(ch);
  char hex[4];  // NOLINT
  std::snprintf(hex, sizeof hex, "*%02X", sum);
  return "\\" + tag + hex + "\\" + checked(sentence) + "\r\n";
}

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  return a;
}

struct Socket {
  explicit Socket(int type) : fd(::socket(AF_INET, type, 0)) {
    sockaddr_in a = loopback(0);
    socklen_t length = sizeof a;
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);        // NOLINT
    EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length), 0);  // NOLINT
    port = ntohs(a.sin_port);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() { ::close(fd); }
  int fd = -1;
  std::uint16_t port = 0;
};

void send_datagram(std::uint16_t port, const std::string& bytes) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  const sockaddr_in a = loopback(port);
  ASSERT_EQ(::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&a),
                     sizeof a),  // NOLINT
            static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

constexpr double kStart = 1'750'000'000.0;

Observe sentence_maps(std::vector<std::string> nmea) {
  Observe spec;
  spec.nmea = std::move(nmea);
  spec.process_every = std::chrono::milliseconds(0);
  SentenceValueMap heading;
  heading.name = "heading_deg";
  heading.formatter = "HDT";
  heading.field.name = "heading_true_deg";
  spec.sentences.values.push_back(heading);
  SentenceAlerts alerts;
  alerts.from = {"ALR"};
  alerts.subject = AlertPart::kId;
  WordRule lost;
  lost.pattern = "GYRO LOST";
  lost.to = "input_lost";
  lost.subject = "HE0001";
  alerts.conditions.push_back(lost);
  spec.sentences.alerts = alerts;
  return spec;
}

// Waits (bounded) until the observer has `n` sentences; the observer's thread appends them.
void wait_for_sentences(const Observer& observer, std::size_t n) {
  for (int i = 0; i < 500 && observer.observations().sentences.size() < n; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

TEST(SentenceObserverSocketTest, UdpAnd450DatagramsGiveValuesAndAlertsAtTheirTagTimes) {
  const Socket kept(SOCK_DGRAM);
  ObserverClock clock;
  clock.start_unix_s = kStart;
  Observer observer(sentence_maps({"udp://127.0.0.1:" + std::to_string(kept.port)}), clock,
                    nullptr);
  observer.adopt_udp_socket(kept.port, kept.fd);
  observer.start();
  const auto c = [](double t) { return static_cast<long long>(kStart + t); };
  send_datagram(kept.port, tagged(c(5), "$HEHDT,123.4,T"));
  send_datagram(kept.port, std::string("UdPbC\0", 6) +
                               tagged(c(7), "$VRALR,120000.00,001,A,V,GYRO LOST") +
                               tagged(c(8), "$HEHDT,124.0,T"));
  send_datagram(kept.port, tagged(c(20), "$VRALR,120013.00,001,V,V,GYRO LOST"));
  wait_for_sentences(observer, 4);
  observer.finish();
  const auto& o = observer.observations();
  ASSERT_EQ(o.values.size(), 2U);
  EXPECT_EQ(o.values[0].t_s, 5.0);
  EXPECT_DOUBLE_EQ(o.values[0].value, 123.4);
  EXPECT_EQ(o.values[1].t_s, 8.0);
  ASSERT_EQ(o.alerts.size(), 2U);
  EXPECT_EQ(o.alerts[0].condition, "input_lost");
  EXPECT_EQ(o.alerts[0].subject, "HE0001");
  EXPECT_EQ(o.alerts[0].change, rules::AlertChange::kRaised);
  EXPECT_EQ(o.alerts[0].t_s, 7.0);
  EXPECT_EQ(o.alerts[1].change, rules::AlertChange::kCleared);
  EXPECT_EQ(o.alerts[1].t_s, 20.0);
  // The mapping's tally is there for adapter check.
  bool found = false;
  for (const auto& f : observer.mapping_findings()) {
    if (f.key == "observe.sentences.values.heading_deg.field") found = f.found == 2;
  }
  EXPECT_TRUE(found);
}

TEST(SentenceObserverSocketTest, ATcpStreamGivesTheSameAndAnUnmappedWordIsAProblem) {
  const Socket listener(SOCK_STREAM);
  ASSERT_EQ(::listen(listener.fd, 1), 0);
  std::thread server([fd = listener.fd] {
    const int peer = ::accept(fd, nullptr, nullptr);
    const std::string lines =
        tagged(static_cast<long long>(kStart + 3), "$HEHDT,10.0,T") +
        tagged(static_cast<long long>(kStart + 4), "$VRALR,120000.00,009,A,V,RADAR FAIL");
    (void)::send(peer, lines.data(), lines.size(), MSG_NOSIGNAL);
    char sink[16];  // NOLINT: wait until the observer goes away
    while (::recv(peer, sink, sizeof sink, 0) > 0) {
    }
    ::close(peer);
  });
  ObserverClock clock;
  clock.start_unix_s = kStart;
  rules::Observations o;
  std::vector<ObserverProblem> problems;
  {
    Observer observer(sentence_maps({"tcp://127.0.0.1:" + std::to_string(listener.port)}), clock,
                      nullptr);
    observer.start();
    wait_for_sentences(observer, 2);
    observer.finish();
    o = observer.observations();
    problems = observer.problems();
  }  // the observer's connection closes: the server ends
  server.join();
  ASSERT_EQ(o.values.size(), 1U);
  EXPECT_EQ(o.values[0].t_s, 3.0);
  ASSERT_EQ(o.alerts.size(), 1U);
  EXPECT_EQ(o.alerts[0].condition, "RADAR FAIL");  // kept as the twin said it, and reported
  EXPECT_EQ(o.alerts[0].subject, "009");
  bool reported = false;
  for (const auto& p : problems) {
    reported = reported || (p.what ==
                                "observe.sentences.alerts.vocabulary.condition: no entry maps the "
                                "twin's word \"RADAR FAIL\" (kept as it is)" &&
                            p.affects == "alerts");
  }
  EXPECT_TRUE(reported);
}

}  // namespace
}  // namespace twincert::harness
