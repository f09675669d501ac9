#include "twincert/reports/signing.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "twincert/base/config_error.hpp"
#include "twincert/base/files.hpp"
#include "twincert/generators/bundle.hpp"
#include "twincert/reports/manifest.hpp"
#include "twincert/reports/results.hpp"

#include <sodium.h>
#include <sys/stat.h>

namespace twincert::reports {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kSecretHeader = "twincert ed25519 secret key";
constexpr std::string_view kPublicHeader = "twincert ed25519 public key";

void init_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
}

std::string base64_of(const unsigned char* bytes, std::size_t n) {
  std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.find('\0'));
  return out;
}

// Exactly `n` bytes from base64 text, or nullopt.
std::optional<std::vector<unsigned char>> bytes_of(const std::string& text, std::size_t n) {
  std::vector<unsigned char> out(n + 3);
  std::size_t length = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), " \r\n", &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      length != n) {
    return std::nullopt;
  }
  out.resize(n);
  return out;
}

std::string read_file(const fs::path& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("cannot read " + what + " " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The key in a key file: its first line must be `header`, the second the base64 key.
std::vector<unsigned char> read_key(const fs::path& path, std::string_view header, std::size_t n) {
  std::istringstream lines(read_file(path, "key file"));
  std::string first;
  std::string second;
  std::getline(lines, first);
  std::getline(lines, second);
  if (first != header) {
    throw ConfigError(path.string() + ": line 1: expected \"" + std::string(header) + "\"");
  }
  auto key = bytes_of(second, n);
  if (!key) {
    throw ConfigError(path.string() + ": line 2: expected " + std::to_string(n) +
                      " bytes in base64");
  }
  return *key;
}

void write_key(const fs::path& path, std::string_view header, const unsigned char* key,
               std::size_t n, bool secret) {
  const std::string text = std::string(header) + "\n" + base64_of(key, n) + "\n";
  const fs::path partial = path.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) throw ConfigError("cannot write " + partial.string());
    if (secret) ::chmod(partial.c_str(), S_IRUSR | S_IWUSR);  // before a byte of the key
    out << text;
    if (!out.flush()) throw ConfigError("cannot write " + partial.string());
  }
  fs::rename(partial, path);
}

std::string hex_of(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

// The text at `key`, or `otherwise` when it is absent or not text (the document is untrusted).
std::string text_or(const json& doc, const char* key, const std::string& otherwise) {
  return doc.is_object() && doc.contains(key) && doc[key].is_string() ? doc[key].get<std::string>()
                                                                      : otherwise;
}

std::string fingerprint(const std::vector<unsigned char>& public_key) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), public_key.data(), public_key.size());
  return hex_of(digest.data(), 8);
}

}  // namespace

void generate_key_pair(const fs::path& secret_key, bool overwrite) {
  init_sodium();
  const fs::path public_key = secret_key.string() + ".pub";
  for (const auto& p : {secret_key, public_key}) {
    if (!overwrite && fs::exists(p)) {
      throw ConfigError(p.string() +
                        " exists (--force replaces it; signatures made with the "
                        "old key then need the old public key)");
    }
  }
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};
  crypto_sign_keypair(pk.data(), sk.data());
  write_key(secret_key, kSecretHeader, sk.data(), sk.size(), true);
  sodium_memzero(sk.data(), sk.size());
  write_key(public_key, kPublicHeader, pk.data(), pk.size(), false);
}

void sign_manifest(const fs::path& dir, const fs::path& secret_key) {
  init_sodium();
  auto sk = read_key(secret_key, kSecretHeader, crypto_sign_SECRETKEYBYTES);
  const std::string manifest = read_file(dir / kManifestFile, "manifest");
  std::array<unsigned char, crypto_sign_BYTES> signature{};
  crypto_sign_detached(signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(manifest.data()),  // NOLINT
                       manifest.size(), sk.data());
  std::vector<unsigned char> pk(crypto_sign_PUBLICKEYBYTES);
  crypto_sign_ed25519_sk_to_pk(pk.data(), sk.data());
  sodium_memzero(sk.data(), sk.size());
  const json doc = {{"schema", "twincert.signature/1"},
                    {"algorithm", "ed25519"},
                    {"signed", kManifestFile},
                    {"key_id", fingerprint(pk)},
                    {"public_key", base64_of(pk.data(), pk.size())},
                    {"signature", base64_of(signature.data(), signature.size())}};
  write_file_atomically(dir / kSignatureFile, doc.dump(2) + "\n");
}

std::optional<std::string> signature_problem(const fs::path& dir, const fs::path& public_key) {
  init_sodium();
  const auto pk = read_key(public_key, kPublicHeader, crypto_sign_PUBLICKEYBYTES);
  std::ifstream sig_in(dir / kSignatureFile, std::ios::binary);
  if (!sig_in) return std::string(kSignatureFile) + " missing: the folder is not signed";
  const json doc = json::parse(sig_in, nullptr, false);
  if (text_or(doc, "schema", "") != "twincert.signature/1" ||
      text_or(doc, "signature", "").empty()) {
    return std::string(kSignatureFile) + " is not a twincert.signature/1 document";
  }
  const auto signature = bytes_of(doc["signature"].get<std::string>(), crypto_sign_BYTES);
  if (!signature) return std::string(kSignatureFile) + ": /signature is not 64 bytes in base64";
  std::ifstream in(dir / kManifestFile, std::ios::binary);
  if (!in) return std::string(kManifestFile) + " missing";
  std::ostringstream s;
  s << in.rdbuf();
  const std::string manifest = s.str();
  if (crypto_sign_verify_detached(
          signature->data(),
          reinterpret_cast<const unsigned char*>(manifest.data()),  // NOLINT
          manifest.size(), pk.data()) != 0) {
    const std::string signer = text_or(doc, "key_id", "?");
    return "the signature does not hold for this key (" + fingerprint(pk) +
           "): the manifest was changed after signing, or key " + signer + " signed it";
  }
  return std::nullopt;
}

std::string key_id(const fs::path& public_key) {
  init_sodium();
  return fingerprint(read_key(public_key, kPublicHeader, crypto_sign_PUBLICKEYBYTES));
}

}  // namespace twincert::reports
