// twincert: certification test harness for digital twins of ship data systems.
#include <exception>
#include <functional>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "twincert/cli/version.hpp"

#include "commands.hpp"

namespace {

// "hil serve" for `twincert hil serve ...`: the subcommands given, outermost first.
std::string command_name(const CLI::App& app) {
  std::string name;
  const CLI::App* at = &app;
  while (!at->get_subcommands().empty()) {
    at = at->get_subcommands().front();
    name += (name.empty() ? "" : " ") + at->get_name();
  }
  return name;
}

int run(int argc, char** argv) {
  using twincert::cli::kExitUsage;

  CLI::App app{"twincert — certify digital twins of voyage data recorders with synthetic data."};
  app.footer(std::string(twincert::cli::kExitStatusHelp));
  app.set_version_flag("--version", std::string("twincert ") + TWINCERT_VERSION + " (build " +
                                        TWINCERT_BUILD_ID + ")");
  app.require_subcommand(1);

  const auto lint = twincert::cli::add_lint_command(app);
  const auto generate = twincert::cli::add_generate_command(app);
  const auto scenarios = twincert::cli::add_scenarios_command(app);
  const auto faults = twincert::cli::add_faults_command(app);
  const auto replay = twincert::cli::add_replay_command(app);
  const auto check = twincert::cli::add_check_command(app);
  const auto run_campaign = twincert::cli::add_run_command(app);
  const auto merge = twincert::cli::add_merge_command(app);
  const auto worker = twincert::cli::add_worker_command(app);
  const auto shrink = twincert::cli::add_shrink_command(app);
  const auto adapter = twincert::cli::add_adapter_command(app);
  const auto report = twincert::cli::add_report_command(app);
  const auto verify = twincert::cli::add_verify_command(app);
  const auto sign = twincert::cli::add_sign_command(app);
  const auto keygen = twincert::cli::add_keygen_command(app);
  const auto hil = twincert::cli::add_hil_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  try {
    if (app.got_subcommand("lint")) return lint();
    if (app.got_subcommand("generate")) return generate();
    if (app.got_subcommand("scenarios")) return scenarios();
    if (app.got_subcommand("faults")) return faults();
    if (app.got_subcommand("replay")) return replay();
    if (app.got_subcommand("check")) return check();
    if (app.got_subcommand("run")) return run_campaign();
    if (app.got_subcommand("merge")) return merge();
    if (app.got_subcommand("worker")) return worker();
    if (app.got_subcommand("shrink")) return shrink();
    if (app.got_subcommand("adapter")) return adapter();
    if (app.got_subcommand("report")) return report();
    if (app.got_subcommand("verify")) return verify();
    if (app.got_subcommand("sign")) return sign();
    if (app.got_subcommand("keygen")) return keygen();
    if (app.got_subcommand("hil")) return hil();
  } catch (...) {
    // Every command's errors end here: one mapping to exit codes (exit_status.hpp).
    return twincert::cli::exit_status_of_current_exception(command_name(app), std::cerr);
  }
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "twincert: internal error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "twincert: internal error\n";
  }
  return twincert::cli::kExitToolFailed;
}
