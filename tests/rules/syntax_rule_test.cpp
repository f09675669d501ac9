// The syntax rule on what a twin emits as IEC 61162-450 datagrams: the UdPbC header, a tag block
// with s: and n: before every sentence, the size limit, and each source's line count going on by
// one across datagrams — not only the sentences inside.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/protocols/iec61162_450/datagram.hpp"
#include "twincert/rules/evaluate.hpp"

namespace twincert::rules {
namespace {

using ::testing::HasSubstr;

Rule syntax_rule() {
  Rule r;
  r.id = "syntax";
  r.kind = RuleKind::kSyntax;
  return r;
}

// "$VRHBT,1,A,N*hh" with its checksum.
std::string heartbeat(std::int64_t n) {
  const std::string body = "VRHBT,1,A," + std::to_string(n % 10);
  unsigned sum = 0;
  for (const char c : body) sum ^= static_cast<unsigned char>(c);
  constexpr std::string_view kHex = "0123456789ABCDEF";
  return "$" + body + "*" + kHex[sum >> 4U] + kHex[sum & 15U];
}

// A datagram of HBT sentences from VR0001 with these line counts, as a correct twin encodes it.
std::string datagram(const std::vector<std::int64_t>& counts) {
  std::vector<iec61162_450::DatagramLine> lines;
  for (const auto n : counts) {
    iec61162_450::DatagramLine line;
    line.tag.source = "VR0001";
    line.tag.line_count = n;
    line.tag.unix_time = 1'700'000'000;
    line.sentence = heartbeat(n);
    lines.push_back(std::move(line));
  }
  return iec61162_450::encode_datagram(lines);
}

RuleResult judge(const std::vector<std::string>& datagrams) {
  Observations o;
  double t = 0.0;
  for (const auto& d : datagrams) o.datagrams.push_back({t += 1.0, d, d.size()});
  return evaluate(syntax_rule(), Truth{}, o);
}

TEST(SyntaxRuleTest, WellFormedDatagramsWithCountsInSequencePass) {
  const auto r = judge({datagram({998, 999}), datagram({1, 2})});  // 999 wraps to 1
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.message;
  EXPECT_THAT(r.message, HasSubstr("2 of 2 datagrams strict IEC 61162-450"));
}

TEST(SyntaxRuleTest, ADatagramWithoutItsHeaderFails) {
  std::string headless = datagram({1});
  headless.erase(0, iec61162_450::kSentenceToken.size());
  const auto r = judge({headless});
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.message;
  ASSERT_EQ(r.evidence.size(), 1U);
  EXPECT_EQ(r.evidence[0].expected, "strict IEC 61162-450");
}

TEST(SyntaxRuleTest, ALineWithoutATagBlockFails) {
  std::string d = datagram({1});
  d += heartbeat(2) + "\r\n";  // a second sentence with no tag block before it
  const auto r = judge({d});
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.message;
}

TEST(SyntaxRuleTest, ALineCountThatRepeatsOrSkipsFailsNamingTheSource) {
  const auto repeated = judge({datagram({1, 2}), datagram({2, 3})});
  EXPECT_EQ(repeated.verdict, Verdict::kFail) << repeated.message;
  ASSERT_EQ(repeated.evidence.size(), 1U);
  EXPECT_THAT(repeated.evidence[0].observed, HasSubstr("n:2 from VR0001 after n:2"));
  EXPECT_THAT(repeated.message, HasSubstr("1 of 2 datagrams"));
  EXPECT_EQ(judge({datagram({5, 7})}).verdict, Verdict::kFail);
}

TEST(SyntaxRuleTest, AnOversizeDatagramFails) {
  std::vector<std::int64_t> counts;
  for (std::int64_t n = 1; n <= 60; ++n) counts.push_back(n);  // 60 lines: over 1472 bytes
  const std::string big = datagram(counts);
  ASSERT_GT(big.size(), iec61162_450::kMaxDatagramSize);
  EXPECT_EQ(judge({big}).verdict, Verdict::kFail);
  Observations o;  // kept only in part, as the observer keeps a huge one
  o.datagrams.push_back({1.0, big.substr(0, 100), 70000});
  const auto r = evaluate(syntax_rule(), Truth{}, o);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  ASSERT_EQ(r.evidence.size(), 1U);
  EXPECT_THAT(r.evidence[0].observed, HasSubstr("a datagram of 70000 bytes"));
}

}  // namespace
}  // namespace twincert::rules
