#include "mapping_tally.hpp"

namespace twincert::harness {

std::string describe_json(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      std::string keys;
      std::size_t shown = 0;
      for (const auto& item : value.items()) {
        if (shown == 3) {
          keys += ", ...";
          break;
        }
        keys += (shown++ == 0 ? "" : ", ") + item.key();
      }
      return value.empty() ? "an empty object" : "an object with keys " + keys;
    }
    case nlohmann::json::value_t::array:
      return "a list of " + std::to_string(value.size());
    case nlohmann::json::value_t::string:
      return "a text";
    case nlohmann::json::value_t::boolean:
      return "true or false";
    case nlohmann::json::value_t::null:
      return "null";
    default:
      return "a number";
  }
}

std::optional<std::string> MappingTally::adapter_fault() const {
  if (answers == 0 || found > 0 || nulls > 0) return std::nullopt;
  std::string why = key + ": \"" + pointer + "\"" +
                    (unit.empty() ? "" : " (read in " + unit + ")") + " held " + expected +
                    " in none of " + std::to_string(answers) + " " + looked_in + " (";
  if (absent > 0) why += "no such key in " + std::to_string(absent);
  if (absent > 0 && absent < answers) why += ", ";
  if (absent < answers) why += other + " in " + std::to_string(answers - absent);
  return why + ")";
}

}  // namespace twincert::harness
