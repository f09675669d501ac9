// The reference twin as a real process on loopback: input on real sockets changes what it
// reports; silence raises and clears the right alert (also as ALF on the wire); and every
// --defect switch changes behaviour observably against the correct twin fed the same input.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sentences.hpp"
#include "twin_process.hpp"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace twincert::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr std::int64_t kT0 = 1750000000;  // 2025-06-15T15:06:40Z
constexpr double kLat = 52.1;
constexpr double kLon = 4.05;

double sod(std::int64_t t) {
  return static_cast<double>(t % 86400);
}

// One second of a ship steaming north at 12 kn: GNSS (GGA, RMC, VTG) and gyro (HDT).
void feed_second(TwinProcess& twin, std::int64_t t, bool gnss = true, bool gyro = true) {
  const double lat = kLat + static_cast<double>(t - kT0) * 12.0 / 3600.0 / 60.0;
  if (gnss) {
    twin.send_line(gga(lat, kLon, sod(t)), "GP0001", t);
    twin.send_line(rmc(lat, kLon, 12.0, 0.0, sod(t)), "GP0001", t);
    twin.send_line(vtg(0.0, 12.0, 22.2), "GP0001", t);
  }
  if (gyro) twin.send_line(hdt(0.5 + 0.01 * static_cast<double>(t % 7)), "HE0001", t);
}

void feed(TwinProcess& twin, std::int64_t from, std::int64_t to, bool gnss = true,
          bool gyro = true) {
  for (std::int64_t t = from; t < to; ++t) feed_second(twin, t, gnss, gyro);
}

// Waits until the twin has taken in every line sent with send_line.
void settle(TwinProcess& twin) {
  eventually([&] {
    const auto m = twin.get("/metrics");
    return m && (*m)["lines"].get<std::uint64_t>() >= twin.lines_sent();
  });
}

// The alerts (active and cleared) about `subject` for `condition`.
std::vector<json> alerts_about(TwinProcess& twin, const std::string& condition,
                               const std::string& subject) {
  std::vector<json> out;
  const auto a = twin.get("/alerts");
  if (!a) return out;
  for (const auto* list : {&(*a)["active"], &(*a)["history"]}) {
    for (const auto& alert : *list) {
      if (alert["condition"] == condition && alert["subject"] == subject) out.push_back(alert);
    }
  }
  return out;
}

const json* source_health(const json& health, const std::string& source) {
  for (const auto& s : health["sources"]) {
    if (s["source"] == source) return &s;
  }
  return nullptr;
}

std::vector<std::string> stream_args(std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--clock", "stream"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(ReferenceTwin, SentencesOverUdpChangeState) {
  TwinProcess twin(stream_args());
  feed(twin, kT0, kT0 + 3);
  settle(twin);
  const auto state = twin.get("/state");
  ASSERT_TRUE(state);
  EXPECT_NEAR((*state)["lat"].get<double>(), kLat + 2 * 12.0 / 3600 / 60, 1e-5);
  EXPECT_NEAR((*state)["lon"].get<double>(), kLon, 1e-5);
  EXPECT_NEAR((*state)["sog_kn"].get<double>(), 12.0, 1e-9);
  EXPECT_NEAR((*state)["heading_deg"].get<double>(), 0.5 + 0.01 * ((kT0 + 2) % 7), 1e-9);
  EXPECT_EQ((*state)["source_of"]["heading_deg"], "HE0001");
  EXPECT_NEAR((*state)["time_unix_s"].get<double>(), static_cast<double>(kT0 + 2), 2.0);
}

TEST(ReferenceTwin, SentencesOverTcpChangeState) {
  TwinProcess twin({});
  const std::string tagged = twin.datagram_of(hdt(123.4), "HE0001", kT0).substr(6);
  twin.send_tcp(tagged);
  twin.send_tcp(hdt(124.5).substr(0, 5));  // the rest of the line arrives later
  twin.send_tcp(hdt(124.5).substr(5));
  EXPECT_TRUE(eventually([&] {
    const auto s = twin.get("/state");
    return s && (*s)["heading_deg"].is_number() && (*s)["heading_deg"].get<double>() == 124.5;
  }));
}

