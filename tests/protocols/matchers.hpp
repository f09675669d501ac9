// gMock matchers for Result<T>: IsOk() and HasError(code[, offset[, field]]), so error tests
// check the exact code and position (leveldb's IsOK, fmt's EXPECT_THROW_MSG in spirit).
#pragma once

#include <gmock/gmock.h>

#include "twincert/protocols/result.hpp"

namespace twincert {

MATCHER(IsOk, "is ok") {
  if (arg.has_value()) return true;
  *result_listener << "error " << to_string(arg.error());
  return false;
}

MATCHER_P(HasError, code, std::string("fails with ") + std::string(describe(code))) {
  if (arg.has_value()) {
    *result_listener << "succeeded";
    return false;
  }
  *result_listener << "error " << to_string(arg.error());
  return arg.error().code == code;
}

MATCHER_P2(HasErrorAt, code, offset,
           std::string("fails with ") + std::string(describe(code)) + " at " +
               std::to_string(offset)) {
  if (arg.has_value()) {
    *result_listener << "succeeded";
    return false;
  }
  *result_listener << "error " << to_string(arg.error());
  return arg.error().code == code && arg.error().offset == static_cast<std::uint32_t>(offset);
}

MATCHER_P3(HasFieldError, code, offset, field,
           std::string("fails with ") + std::string(describe(code)) + " at " +
               std::to_string(offset) + " field " + std::to_string(field)) {
  if (arg.has_value()) {
    *result_listener << "succeeded";
    return false;
  }
  *result_listener << "error " << to_string(arg.error());
  return arg.error().code == code && arg.error().offset == static_cast<std::uint32_t>(offset) &&
         arg.error().field == static_cast<std::uint16_t>(field);
}

}  // namespace twincert
