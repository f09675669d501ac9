#include "twincert/base/sha256.hpp"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace twincert {
namespace {

// FIPS 180-2 appendix B.1 and B.2 test vectors.
constexpr std::string_view kAbcDigest =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

TEST(Sha256Test, MatchesTheStandardsTestVectors) {
  EXPECT_EQ(sha256_hex("abc"), kAbcDigest);
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Test, IncrementalUpdatesEqualOneUpdate) {
  Sha256 hash;
  hash.update("a");
  hash.update("");
  hash.update("bc");
  EXPECT_EQ(hash.hex_digest(), kAbcDigest);
}

TEST(Sha256Test, HashesAFileLargerThanItsReadBuffer) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("twincert-sha256-" +
                     std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".bin");
  const std::string bytes(200'000, 'x');
  {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
  }
  EXPECT_EQ(sha256_file(path), sha256_hex(bytes));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace twincert
