// Incremental SHA-256 (OpenSSL's, which uses the CPU's SHA extensions where there are any: the
// hash of a bundle's files was a fifth of the generation time with a portable implementation).
// A Sha256 is not thread-safe (one digest, one owner); the free functions are.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <openssl/evp.h>

namespace twincert {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  // The lower-case hex digest of everything updated so far; call once.
  std::string hex_digest();

 private:
  struct Free {
    void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> context_;
};

// Hex SHA-256 of a file, for manifests and their verification. Throws std::runtime_error when
// the file cannot be read.
std::string sha256_file(const std::filesystem::path& path);
// Hex SHA-256 of bytes in memory.
std::string sha256_hex(std::string_view bytes);

}  // namespace twincert