TEST(ReferenceTwin, SentencesOnASerialLineChangeState) {
  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(grantpt(master), 0);
  ASSERT_EQ(unlockpt(master), 0);
  const std::string slave = ptsname(master);
  TwinProcess twin({"--serial", slave});
  const std::string line = hdt(211.25);
  ASSERT_EQ(::write(master, line.data(), line.size()), static_cast<ssize_t>(line.size()));
  EXPECT_TRUE(eventually([&] {
    const auto s = twin.get("/state");
    return s && (*s)["heading_deg"].is_number() && (*s)["heading_deg"].get<double>() == 211.25;
  }));
  ::close(master);
}

// A pseudo-terminal whose slave side is linked at `link` (as the harness's pty: target makes
// the line of a simulated rig).
struct LinkedPty {
  int master = -1;
  std::filesystem::path link;
  explicit LinkedPty(std::filesystem::path at) : link(std::move(at)) {
    master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
      throw std::runtime_error("pty");
    std::filesystem::remove(link);
    std::filesystem::create_symlink(ptsname(master), link);
  }
  ~LinkedPty() {
    ::close(master);
    std::filesystem::remove(link);
  }
  LinkedPty(const LinkedPty&) = delete;
  LinkedPty& operator=(const LinkedPty&) = delete;
  bool write(const std::string& line) const {
    return ::write(master, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  }
};

TEST(ReferenceTwin, ASerialDeviceIsWaitedForAndReopenedAfterItGoesAway) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("twincert-serial-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto link = dir / "line";
  TwinProcess twin({"--serial", link.string()});  // not there yet: the twin starts anyway
  const auto heading_is = [&](double wanted) {
    const auto s = twin.get("/state");
    return s && (*s)["heading_deg"].is_number() && (*s)["heading_deg"].get<double>() == wanted;
  };
  {
    const LinkedPty first(link);
    // The twin opens the line within its retry period; lines written before it does are lost,
    // so write until one arrives.
    EXPECT_TRUE(eventually([&] { return first.write(hdt(17.5)) && heading_is(17.5); }));
  }
  {
    const LinkedPty second(link);  // the line comes back: the twin reads it again
    EXPECT_TRUE(eventually([&] { return second.write(hdt(301.0)) && heading_is(301.0); }));
  }
  std::filesystem::remove_all(dir);
}

TEST(ReferenceTwin, SilenceOfOneInputRaisesThenClearsInputLost) {
  TwinProcess twin(stream_args());
  feed(twin, kT0, kT0 + 10);
  feed(twin, kT0 + 10, kT0 + 30, true, false);  // the gyro falls silent at T0+10
  settle(twin);
  auto lost = alerts_about(twin, "input_lost", "HE0001");
  ASSERT_EQ(lost.size(), 1U);
  EXPECT_EQ(lost[0]["state"], "active");
  const double raised = lost[0]["raised_unix_s"].get<double>() - static_cast<double>(kT0 + 10);
  EXPECT_GE(raised, 2.0);  // a timeout learned from 1 Hz: 3 s, then held for 1 s
  EXPECT_LE(raised, 6.0);
  EXPECT_TRUE(alerts_about(twin, "input_lost", "GP0001").empty());

  feed(twin, kT0 + 30, kT0 + 50);  // it comes back
  settle(twin);
  lost = alerts_about(twin, "input_lost", "HE0001");
  ASSERT_EQ(lost.size(), 1U);
  EXPECT_EQ(lost[0]["state"], "cleared");
  const double cleared = lost[0]["cleared_unix_s"].get<double>() - static_cast<double>(kT0 + 30);
  EXPECT_GE(cleared, 4.0);  // hysteresis: absent 5 s before it clears
  EXPECT_LE(cleared, 7.0);

  // On the wire: ALF raising (state V) and clearing (state N) alert 10101 for that source.
  std::string wire;
  for (const auto& d : twin.received_alerts(2s)) wire += d;
  EXPECT_NE(wire.find("ALF,2,1,"), std::string::npos) << wire;
  EXPECT_NE(wire.find(",B,W,V,TWC,10101,"), std::string::npos) << wire;
  EXPECT_NE(wire.find(",B,W,N,TWC,10101,"), std::string::npos) << wire;
  EXPECT_NE(wire.find("SOURCE HE0001"), std::string::npos) << wire;
  EXPECT_NE(wire.find("UdPbC"), std::string::npos) << wire;
}

TEST(ReferenceTwin, HealthCountsRefusalsByReason) {
  TwinProcess twin(stream_args());
  feed(twin, kT0, kT0 + 5);
  std::string broken = gga(kLat, kLon, sod(kT0 + 5));
  broken[broken.size() - 3] = broken[broken.size() - 3] == '0' ? '1' : '0';  // checksum digit
  twin.send_line(broken, "GP0001", kT0 + 5);
  settle(twin);
  const auto health = twin.get("/health");
  ASSERT_TRUE(health);
  const json* gp = source_health(*health, "GP0001");
  ASSERT_NE(gp, nullptr);
  EXPECT_EQ((*gp)["refused_by_reason"]["BadChecksum"], 1);
  EXPECT_EQ((*gp)["status"], "invalid");
  EXPECT_EQ((*source_health(*health, "HE0001"))["status"], "present");
}

TEST(ReferenceTwin, SurvivesGarbageFloodsAndOversizeInput) {
  TwinProcess twin({});
  std::string junk(1400, '\0');
  for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 7919U) % 256U);
  for (int i = 0; i < 2000; ++i) twin.send_datagram(junk);  // a flood: loopback may drop some
  std::int64_t last = -1;
  EXPECT_TRUE(eventually([&] {  // the flood is drained when the datagram counter stops
    const auto m = twin.get("/metrics");
    const std::int64_t now = m ? (*m)["datagrams"].get<std::int64_t>() : -2;
    const bool drained = now == last;
    last = now;
    std::this_thread::sleep_for(100ms);
    return drained;
  }));
  twin.send_datagram(std::string("UdPbC\0", 6) + std::string(3000, '$'));
  std::string bad_header = twin.datagram_of(hdt(1.0), "HE0001", kT0);
  bad_header[4] = 'X';
  twin.send_datagram(bad_header);
  twin.send_tcp(std::string(5000, 'A') + "\r\n" + std::string(200, '$') + "\r\n");
  twin.send_tcp(hdt(77.0));
  EXPECT_TRUE(eventually([&] {
    const auto s = twin.get("/state");
    return s && (*s)["heading_deg"].is_number() && (*s)["heading_deg"].get<double>() == 77.0;
  }));
  ASSERT_TRUE(twin.alive());
  EXPECT_TRUE(eventually([&] {
    const auto m = twin.get("/metrics");
    return m && (*m)["oversize_datagrams"] == 1 && (*m)["bad_450_header"] == 1;
  }));
  const auto m = twin.get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_GE((*m)["datagrams"].get<int>(), 100);
  EXPECT_EQ((*m)["oversize_datagrams"], 1);
  EXPECT_EQ((*m)["bad_450_header"], 1);
  EXPECT_EQ((*m)["stream_lines_too_long"], 1);
  EXPECT_GE((*m)["refused"].get<int>(), 100);
  EXPECT_GE((*m)["unattributed_refused"].get<int>(), 100);  // junk names no source
}

