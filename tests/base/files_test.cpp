#include "twincert/base/files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include <unistd.h>

namespace twincert {
namespace {

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class FilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("twincert-files-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(FilesTest, CreatesTheFolderAndLeavesNoPartialFile) {
  const auto path = dir_ / "a" / "b.json";
  write_file_atomically(path, "{}\n");
  EXPECT_EQ(read(path), "{}\n");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "a" / "b.json.partial"));
}

TEST_F(FilesTest, ReplacesAnEarlierFileWhole) {
  const auto path = dir_ / "report.md";
  write_file_atomically(path, std::string(10'000, 'a'));
  write_file_atomically(path, "short");
  EXPECT_EQ(read(path), "short");
}

TEST_F(FilesTest, ThrowsWhenTheFolderCannotBeWritten) {
  std::filesystem::create_directories(dir_);
  // A file where the folder should be: creating the folder fails.
  write_file_atomically(dir_ / "plain", "x");
  EXPECT_THROW(write_file_atomically(dir_ / "plain" / "child", "y"),
               std::filesystem::filesystem_error);
}

}  // namespace
}  // namespace twincert
