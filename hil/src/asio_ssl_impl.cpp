// Asio's SSL code, compiled once for hil (BOOST_ASIO_SEPARATE_COMPILATION; the rest of Asio is
// compiled in the harness).
#include <boost/asio/ssl/impl/src.hpp>

#include "asio.hpp"
