#include "exit_status.hpp"

#include <exception>
#include <filesystem>
#include <ostream>

#include <nlohmann/json.hpp>

#include "twincert/base/config_error.hpp"

namespace twincert::cli {

const std::string_view kExitStatusHelp =
    "Exit status (every command): 0 success, 1 checks failed (errors found, a case failed, "
    "results\nincomplete, a mutant survived), 2 usage or configuration error (the message names "
    "the file and\nkey), 3 twincert itself failed, 4 HIL: refused, unreachable or nothing to do "
    "in time.";

int exit_status_of_current_exception(std::string_view command, std::ostream& err) {
  err << "twincert " << command << ": ";
  try {
    throw;
  } catch (const ConfigError& e) {
    err << e.what() << '\n';
    return kExitUsage;
  } catch (const nlohmann::json::exception& e) {
    // Configuration read without the checked readers: still the user's file, not a crash.
    err << "not the JSON expected: " << e.what() << '\n';
    return kExitUsage;
  } catch (const std::exception& e) {
    err << "failed: " << e.what() << '\n';
    return kExitToolFailed;
  } catch (...) {
    err << "failed\n";
    return kExitToolFailed;
  }
}

}  // namespace twincert::cli
