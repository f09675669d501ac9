#include "twincert/harness/target.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"

namespace twincert::harness {
namespace {

using ::testing::HasSubstr;

std::string error_of(const std::string& url) {
  try {
    parse_target(url);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(TargetTest, ParsesEveryKind) {
  const Target udp = parse_target("udp://127.0.0.1:60004");
  EXPECT_EQ(udp.kind, TargetKind::kUdp);
  EXPECT_EQ(udp.host, "127.0.0.1");
  EXPECT_EQ(udp.port, 60004);
  EXPECT_EQ(udp.format, WireFormat::k450);

  const Target mcast = parse_target("mcast://239.192.0.4:60004?ttl=0&iface=127.0.0.1");
  EXPECT_EQ(mcast.kind, TargetKind::kMulticast);
  EXPECT_EQ(mcast.ttl, 0);
  EXPECT_FALSE(mcast.standard_groups());
  EXPECT_TRUE(parse_target("mcast://standard").standard_groups());

  EXPECT_EQ(parse_target("tcp://127.0.0.1:10110").kind, TargetKind::kTcp);
  EXPECT_EQ(parse_target("tcp://127.0.0.1:10110").format, WireFormat::kLines);
  EXPECT_EQ(parse_target("tcp-listen://127.0.0.1:10110").kind, TargetKind::kTcpListen);
  const Target pty = parse_target("pty:/tmp/ttyVDR?baud=4800");
  EXPECT_EQ(pty.kind, TargetKind::kPty);
  EXPECT_EQ(pty.path, "/tmp/ttyVDR");
  EXPECT_EQ(pty.baud, 4800U);
  EXPECT_EQ(parse_target("file:out.nmea?format=sentences").format, WireFormat::kSentences);
  EXPECT_EQ(parse_target("-").kind, TargetKind::kStdout);
  EXPECT_EQ(parse_target("udp://[::1]:5000").host, "::1");
}

TEST(TargetTest, ErrorsSayWhatIsWrong) {
  EXPECT_THAT(error_of("127.0.0.1:5000"), HasSubstr("expected udp://"));
  EXPECT_THAT(error_of("udp://127.0.0.1"), HasSubstr("expected HOST:PORT"));
  EXPECT_THAT(error_of("udp://127.0.0.1:70000"), HasSubstr("the port must be a number 0..65535"));
  EXPECT_THAT(error_of("ftp://x:1"), HasSubstr("unknown kind \"ftp\""));
  EXPECT_THAT(error_of("udp://127.0.0.1:1?baud=9600"), HasSubstr("unknown option \"baud\""));
  EXPECT_THAT(error_of("udp://127.0.0.1:1?format=xml"),
              HasSubstr("format is 450, lines or sentences"));
  EXPECT_THAT(error_of("pty:/tmp/x?baud=0"), HasSubstr("baud must be above 0"));
  EXPECT_THAT(error_of("file:"), HasSubstr("expected a path"));
}

TEST(TargetTest, OnlyThisHostIsAllowedWithoutAskingTheUser) {
  for (const char* ok :
       {"udp://127.0.0.1:1", "udp://127.10.20.30:1", "udp://[::1]:1", "tcp://localhost:1",
        "tcp-listen://127.0.0.1:1", "mcast://239.192.0.4:60004", "mcast://standard", "pty:/tmp/x",
        "file:/tmp/x", "-"}) {
    EXPECT_EQ(check_target_allowed(parse_target(ok)), std::nullopt) << ok;
  }
  for (const char* refused :
       {"udp://10.0.0.1:1", "udp://192.168.1.20:60004", "tcp://8.8.8.8:53",
        "tcp-listen://0.0.0.0:1", "udp://[2001:db8::1]:1", "mcast://239.192.0.4:60004?ttl=1",
        "mcast://standard?iface=192.168.1.2"}) {
    const auto why = check_target_allowed(parse_target(refused));
    ASSERT_TRUE(why.has_value()) << refused;
    EXPECT_THAT(*why, HasSubstr("--allow-external")) << refused;
  }
}

}  // namespace
}  // namespace twincert::harness
