// Shard sets as journals name them, and journals read back: the parts of a merge that need no
// twin (tests/cli/merge_e2e.sh merges real runs).
#include "twincert/harness/merge.hpp"

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/journal.hpp"

namespace twincert::harness {
namespace {

namespace fs = std::filesystem;

TEST(ShardSetTest, ReadsOneShardAndMergedShards) {
  const ShardSet one = parse_shard_set("2/4");
  EXPECT_EQ(one.count, 4U);
  EXPECT_EQ(one.indices, (std::set<unsigned>{2}));
  EXPECT_EQ(one.text(), "2/4");
  const ShardSet some = parse_shard_set("3+1/4");
  EXPECT_EQ(some.text(), "1+3/4");
  EXPECT_FALSE(some.complete());
  EXPECT_EQ(parse_shard_set("1+2+3/3").text(), "1/1");  // the whole campaign
  EXPECT_TRUE(parse_shard_set("1/1").complete());
}

TEST(ShardSetTest, RefusesWhatIsNoShardSet) {
  for (const char* bad : {"", "1", "0/4", "5/4", "1+1/4", "1+/4", "a/4", "1/0", "1/4x", "/4"}) {
    EXPECT_THROW(parse_shard_set(bad), ConfigError) << bad;
  }
}

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("twincert-journal-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".jsonl");
  }
  void TearDown() override { fs::remove(path_); }
  void write(const std::string& text) { std::ofstream(path_, std::ios::binary) << text; }

  fs::path path_;
};

const char* const kHeader =
    R"({"kind":"campaign","campaign":"c","campaign_sha256":"ab","shard":"1+3/4","mutant":""})";

TEST_F(JournalTest, ReadsTheHeaderAndStopsAtATornLastLine) {
  write(std::string(kHeader) + "\n{\"id\":\"x\",\"dir\":\"o");  // killed while writing a case
  const JournalFile j = read_journal(path_);
  EXPECT_EQ(j.header.campaign_sha256, "ab");
  EXPECT_EQ(j.header.shard, "1+3/4");
  EXPECT_TRUE(j.results.empty());
  EXPECT_EQ(j.whole_bytes, std::string(kHeader).size() + 1);
}

TEST_F(JournalTest, NamesTheLineOfDamageBeforeTheEnd) {
  write(std::string(kHeader) + "\nnot json\n" + kHeader + "\n");
  try {
    (void)read_journal(path_);
    FAIL() << "damage in the middle was read as a journal";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(path_.string() + ":2: not JSON"), std::string::npos)
        << e.what();
  }
}

TEST_F(JournalTest, RefusesAFileThatIsNoJournal) {
  write("{\"schema\":\"twincert.results/1\"}\n");
  EXPECT_THROW((void)read_journal(path_), ConfigError);
  write("");
  EXPECT_THROW((void)read_journal(path_), ConfigError);
  fs::remove(path_);
  EXPECT_THROW((void)read_journal(path_), ConfigError);
}

TEST_F(JournalTest, WritesWhatItReads) {
  JournalFile j;
  j.header = {"c", "ab", "2/4", "sticky-alerts"};
  write_journal(path_, j);
  const JournalFile back = read_journal(path_);
  EXPECT_EQ(to_json(back.header), to_json(j.header));
}

}  // namespace
}  // namespace twincert::harness
