// The evidence manifest of a results folder (manifest.json, schema twincert.manifest/1,
// docs/formats/manifest.md): the SHA-256 of every file in the folder and of every input it
// came from outside it (campaign, adapter, rules, requirements, scenarios, the twin's program),
// with the tool version and build. verify_manifest() recomputes them years later and says
// which file changed; signing.hpp signs the manifest's bytes.
// The functions keep no shared state: thread-safe for different folders; one writer per folder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace twincert::reports {

struct ManifestInput {
  std::string role;  // "campaign", "adapter", "rules", "requirements", "scenario", "twin",
                     // "twin interpreter", "harness"
  std::filesystem::path path;
};

struct ManifestInfo {
  std::string tool;   // "twincert 0.1.0"
  std::string build;  // git describe of the harness
  std::vector<ManifestInput> inputs;
  std::vector<std::uint64_t> seeds;  // every seed of the run's cases: with the inputs, the run
};

inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr const char* kSignatureFile = "manifest.sig";

// The manifest of `dir` as it is now. Every regular file under it counts but the manifest, its
// signature and *.partial leftovers; inputs that are not readable files are listed without a hash.
nlohmann::json build_manifest(const std::filesystem::path& dir, const ManifestInfo& info);

// Writes dir/manifest.json atomically and removes a signature of an earlier manifest, which no
// longer holds. Throws std::filesystem::filesystem_error.
void write_manifest(const std::filesystem::path& dir, const ManifestInfo& info);

// After reports were rewritten in the folder: hashes its files again, keeping the inputs,
// tool and build the manifest recorded at the run. Does nothing without a manifest.
void refresh_manifest(const std::filesystem::path& dir);

struct VerifyFinding {
  std::string path;    // relative to the folder for its files, as recorded for inputs
  std::string what;    // "changed", "missing", "not in the manifest", "input changed", ...
  bool breaks = true;  // false: worth saying, but the evidence in the folder still holds
};

struct VerifyReport {
  std::size_t files_checked = 0;
  std::size_t inputs_checked = 0;
  std::vector<VerifyFinding> findings;
  bool holds() const;
};

// Recomputes every hash of dir/manifest.json. A manifest that is missing or not a
// twincert.manifest/1 document is a finding (path "manifest.json"), never an exception.
// An input outside the folder that no longer exists is a finding that does not break it;
// one that exists with other contents does.
VerifyReport verify_manifest(const std::filesystem::path& dir);

}  // namespace twincert::reports
