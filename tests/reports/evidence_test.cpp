// The evidence manifest and its signature on real files in a temporary folder: every change to
// a file, a missing or an extra file, a changed input and a tampered manifest or signature must
// be found and named.
#include <fstream>
#include <random>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "twincert/base/config_error.hpp"
#include "twincert/reports/manifest.hpp"
#include "twincert/reports/signing.hpp"

#include <sys/stat.h>

namespace twincert::reports {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class EvidenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::temp_directory_path() / ("twincert-evidence-" + std::to_string(std::random_device{}()));
    dir_ = root_ / "results";
    fs::create_directories(dir_ / "cases" / "a");
    write(dir_ / "results.json", R"({"schema": "twincert.results/1"})");
    write(dir_ / "cases" / "a" / "observations.jsonl", "{\"kind\":\"heartbeat\",\"t\":1}\n");
    write(root_ / "campaign.json", "{}");
    info_.tool = "twincert test";
    info_.build = "b1";
    info_.inputs = {{"campaign", root_ / "campaign.json"}};
  }
  void TearDown() override { fs::remove_all(root_); }

  static void write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }
  static void flip_one_byte(const fs::path& p) {
    std::fstream f(p, std::ios::binary | std::ios::in | std::ios::out);
    char c = 0;
    f.seekg(3);
    f.get(c);
    f.seekp(3);
    f.put(static_cast<char>(c ^ 0x01));
  }
  static std::vector<std::string> broken(const VerifyReport& r) {
    std::vector<std::string> out;
    for (const auto& f : r.findings) {
      if (f.breaks) out.push_back(f.path + ": " + f.what);
    }
    return out;
  }

  fs::path root_;
  fs::path dir_;
  ManifestInfo info_;
};

TEST_F(EvidenceTest, AFreshManifestHoldsAndCoversEveryFile) {
  write_manifest(dir_, info_);
  const auto r = verify_manifest(dir_);
  EXPECT_TRUE(r.holds());
  EXPECT_EQ(r.files_checked, 2U);
  EXPECT_EQ(r.inputs_checked, 1U);
  EXPECT_TRUE(r.findings.empty());
}

TEST_F(EvidenceTest, OneFlippedByteIsNamed) {
  write_manifest(dir_, info_);
  flip_one_byte(dir_ / "cases" / "a" / "observations.jsonl");
  const auto r = verify_manifest(dir_);
  EXPECT_FALSE(r.holds());
  EXPECT_EQ(broken(r), std::vector<std::string>{"cases/a/observations.jsonl: changed"});
}

TEST_F(EvidenceTest, MissingAndExtraFilesAreNamed) {
  write_manifest(dir_, info_);
  fs::remove(dir_ / "results.json");
  write(dir_ / "cases" / "a" / "added.txt", "x");
  write(dir_ / "left.partial", "half");  // an interrupted write is no evidence either way
  EXPECT_THAT(broken(verify_manifest(dir_)),
              ::testing::UnorderedElementsAre("results.json: missing",
                                              "cases/a/added.txt: not in the manifest"));
}

TEST_F(EvidenceTest, AChangedInputBreaksItAGoneInputIsOnlyNoted) {
  write_manifest(dir_, info_);
  write(root_ / "campaign.json", "{ }");
  EXPECT_THAT(broken(verify_manifest(dir_)),
              ::testing::ElementsAre(HasSubstr("campaign.json: input changed")));
  fs::remove(root_ / "campaign.json");
  const auto r = verify_manifest(dir_);
  EXPECT_TRUE(r.holds());
  ASSERT_EQ(r.findings.size(), 1U);
  EXPECT_THAT(r.findings[0].what, HasSubstr("no longer here"));
}

TEST_F(EvidenceTest, AMissingOrMalformedManifestIsAFindingNotACrash) {
  EXPECT_THAT(broken(verify_manifest(dir_)),
              ::testing::ElementsAre(HasSubstr("manifest.json: missing")));
  for (const char* text :
       {"not json", "[]", R"({"schema": 3})", R"({"schema": "twincert.manifest/1"})",
        R"({"schema": "twincert.manifest/1", "files": [{"path": 1}]})"}) {
    write(dir_ / kManifestFile, text);
    const auto r = verify_manifest(dir_);
    EXPECT_FALSE(r.holds()) << text;
    ASSERT_FALSE(r.findings.empty()) << text;
    EXPECT_EQ(r.findings[0].path, kManifestFile) << text;
  }
}

TEST_F(EvidenceTest, RefreshKeepsTheRecordedInputs) {
  write_manifest(dir_, info_);
  write(dir_ / "report.html", "<html></html>");
  write(root_ / "campaign.json", "{ }");  // changed since the run: refresh must not hide that
  refresh_manifest(dir_);
  const auto r = verify_manifest(dir_);
  EXPECT_THAT(broken(r), ::testing::ElementsAre(HasSubstr("campaign.json: input changed")));
  EXPECT_EQ(r.files_checked, 3U);
}

TEST_F(EvidenceTest, ASignatureHoldsForItsKeyOnly) {
  write_manifest(dir_, info_);
  const fs::path key = root_ / "signer.key";
  generate_key_pair(key, false);
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777U, 0600U) << "the secret key must be readable by its owner only";
  EXPECT_THROW(generate_key_pair(key, false), ConfigError);  // never overwritten

  sign_manifest(dir_, key);
  EXPECT_EQ(signature_problem(dir_, key.string() + ".pub"), std::nullopt);
  EXPECT_EQ(key_id(key.string() + ".pub").size(), 16U);

  const fs::path other = root_ / "other.key";
  generate_key_pair(other, false);
  const auto wrong_key = signature_problem(dir_, other.string() + ".pub");
  ASSERT_TRUE(wrong_key.has_value());
  EXPECT_THAT(*wrong_key, HasSubstr("does not hold"));

  flip_one_byte(dir_ / kManifestFile);
  EXPECT_TRUE(signature_problem(dir_, key.string() + ".pub").has_value());
}

TEST_F(EvidenceTest, BadKeysAndSignaturesSayWhatIsWrong) {
  write_manifest(dir_, info_);
  const fs::path key = root_ / "k";
  generate_key_pair(key, false);
  EXPECT_THAT(*signature_problem(dir_, key.string() + ".pub"), HasSubstr("not signed"));
  write(dir_ / kSignatureFile, "{\"schema\": \"twincert.signature/1\", \"signature\": \"abc\"}");
  EXPECT_THAT(*signature_problem(dir_, key.string() + ".pub"), HasSubstr("not 64 bytes"));
  write(dir_ / kSignatureFile, "garbage");
  EXPECT_THAT(*signature_problem(dir_, key.string() + ".pub"),
              HasSubstr("not a twincert.signature/1"));
  write(root_ / "bad.pub", "twincert ed25519 public key\nAAAA\n");
  try {
    (void)signature_problem(dir_, root_ / "bad.pub");
    ADD_FAILURE() << "a truncated key was accepted";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("line 2: expected 32 bytes"));
  }
  EXPECT_THROW(sign_manifest(dir_, key.string() + ".pub"), ConfigError);  // not secret
}

}  // namespace
}  // namespace twincert::reports
