// Subcommands of the twincert executable. Each registers its options on the CLI11 app and
// returns the exit code when run (exit_status.hpp); what it throws main turns into one.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "exit_status.hpp"

namespace twincert::cli {

// Each adds its subcommand to app; the returned function runs it after parsing.
std::function<int()> add_lint_command(CLI::App& app);
std::function<int()> add_generate_command(CLI::App& app);
std::function<int()> add_scenarios_command(CLI::App& app);
std::function<int()> add_faults_command(CLI::App& app);
std::function<int()> add_replay_command(CLI::App& app);
std::function<int()> add_check_command(CLI::App& app);
std::function<int()> add_run_command(CLI::App& app);
std::function<int()> add_merge_command(CLI::App& app);
std::function<int()> add_worker_command(CLI::App& app);
// shrink RUN_DIR --case ID: a failing case made minimal (shrink_command.cpp).
std::function<int()> add_shrink_command(CLI::App& app);
// adapter check (under `adapter`).
std::function<int()> add_adapter_command(CLI::App& app);
std::function<int()> add_report_command(CLI::App& app);
std::function<int()> add_verify_command(CLI::App& app);
std::function<int()> add_sign_command(CLI::App& app);
std::function<int()> add_keygen_command(CLI::App& app);
std::function<int()> add_hil_command(CLI::App& app);
// hil serve, agent, status, cancel (under `hil`); the function runs whichever was given.
std::function<int()> add_hil_run_commands(CLI::App& hil);

}  // namespace twincert::cli
