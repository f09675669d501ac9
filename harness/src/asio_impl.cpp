// Asio's own code, compiled once for the harness (BOOST_ASIO_SEPARATE_COMPILATION).
#include <boost/asio/impl/src.hpp>

#include "asio.hpp"
