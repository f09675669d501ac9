#include "queue_options.hpp"

#include <iostream>

#include "twincert/base/config_error.hpp"

namespace twincert::cli {

harness::QueueOptions queue_options(const std::string& url, const std::string& password_file,
                                    bool allow_external, bool quiet) {
  harness::QueueOptions q;
  q.address = harness::parse_queue_url(url);
  if (const auto why = harness::check_queue_allowed(q.address); why && !allow_external) {
    throw ConfigError("refused: " + *why);
  }
  q.credentials = harness::read_queue_credentials(password_file);
  if (!quiet) {
    q.log = [](const std::string& line) { std::cerr << line << '\n'; };
  }
  harness::check_queue_reachable(q);
  return q;
}

}  // namespace twincert::cli
