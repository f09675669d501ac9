// Ed25519 signatures of a results folder's manifest (libsodium): whoever holds the public key
// can check years later that the manifest, and through its hashes every file, is the one the
// key's owner signed. Key files are text: a line naming the kind, then the key in base64.
// The signature is dir/manifest.sig (schema twincert.signature/1, docs/formats/manifest.md).
// Thread-safe: each call initialises libsodium (sodium_init() is itself thread-safe and
// idempotent); one writer per folder.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace twincert::reports {

// Writes a new key pair: `secret_key` (mode 0600) and `secret_key` + ".pub". Refuses to
// overwrite either unless `overwrite`. Throws ConfigError (exists, cannot write).
void generate_key_pair(const std::filesystem::path& secret_key, bool overwrite);

// Signs dir/manifest.json with the secret key file, writing dir/manifest.sig. Throws
// ConfigError for an unreadable or malformed key and a missing manifest.
void sign_manifest(const std::filesystem::path& dir, const std::filesystem::path& secret_key);

// Why dir/manifest.sig is not a signature of dir/manifest.json by the key in `public_key`,
// or nullopt when it is. A malformed public key file throws ConfigError (the
// caller's input); a missing or malformed signature is a reason, not an exception.
std::optional<std::string> signature_problem(const std::filesystem::path& dir,
                                             const std::filesystem::path& public_key);

// A short fingerprint of a public key file's key (first 16 hex digits of its SHA-256), for
// saying which key signed.
std::string key_id(const std::filesystem::path& public_key);

}  // namespace twincert::reports
