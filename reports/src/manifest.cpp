#include "twincert/reports/manifest.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "twincert/base/files.hpp"
#include "twincert/base/sha256.hpp"
#include "twincert/generators/bundle.hpp"
#include "twincert/reports/results.hpp"

namespace twincert::reports {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool counted(const fs::path& relative) {
  const std::string name = relative.filename().string();
  return relative != kManifestFile && relative != kSignatureFile && !name.ends_with(".partial");
}

// Relative path -> file, sorted, for every regular file the manifest covers.
std::map<std::string, fs::path> files_under(const fs::path& dir) {
  std::map<std::string, fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const fs::path relative = entry.path().lexically_relative(dir);
    if (counted(relative)) out.emplace(relative.generic_string(), entry.path());
  }
  return out;
}

std::optional<std::string> hash_if_readable(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  try {
    return sha256_file(path);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// A manifest read back: what verify needs, or why it cannot be used.
struct Recorded {
  std::map<std::string, std::string> files;  // path -> sha256
  std::vector<std::pair<std::string, std::optional<std::string>>> inputs;
};

std::optional<Recorded> read_recorded(const fs::path& dir, std::string& why) {
  std::ifstream in(dir / kManifestFile, std::ios::binary);
  if (!in) {
    why = "missing (no manifest to verify against)";
    return std::nullopt;
  }
  const json doc = json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    why = "not JSON";
    return std::nullopt;
  }
  if (!doc.contains("schema") || doc["schema"] != "twincert.manifest/1") {
    why = R"(not a manifest (expected "schema": "twincert.manifest/1"))";
    return std::nullopt;
  }
  Recorded r;
  const auto text = [](const json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_string();
  };
  if (!doc.contains("files") || !doc["files"].is_array()) {
    why = "/files: expected an array";
    return std::nullopt;
  }
  for (std::size_t i = 0; i < doc["files"].size(); ++i) {
    const json& f = doc["files"][i];
    if (!text(f, "path") || !text(f, "sha256")) {
      why = "/files/" + std::to_string(i) + R"(: expected {"path": text, "sha256": text})";
      return std::nullopt;
    }
    r.files[f["path"].get<std::string>()] = f["sha256"].get<std::string>();
  }
  const json inputs =
      doc.contains("inputs") && doc["inputs"].is_array() ? doc["inputs"] : json::array();
  for (const json& i : inputs) {
    if (!text(i, "path")) continue;
    r.inputs.emplace_back(
        i["path"].get<std::string>(),
        text(i, "sha256") ? std::optional(i["sha256"].get<std::string>()) : std::nullopt);
  }
  return r;
}

}  // namespace

json build_manifest(const fs::path& dir, const ManifestInfo& info) {
  json files = json::array();
  for (const auto& [relative, path] : files_under(dir)) {
    files.push_back(
        {{"path", relative}, {"sha256", sha256_file(path)}, {"bytes", fs::file_size(path)}});
  }
  json inputs = json::array();
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& input : info.inputs) {
    const std::string path = input.path.string();
    if (!seen.emplace(input.role, path).second) continue;
    const auto hash = hash_if_readable(input.path);
    inputs.push_back(
        {{"role", input.role}, {"path", path}, {"sha256", hash ? json(*hash) : json(nullptr)}});
  }
  return {{"schema", "twincert.manifest/1"},
          {"tool", info.tool},
          {"build", info.build},
          {"seeds", std::set<std::uint64_t>(info.seeds.begin(), info.seeds.end())},
          {"files", std::move(files)},
          {"inputs", std::move(inputs)}};
}

void write_manifest(const fs::path& dir, const ManifestInfo& info) {
  const json manifest = build_manifest(dir, info);
  fs::remove(dir / kSignatureFile);
  write_file_atomically(dir / kManifestFile, manifest.dump(2) + "\n");
}

void refresh_manifest(const fs::path& dir) {
  std::ifstream in(dir / kManifestFile, std::ios::binary);
  if (!in) return;
  json doc = json::parse(in, nullptr, false);
  in.close();
  if (!doc.is_object()) doc = json::object();
  const json files = build_manifest(dir, {})["files"];
  doc["schema"] = "twincert.manifest/1";
  doc["files"] = files;
  fs::remove(dir / kSignatureFile);
  write_file_atomically(dir / kManifestFile, doc.dump(2) + "\n");
}

bool VerifyReport::holds() const {
  return std::none_of(findings.begin(), findings.end(),
                      [](const VerifyFinding& f) { return f.breaks; });
}

VerifyReport verify_manifest(const fs::path& dir) {
  VerifyReport report;
  std::string why;
  const auto recorded = read_recorded(dir, why);
  if (!recorded) {
    report.findings.push_back({kManifestFile, why, true});
    return report;
  }
  const auto present = files_under(dir);
  for (const auto& [relative, sha] : recorded->files) {
    ++report.files_checked;
    const auto here = present.find(relative);
    if (here == present.end()) {
      report.findings.push_back({relative, "missing", true});
    } else if (hash_if_readable(here->second) != sha) {
      report.findings.push_back({relative, "changed", true});
    }
  }
  for (const auto& [relative, path] : present) {
    if (!recorded->files.contains(relative)) {
      report.findings.push_back({relative, "not in the manifest", true});
    }
  }
  for (const auto& [path, sha] : recorded->inputs) {
    ++report.inputs_checked;
    const auto now = hash_if_readable(path);
    if (!now) {
      report.findings.push_back({path, "input no longer here (not checked)", false});
    } else if (!sha) {
      report.findings.push_back({path, "input was not readable when recorded", false});
    } else if (*now != *sha) {
      report.findings.push_back({path, "input changed since the run", true});
    }
  }
  return report;
}

}  // namespace twincert::reports
