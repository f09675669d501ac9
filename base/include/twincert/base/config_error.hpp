// Start-up configuration errors (scenarios, vessels, sensors, rules, adapters, campaigns, rigs and
// command-line options): thrown, since a bad file stops the run before it starts. The message names
// the file, the JSON path and what was expected: "open-sea.json: /route/2/lat: expected a number,
// got a string". ConfigError is a plain exception value and the helpers are pure: thread-safe.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace twincert {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The names of a kind table's rows, "a, b, c", for "unknown ... (known: ...)" messages.
template <class Table>
std::string names_of(const Table& table) {
  std::string out;
  for (const auto& row : table) {
    if (!out.empty()) out += ", ";
    out += row.name;
  }
  return out;
}

// Whether a space-separated list of keys ("delay_ms jitter_ms") holds `key` as a whole word.
inline bool lists_key(std::string_view keys, std::string_view key) noexcept {
  while (!keys.empty()) {
    const auto space = keys.find(' ');
    if (keys.substr(0, space) == key) return true;
    if (space == std::string_view::npos) break;
    keys.remove_prefix(space + 1);
  }
  return false;
}

}  // namespace twincert
