// Incremental SHA-256 (OpenSSL's, which uses the CPU's SHA extensions where there are any: the
// hash of a bundle's files was a fifth of the generation time with a portable implementation).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <openssl/evp.h>

namespace twincert::generators::detail {

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

}  // namespace twincert::generators::detail
