// Text helpers shared by the report writers (private to reports/).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace twincert::reports {

// `text` for XML or HTML text and attribute values: markup characters escaped, bytes that are
// not UTF-8 (a twin's garbage) and control characters XML has no place for become '?'.
std::string xml_text(std::string_view text);

// The text at `key` of an untrusted JSON object, or "" when absent or not text.
std::string text_at(const nlohmann::json& j, const char* key);

// The number at `key` of an untrusted JSON object, or `otherwise` when absent or not a number.
double number_at(const nlohmann::json& j, const char* key, double otherwise = 0.0);

// `value` with `digits` decimals ("%.*f"): the one number format of the reports.
std::string fixed(double value, int digits);

// The array or object at `key` of an untrusted JSON value, or an empty one.
const nlohmann::json& array_at(const nlohmann::json& j, const char* key);
const nlohmann::json& object_at(const nlohmann::json& j, const char* key);

}  // namespace twincert::reports
