// The one way twincert::hil includes Boost.Asio with SSL, as harness/src/asio.hpp does for the
// harness: <utility> first for g++ 12, the coroutine support announced for clang 14. The Asio
// definitions (separate compilation, no deprecated names) come from the harness target, so both
// libraries see one Asio; its SSL part is compiled once in asio_ssl_impl.cpp.
#pragma once

#include <utility>

#if defined(__clang__) && !defined(BOOST_ASIO_HAS_CO_AWAIT)
#define BOOST_ASIO_HAS_CO_AWAIT 1
#define BOOST_ASIO_HAS_STD_COROUTINE 1
#endif

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
