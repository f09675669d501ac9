#include "twincert/harness/program_files.hpp"

#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace twincert::harness {

namespace fs = std::filesystem;

fs::path program_path(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  // NOLINTNEXTLINE(concurrency-mt-unsafe): PATH is read, never changed, by the harness
  const char* path = std::getenv("PATH");
  const std::string dirs = path != nullptr ? path : "";
  std::size_t from = 0;
  while (from <= dirs.size()) {
    const auto colon = dirs.find(':', from);
    fs::path candidate = fs::path(dirs.substr(from, colon - from)) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string::npos) break;
    from = colon + 1;
  }
  return name;
}

namespace {

// The interpreter a "#!" line names, or empty when the file has none (a binary, say).
std::string interpreter_of(const fs::path& program) {
  std::ifstream in(program, std::ios::binary);
  std::array<char, 2> magic{};
  if (!in.read(magic.data(), magic.size()) || magic[0] != '#' || magic[1] != '!') return {};
  std::string line;
  std::getline(in, line);
  std::istringstream words(line);
  std::string interpreter;
  words >> interpreter;
  if (fs::path(interpreter).filename() != "env") return interpreter;
  // `#!/usr/bin/env [-S] NAME ...`: the program env runs is the first word that is no option.
  std::string word;
  while (words >> word) {
    if (word.empty() || word[0] == '-') continue;
    if (word.find('=') != std::string::npos) continue;  // env's NAME=VALUE assignments
    return word;
  }
  return interpreter;
}

fs::path resolved(const fs::path& path) {
  std::error_code ec;
  fs::path real = fs::canonical(path, ec);
  return ec ? path : real;
}

}  // namespace

std::vector<fs::path> programs_that_run(const std::string& name) {
  std::vector<fs::path> chain{program_path(name)};
  for (int depth = 0; depth < 4; ++depth) {
    const std::string next = interpreter_of(chain.back());
    if (next.empty()) break;
    const fs::path found = resolved(program_path(next));
    if (found == resolved(chain.back())) break;
    chain.push_back(found);
  }
  return chain;
}

}  // namespace twincert::harness
