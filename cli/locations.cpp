#include "locations.hpp"

#include <cstdlib>
#include <system_error>

#include <unistd.h>

namespace twincert::cli {

namespace fs = std::filesystem;

namespace {

// The folder of the running executable; empty when /proc is not mounted.
fs::path executable_dir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : self.parent_path();
}

const char* environment(const char* name) {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read at start-up, before any thread exists
  const char* value = std::getenv(name);
  return value != nullptr && *value != 0 ? value : nullptr;
}

}  // namespace

fs::path data_dir() {
  if (const char* env = environment("TWINCERT_DATA_DIR")) return env;
  const fs::path bin = executable_dir();
  if (!bin.empty()) {
    fs::path installed = bin.parent_path() / "share" / "twincert";
    std::error_code ec;
    if (fs::is_regular_file(installed / "fixtures" / "campaigns" / "default.json", ec)) {
      return installed;
    }
  }
  return TWINCERT_SOURCE_DIR;
}

fs::path default_campaign() {
  return data_dir() / "fixtures" / "campaigns" / "default.json";
}

fs::path reference_twin_path(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = environment("TWINCERT_REFERENCE_TWIN")) return env;
  const fs::path bin = executable_dir();
  if (!bin.empty()) {
    fs::path beside = bin / "twincert-reference-twin";
    if (::access(beside.c_str(), X_OK) == 0) return beside;
  }
  return TWINCERT_REFERENCE_TWIN_PATH;
}

}  // namespace twincert::cli
