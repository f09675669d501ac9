// The message of the ConfigError a callable throws ("" if it throws none): lets tests check the
// exact text users see for bad scenarios, faults and options.
#pragma once

#include <string>

#include "twincert/base/config_error.hpp"

namespace twincert::generators {

template <class F>
std::string config_error(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace twincert::generators