TEST(ReferenceTwin, JoinsA450MulticastGroupOnLoopback) {
  const std::uint16_t port = static_cast<std::uint16_t>(40000 + (getpid() % 20000));
  const std::string group = "239.192.0.4:" + std::to_string(port);
  TwinProcess twin({"--multicast", group, "--multicast-interface", "127.0.0.1"});
  // Send with TTL 0 on the loopback interface: it never leaves the host.
  const int s = ::socket(AF_INET, SOCK_DGRAM, 0);
  in_addr lo{};
  lo.s_addr = htonl(INADDR_LOOPBACK);
  ::setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &lo, sizeof lo);
  const unsigned char ttl = 0;
  ::setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  inet_pton(AF_INET, "239.192.0.4", &to.sin_addr);
  const std::string datagram = twin.datagram_of(hdt(42.0), "HE0001", kT0);
  EXPECT_TRUE(eventually([&] {
    ::sendto(s, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&to),
             sizeof to);  // NOLINT
    const auto st = twin.get("/state");
    return st && (*st)["heading_deg"].is_number() && (*st)["heading_deg"].get<double>() == 42.0;
  }));
  ::close(s);
}

// ------------------------------------------------------------------------------ defects

// Runs the same stimulus against the correct twin and the one with `defect`: the symptom
// must show in the defective twin only.
void expect_symptom(const std::string& defect, const std::vector<std::string>& args,
                    const std::function<void(TwinProcess&)>& stimulus,
                    const std::function<bool(TwinProcess&)>& symptom) {
  TwinProcess correct(args);
  std::vector<std::string> with_defect = args;
  with_defect.insert(with_defect.end(), {"--defect", defect});
  TwinProcess defective(with_defect);
  stimulus(correct);
  stimulus(defective);
  EXPECT_FALSE(symptom(correct)) << "the correct twin shows the symptom of " << defect;
  EXPECT_TRUE(symptom(defective)) << defect << " shows no symptom";
}

