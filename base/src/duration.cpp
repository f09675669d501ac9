#include "twincert/base/duration.hpp"

#include <charconv>
#include <string>
#include <system_error>

#include "twincert/base/config_error.hpp"

namespace twincert {

double parse_duration_s(std::string_view text) {
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  const std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
  double scale = 0.0;
  if (unit.empty() || unit == "s") scale = 1.0;
  if (unit == "m" || unit == "min") scale = 60.0;
  if (unit == "h") scale = 3600.0;
  if (unit == "d") scale = 86400.0;
  if (ec != std::errc{} || ptr == text.data() || scale == 0.0 || value <= 0.0) {
    throw ConfigError("duration \"" + std::string(text) +
                      "\": expected a positive number with "
                      "an optional unit s, m, h or d (e.g. 90m, 2h)");
  }
  return value * scale;
}

}  // namespace twincert
