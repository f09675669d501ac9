// The scenario and vessel JSON files of fixtures/, compiled into the library (generated at
// configure time by cmake/TwincertEmbed.cmake), so the CLI needs no files to run them.
#pragma once

#include <span>
#include <string_view>

namespace twincert::generators {

struct EmbeddedFile {
  std::string_view name;  // file name without .json
  std::string_view text;
};

std::span<const EmbeddedFile> builtin_scenario_files() noexcept;
std::span<const EmbeddedFile> builtin_vessel_files() noexcept;

}  // namespace twincert::generators