bool alert_active(TwinProcess& twin, const std::string& condition, const std::string& subject) {
  for (const auto& a : alerts_about(twin, condition, subject)) {
    if (a["state"] == "active") return true;
  }
  return false;
}

TEST(ReferenceTwinDefects, ChecksumIgnored) {
  expect_symptom(
      "checksum-ignored", stream_args(),
      [](TwinProcess& twin) {
        feed(twin, kT0, kT0 + 3);
        std::string broken = gga(-10.0, kLon, sod(kT0 + 3));
        broken[broken.size() - 3] = broken[broken.size() - 3] == '0' ? '1' : '0';
        twin.send_line(broken, "GP0001", kT0 + 3);
        settle(twin);
      },
      [](TwinProcess& twin) { return (*twin.get("/state"))["lat"].get<double>() < 0.0; });
}

TEST(ReferenceTwinDefects, HeadingNeverStale) {
  expect_symptom(
      "heading-never-stale", stream_args(),
      [](TwinProcess& twin) {
        feed(twin, kT0, kT0 + 10);
        feed(twin, kT0 + 10, kT0 + 30, true, false);
        settle(twin);
      },
      [](TwinProcess& twin) { return alerts_about(twin, "input_lost", "HE0001").empty(); });
}

TEST(ReferenceTwinDefects, LateAlerts) {
  expect_symptom(
      "late-alerts", stream_args(),
      [](TwinProcess& twin) {
        feed(twin, kT0, kT0 + 10);
        feed(twin, kT0 + 10, kT0 + 90, true, false);
        settle(twin);
      },
      [](TwinProcess& twin) {
        const auto lost = alerts_about(twin, "input_lost", "HE0001");
        return lost.empty() ||
               lost[0]["raised_unix_s"].get<double>() > static_cast<double>(kT0 + 30);
      });
}

TEST(ReferenceTwinDefects, StickyAlerts) {
  expect_symptom(
      "sticky-alerts", stream_args(),
      [](TwinProcess& twin) {
        feed(twin, kT0, kT0 + 10);
        feed(twin, kT0 + 10, kT0 + 30, true, false);
        feed(twin, kT0 + 30, kT0 + 60);
        settle(twin);
      },
      [](TwinProcess& twin) { return alert_active(twin, "input_lost", "HE0001"); });
}

TEST(ReferenceTwinDefects, HemisphereLost) {
  expect_symptom(
      "hemisphere-lost", stream_args(),
      [](TwinProcess& twin) {
        twin.send_line(gga(-33.9, -70.5, sod(kT0)), "GP0001", kT0);
        settle(twin);
      },
      [](TwinProcess& twin) {
        const auto s = twin.get("/state");
        return (*s)["lat"].get<double>() > 0.0 || (*s)["lon"].get<double>() > 0.0;
      });
}

