// The one way twincert::harness includes Boost.Asio (docs conventions): <utility> first for
// g++ 12; the coroutine support announced for clang 14. Compiled once in asio_impl.cpp.
#pragma once

#include <utility>

#if defined(__clang__) && !defined(BOOST_ASIO_HAS_CO_AWAIT)
#define BOOST_ASIO_HAS_CO_AWAIT 1
#define BOOST_ASIO_HAS_STD_COROUTINE 1
#endif

#include <boost/asio.hpp>

namespace twincert::harness {
namespace asio = boost::asio;
}  // namespace twincert::harness
