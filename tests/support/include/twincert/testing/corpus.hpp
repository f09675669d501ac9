// Where the real-world captures are (../shared/corpus beside the checkout; never copied in) and
// helpers to walk them. The helpers only read files: thread-safe.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace twincert::testing {

inline std::filesystem::path corpus_dir() {
  return TWINCERT_CORPUS_DIR;
}
inline std::filesystem::path source_dir() {
  return TWINCERT_SOURCE_DIR;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every capture in the corpus: data files only (no licences, provenance or gpsd .chk outputs).
inline std::vector<std::filesystem::path> corpus_captures() {
  std::vector<std::filesystem::path> out;
  if (!std::filesystem::exists(corpus_dir())) return out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus_dir())) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    const std::string ext = entry.path().extension().string();
    if (ext == ".chk" || ext == ".md" || ext == ".tsv" || ext == ".json" || name == "README" ||
        name.starts_with("LICENSE") || name.starts_with("COPYING") || name.starts_with("NOTICE") ||
        name == "SOURCE_COMMIT" || name.starts_with("MISSING")) {
      continue;
    }
    out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace twincert::testing
