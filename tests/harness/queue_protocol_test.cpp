#include "twincert/harness/queue_protocol.hpp"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"

namespace twincert::harness {
namespace {

using Type = RedisReply::Type;

RedisReply text(std::string s) {
  return {Type::kString, std::move(s), 0, {}};
}
RedisReply integer(long long n) {
  return {Type::kInteger, "", n, {}};
}
RedisReply nil() {
  return {};
}
RedisReply array(std::vector<RedisReply> e) {
  return {Type::kArray, "", 0, std::move(e)};
}
RedisReply entry(const std::string& id, std::vector<std::string> fields) {
  std::vector<RedisReply> f;
  for (auto& s : fields) f.push_back(text(std::move(s)));
  return array({text(id), array(std::move(f))});
}

TEST(QueueUrlTest, ReadsHostPortAndDatabase) {
  const QueueAddress a = parse_queue_url("redis://127.0.0.1:6380/2");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 6380);
  EXPECT_EQ(a.db, 2U);
  EXPECT_FALSE(a.tls);
  EXPECT_EQ(a.text(), "redis://127.0.0.1:6380/2");
  const QueueAddress b = parse_queue_url("redis://[::1]");
  EXPECT_EQ(b.host, "::1");
  EXPECT_EQ(b.port, 6379);
  EXPECT_EQ(b.text(), "redis://[::1]:6379/0");
  EXPECT_TRUE(parse_queue_url("rediss://localhost:6379").tls);
}

TEST(QueueUrlTest, RefusesCredentialsAndJunkWithTheReason) {
  const auto message = [](const std::string& url) {
    try {
      (void)parse_queue_url(url);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_THAT(message("redis://u:secret@127.0.0.1"),
              testing::AllOf(testing::HasSubstr("credentials do not go into the URL"),
                             testing::Not(testing::HasSubstr("secret@"))));
  EXPECT_THAT(message("http://127.0.0.1"), testing::HasSubstr("not a redis:// URL"));
  EXPECT_THAT(message("redis://127.0.0.1:0"), testing::HasSubstr("bad port"));
  EXPECT_THAT(message("redis://127.0.0.1:99999"), testing::HasSubstr("bad port"));
  EXPECT_THAT(message("redis://127.0.0.1/x"), testing::HasSubstr("bad database"));
  EXPECT_THAT(message("redis://:6379"), testing::HasSubstr("no host"));
}

TEST(QueueUrlTest, OnlyThisHostUnlessAllowed) {
  EXPECT_FALSE(check_queue_allowed(parse_queue_url("redis://127.0.0.1:1")));
  EXPECT_FALSE(check_queue_allowed(parse_queue_url("redis://[::1]:1")));
  EXPECT_FALSE(check_queue_allowed(parse_queue_url("redis://localhost")));
  const auto why = check_queue_allowed(parse_queue_url("redis://10.1.2.3:6379"));
  ASSERT_TRUE(why);
  EXPECT_THAT(*why, testing::HasSubstr("--allow-external"));
}

TEST(QueueRepliesTest, ReadGroupGivesEntriesAndSkipsDeletedOnes) {
  const RedisReply reply =
      array({array({text("twincert:run:x:cases"),
                    array({entry("1-0", {"case", "a/normal/s1", "attempt", "1"}),
                           array({text("2-0"), nil()}),  // deleted while pending
                           entry("3-0", {"attempt", "2", "case", "b/normal/s2"})})})});
  const auto read = read_entries(reply);
  ASSERT_TRUE(read) << read.error();
  ASSERT_EQ(read->size(), 1U);
  const auto& entries = read->front().second;
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[0].id, "1-0");
  EXPECT_EQ(entries[0].case_id, "a/normal/s1");
  EXPECT_EQ(entries[1].case_id, "b/normal/s2");
  EXPECT_EQ(entries[1].attempt, 2U);
  const auto timed_out = read_entries(nil());
  ASSERT_TRUE(timed_out);
  EXPECT_TRUE(timed_out->empty());
}

TEST(QueueRepliesTest, EntriesWithoutACaseOrWithABadAttemptAreRefused) {
  const auto no_case = read_entries(array({array({text("s"), array({entry("1-0", {"x", "y"})})})}));
  ASSERT_FALSE(no_case);
  EXPECT_EQ(no_case.error(), "s: entry 1-0: no \"case\" field");
  const auto bad_attempt = read_entries(
      array({array({text("s"), array({entry("1-0", {"case", "a", "attempt", "0"})})})}));
  ASSERT_FALSE(bad_attempt);
  EXPECT_EQ(bad_attempt.error(), "s: entry 1-0: \"attempt\" is not a positive number");
  const auto odd = read_entries(array({array({text("s"), array({entry("1-0", {"case"})})})}));
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error(), "s: entry 1-0: its fields are not a list of pairs");
}

TEST(QueueRepliesTest, AutoclaimAndPendingCounts) {
  const auto claimed =
      claimed_entries(array({text("0-0"), array({entry("5-0", {"case", "c"})}), array({})}));
  ASSERT_TRUE(claimed) << claimed.error();
  EXPECT_EQ(claimed->next, "0-0");
  ASSERT_EQ(claimed->entries.size(), 1U);
  EXPECT_EQ(claimed->entries[0].case_id, "c");
  EXPECT_FALSE(claimed_entries(integer(3)));

  const auto count =
      delivery_count(array({array({text("5-0"), text("w:1"), integer(3100), integer(3)})}));
  ASSERT_TRUE(count) << count.error();
  EXPECT_EQ(*count, 3U);
  const auto none = delivery_count(array({}));
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0U);
  const auto bad = delivery_count(array({array({text("5-0"), integer(-1)})}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "XPENDING's entry is not [id, consumer, idle, deliveries]");
}

TEST(QueueRecordsTest, StoredCaseRoundTripsAndIsChecked) {
  const StoredCase s{"a/normal/s1", 2, "host:1:1", "twincert:run:k:evidence:a/normal/s1:t",
                     nlohmann::json{{"id", "a/normal/s1"}, {"verdict", "pass"}}};
  const auto back = decode_stored_case(encode_stored_case(s));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->case_id, s.case_id);
  EXPECT_EQ(back->attempt, 2U);
  EXPECT_EQ(back->worker, s.worker);
  EXPECT_EQ(back->evidence_key, s.evidence_key);
  EXPECT_EQ(back->result, s.result);

