// Durations as people write them on command lines and in configuration files ("2h", "90m").
// Pure functions: thread-safe.
#pragma once

#include <string_view>

namespace twincert {

// "2h", "90m", "45s", "3600" (seconds), "1d": a positive number with an optional unit s, m (or
// min), h or d, in seconds. Throws ConfigError naming the text and what was expected.
double parse_duration_s(std::string_view text);

}  // namespace twincert
