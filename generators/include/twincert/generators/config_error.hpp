// Start-up configuration errors (scenario, vessel and sensor files): thrown, since a bad file
// stops the run before it starts. The message names the file, the JSON path and what was
// expected: "open-sea.json: /route/2/lat: expected a number, got a string".
#pragma once

#include <stdexcept>
#include <string>

namespace twincert::generators {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace twincert::generators