  EXPECT_EQ(decode_stored_case("{").error(), "a stored case is not a JSON object");
  EXPECT_EQ(decode_stored_case(R"({"schema":"x"})").error(),
            R"(a stored case has no "schema": "twincert.queue-case/1")");
  nlohmann::json other = nlohmann::json::parse(encode_stored_case(s));
  other["result"]["id"] = "b/normal/s1";
  EXPECT_EQ(decode_stored_case(other.dump()).error(),
            "stored case a/normal/s1: its result is of another case");
  other = nlohmann::json::parse(encode_stored_case(s));
  other["attempt"] = -1;
  EXPECT_EQ(decode_stored_case(other.dump()).error(),
            "stored case a/normal/s1: \"attempt\" is not a count");
}

TEST(QueueRecordsTest, EvidencePathsStayInTheCaseFolder) {
  EXPECT_TRUE(is_safe_relative_path("case.json"));
  EXPECT_TRUE(is_safe_relative_path("bundle/truth.jsonl"));
  for (const char* bad :
       {"", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a/", "a\\b", "a/./b", ".."}) {
    EXPECT_FALSE(is_safe_relative_path(bad)) << bad;
  }
  EXPECT_FALSE(is_safe_relative_path(std::string("a\0b", 3)));

  const auto files =
      evidence_files(array({text("twin.log"), text("x"), text("bundle/a"), text("")}));
  ASSERT_TRUE(files) << files.error();
  ASSERT_EQ(files->size(), 2U);
  EXPECT_EQ((*files)[0].path, "bundle/a");  // sorted
  const auto escape = evidence_files(array({text("../../.bashrc"), text("x")}));
  ASSERT_FALSE(escape);
  EXPECT_EQ(escape.error(), "evidence path \"../../.bashrc\" would leave the case folder");
  EXPECT_FALSE(evidence_files(array({text("odd")})));
}

TEST(QueueKeysTest, PrefixFromDigestAndNonce) {
  const QueueKeys k = queue_keys("0123456789abcdef0123456789abcdef", "a1b2c3");
  EXPECT_EQ(k.prefix, "twincert:run:0123456789abcdef:a1b2c3");
  EXPECT_EQ(k.cases(), k.prefix + ":cases");
  EXPECT_EQ(k.evidence("a/b", "w:1:2"), k.prefix + ":evidence:a/b:w:1:2");
  EXPECT_TRUE(is_queue_prefix(k.prefix));
  EXPECT_FALSE(is_queue_prefix("twincert:run:short:x"));
  EXPECT_FALSE(is_queue_prefix("twincert:run:0123456789abcdef:"));
  EXPECT_FALSE(is_queue_prefix("other:0123456789abcdef:x"));
  EXPECT_FALSE(is_queue_prefix("twincert:run:0123456789abcdef:X Y"));
}

}  // namespace
}  // namespace twincert::harness
