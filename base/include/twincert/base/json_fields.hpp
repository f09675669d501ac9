// Reading start-up configuration from JSON (rules, adapters, campaigns): a missing key, a value
// of the wrong type or a key nobody knows is a ConfigError that names where. Pure functions of
// their arguments (read_json_file reads the file it is given): thread-safe.
#pragma once

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "twincert/base/config_error.hpp"

namespace twincert::json_fields {

template <class T>
T field(const nlohmann::json& j, const char* key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) {
    throw ConfigError(where + ": missing \"" + key + "\"");
  }
  try {
    return j.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw ConfigError(where + ": \"" + key + "\" has the wrong type");
  }
}

template <class T>
T optional_field(const nlohmann::json& j, const char* key, T fallback, const std::string& where) {
  return j.is_object() && j.contains(key) ? field<T>(j, key, where) : fallback;
}

// A configuration file as JSON: "cannot read WHAT PATH" or "PATH: not valid JSON" otherwise.
inline nlohmann::json read_json_file(const std::filesystem::path& path, const std::string& what) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read " + what + " " + path.string());
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded()) throw ConfigError(path.string() + ": not valid JSON");
  return doc;
}

// Throws unless `j` is an object whose keys are all in `known` (a typo must not be ignored).
inline void only_keys(const nlohmann::json& j, std::initializer_list<std::string_view> known,
                      const std::string& where) {
  if (!j.is_object()) throw ConfigError(where + ": expected a JSON object");
  for (const auto& [key, value] : j.items()) {
    bool found = false;
    for (const auto k : known) found = found || k == key;
    if (!found) {
      std::string list;
      for (const auto k : known) {
        if (!list.empty()) list += ", ";
        list += k;
      }
      std::string message = where;
      message += ": unknown key \"";
      message += key;
      message += "\" (known: ";
      message += list;
      message += ')';
      throw ConfigError(message);
    }
  }
}

}  // namespace twincert::json_fields