TEST(ReferenceTwinDefects, AisFragmentsMixed) {
  expect_symptom(
      "ais-fragments-mixed", stream_args(),
      [](TwinProcess& twin) {
        twin.send_line(ais_position(244123000, 52.2, 4.1, 11.0, 20.0), "AI0001", kT0);
        for (const auto& fragment : ais_static(244123000, "ZEELAND PILOT", 3)) {
          twin.send_line(fragment, "AI0001", kT0);
        }
        settle(twin);
      },
      [](TwinProcess& twin) {
        const auto targets = twin.get("/targets");
        for (const auto& t : (*targets)["targets"]) {
          if (t["mmsi"] == 244123000) return t["name"] != "ZEELAND PILOT";
        }
        return true;
      });
}

TEST(ReferenceTwinDefects, HeartbeatPeriod) {
  expect_symptom(
      "heartbeat-period", {"--heartbeat-s", "1"}, [](TwinProcess& /*twin*/) {},
      [](TwinProcess& twin) {
        twin.received_alerts(0ms);  // what came before the window
        int heartbeats = 0;
        const auto until = std::chrono::steady_clock::now() + 5s;
        while (std::chrono::steady_clock::now() < until) {
          for (const auto& d : twin.received_alerts(100ms)) {
            if (d.find("VRHBT,1,A,") != std::string::npos) ++heartbeats;
          }
        }
        return heartbeats <= 3;  // every 1 s: 5 in 5 s; every 2 s: 2 or 3
      });
}

TEST(ReferenceTwinDefects, CrashOnOverlength) {
  expect_symptom(
      "crash-on-overlength", {},
      [](TwinProcess& twin) {
        std::string body = "HEHDT,1.0,T";
        while (body.size() < 95) body += ",0";
        twin.send_line(with_checksum(body) + "\r\n", "HE0001", kT0);
        std::this_thread::sleep_for(300ms);
      },
      [](TwinProcess& twin) { return !twin.alive(); });
}

TEST(ReferenceTwinDefects, HangOnOversize) {
  expect_symptom(
      "hang-on-oversize", {},
      [](TwinProcess& twin) {
        twin.send_datagram(std::string("UdPbC\0", 6) + std::string(2000, 'x'));
        std::this_thread::sleep_for(200ms);
      },
      [](TwinProcess& twin) { return !twin.get("/ready", 2s).has_value(); });
}

TEST(ReferenceTwinDefects, UnboundedTargetHistory) {
  expect_symptom(
      "unbounded-target-history", stream_args(),
      [](TwinProcess& twin) {
        for (int i = 0; i < 100; ++i) {
          twin.send_line(ais_position(244990017, 52.2 + i * 1e-4, 4.1, 6.0, 0.0), "AI0001",
                         kT0 + i);
        }
        settle(twin);
      },
      [](TwinProcess& twin) {
        return (*twin.get("/metrics"))["target_history_points"].get<int>() > 60;
      });
}

TEST(ReferenceTwinDefects, ClockIgnoresJumps) {
  expect_symptom(
      "clock-ignores-jumps", stream_args(),
      [](TwinProcess& twin) {
        feed(twin, kT0, kT0 + 5);
        feed(twin, kT0 + 200, kT0 + 203);  // after a silence of 195 s
        settle(twin);
      },
      [](TwinProcess& twin) {
        return (*twin.get("/state"))["time_unix_s"].get<double>() < static_cast<double>(kT0 + 150);
      });
}

TEST(ReferenceTwinDefects, TurnFalseAlarm) {
  expect_symptom(
      "turn-false-alarm", stream_args(),
      [](TwinProcess& twin) {
        for (std::int64_t t = kT0; t < kT0 + 20; ++t) {
          feed_second(twin, t);
          twin.send_line(rot(t < kT0 + 10 ? 5.0 : 45.0), "TI0001", t);  // a normal turn
        }
        settle(twin);
      },
      [](TwinProcess& twin) { return !alerts_about(twin, "input_invalid", "TI0001").empty(); });
}

TEST(ReferenceTwinDefects, SogFromKmh) {
  expect_symptom(
      "sog-from-kmh", stream_args(),
      [](TwinProcess& twin) {
        twin.send_line(vtg(10.0, 10.0, 18.5), "GP0001", kT0);
        settle(twin);
      },
      [](TwinProcess& twin) { return (*twin.get("/state"))["sog_kn"].get<double>() > 15.0; });
}

}  // namespace
}  // namespace twincert::testing
