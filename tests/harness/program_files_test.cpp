// Which files run for a twin's command: the program and the interpreter chain of its "#!" line,
// checked on scripts written here and interpreters this machine has (/bin/sh, python3, env).
#include "twincert/harness/program_files.hpp"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace twincert::harness {
namespace {

namespace fs = std::filesystem;

class ProgramFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("twincert-program-files-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path script(const std::string& name, const std::string& first_line) {
    fs::path path = dir_ / name;
    std::ofstream(path) << first_line << "\necho hello\n";
    fs::permissions(path, fs::perms::owner_all);
    return path;
  }

  fs::path dir_;
};

TEST_F(ProgramFilesTest, ABinaryIsItsOwnProgram) {
  const auto chain = programs_that_run("/bin/true");
  ASSERT_EQ(chain.size(), 1U);
  EXPECT_EQ(chain[0], "/bin/true");
}

TEST_F(ProgramFilesTest, AShellScriptAddsTheShellThatRunsIt) {
  const fs::path s = script("twin.sh", "#!/bin/sh -e");
  const auto chain = programs_that_run(s.string());
  ASSERT_EQ(chain.size(), 2U);
  EXPECT_EQ(chain[0], s);
  EXPECT_EQ(chain[1], fs::canonical("/bin/sh"));  // dash on Debian, not the /bin/sh link
}

TEST_F(ProgramFilesTest, EnvIsFollowedToTheInterpreterOnPath) {
  const fs::path s = script("twin.py", "#!/usr/bin/env -S python3 -u");
  const auto chain = programs_that_run(s.string());
  // Two on a plain Debian; more where python3 on PATH is itself a script (a pyenv shim).
  ASSERT_GE(chain.size(), 2U);
  EXPECT_EQ(chain[1], fs::canonical(program_path("python3")));
  EXPECT_NE(chain[1].filename(), "env");
}

TEST_F(ProgramFilesTest, AScriptRunByAnotherScriptGivesTheWholeChain) {
  const fs::path inner = script("interpreter.sh", "#!/bin/sh");
  const fs::path outer = script("twin", "#!" + inner.string());
  const auto chain = programs_that_run(outer.string());
  ASSERT_EQ(chain.size(), 3U);
  EXPECT_EQ(chain[0], outer);
  EXPECT_EQ(chain[1], fs::canonical(inner));
  EXPECT_EQ(chain[2], fs::canonical("/bin/sh"));
}

TEST_F(ProgramFilesTest, AScriptThatNamesItselfEndsTheChain) {
  const fs::path self = dir_ / "loop";
  std::ofstream(self) << "#!" << self.string() << "\n";
  const auto chain = programs_that_run(self.string());
  EXPECT_EQ(chain.size(), 1U);
}

TEST_F(ProgramFilesTest, ANameWithoutSlashIsFoundOnPath) {
  EXPECT_EQ(program_path("sh").filename(), "sh");
  EXPECT_TRUE(program_path("sh").is_absolute());
  EXPECT_EQ(program_path("no-such-program-here"), "no-such-program-here");
}

}  // namespace
}  // namespace twincert::harness
