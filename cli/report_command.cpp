// twincert report / verify / sign / keygen: the assurance evidence of a results folder —
// reports written again (or against a baseline run), hashes recomputed, signatures.
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/results_document.hpp"
#include "twincert/hil/campaign_cases.hpp"
#include "twincert/reports/compare.hpp"
#include "twincert/reports/manifest.hpp"
#include "twincert/reports/outputs.hpp"
#include "twincert/reports/results.hpp"
#include "twincert/reports/signing.hpp"

#include "commands.hpp"

namespace twincert::cli {

namespace {

namespace fs = std::filesystem;

struct ReportCommandOptions {
  std::string dir;
  std::string formats = "html,md,junit,json";
  std::string out;
  std::string baseline;
  std::string hil;
};

int run_report(const ReportCommandOptions& o) {
  const harness::ResultsDocument results = harness::load_results(o.dir);
  const fs::path out = o.out.empty() ? fs::path(o.dir) : fs::path(o.out);
  const bool in_place = fs::weakly_canonical(out) == fs::weakly_canonical(o.dir);
  if (in_place && fs::exists(fs::path(o.dir) / reports::kSignatureFile)) {
    throw ConfigError(o.dir +
                      " is signed: writing reports into it would break the signature (write them "
                      "elsewhere with --out DIR)");
  }
  reports::ReportOptions options;
  options.formats = reports::parse_formats(o.formats);
  reports::Comparison comparison;
  if (!o.baseline.empty()) {
    comparison = reports::compare_results(harness::load_results(o.baseline), results);
    options.baseline = &comparison;
    options.baseline_label = "Baseline: " + o.baseline;
  }
  reports::HilComparison hardware;
  if (!o.hil.empty()) {
    std::map<std::string, std::string> software;
    for (const auto& v : hil::software_verdicts(results)) software[v.case_id] = v.verdict;
    hardware = reports::compare_hil(reports::load_hil_results(o.hil), software, o.hil);
    options.hil = &hardware;
  }
  for (const auto& path : reports::write_reports(results, o.dir, out, options)) {
    std::cout << "wrote " << path.string() << '\n';
  }
  if (in_place) reports::refresh_manifest(o.dir);
  if (!o.baseline.empty() && comparison.regressed()) {
    std::cout << comparison.new_failures.size() << " new failures against the baseline\n";
    return kExitChecksFailed;
  }
  if (!o.hil.empty()) {
    std::cout << "hardware: " << hardware.cases.size() << " cases, " << hardware.disagreements
              << " disagree with software, " << hardware.failed << " failed, "
              << hardware.without_result << " without a hardware result\n";
    for (const auto& c : hardware.cases) {
      if (c.disagrees) {
        std::cout << "  disagree  " << c.id << ": software " << c.software << ", hardware "
                  << c.verdict << " on " << c.rig << '\n';
      }
    }
    if (!hardware.clean()) return kExitChecksFailed;
  }
  return kExitOk;
}

int run_verify(const std::string& dir, const std::string& public_key) {
  if (!fs::is_directory(dir)) throw ConfigError(dir + " is not a folder");
  bool holds = true;
  if (!public_key.empty()) {
    if (const auto why = reports::signature_problem(dir, public_key)) {
      std::cout << "signature: " << *why << '\n';
      holds = false;
    } else {
      std::cout << "signature: good (key " << reports::key_id(public_key) << ")\n";
    }
  }
  const auto report = reports::verify_manifest(dir);
  for (const auto& f : report.findings) {
    std::cout << (f.breaks ? "BROKEN  " : "note    ") << f.path << ": " << f.what << '\n';
  }
  holds = holds && report.holds();
  std::cout << (holds ? "holds" : "does NOT hold") << ": " << report.files_checked << " files and "
            << report.inputs_checked << " inputs checked\n";
  return holds ? kExitOk : kExitChecksFailed;
}

}  // namespace

std::function<int()> add_report_command(CLI::App& app) {
  auto o = std::make_shared<ReportCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write the reports of a results folder again (HTML, Markdown, JUnit, JSON), "
      "optionally against a baseline run and beside hardware-in-the-loop verdicts");
  cmd->add_option("results", o->dir, "Results folder of twincert run (with results.json)")
      ->required();
  cmd->add_option("--format", o->formats, "Comma-separated: html, md, junit, json")
      ->capture_default_str();
  cmd->add_option("--out", o->out, "Folder to write into (default: the results folder)");
  cmd->add_option("--hil", o->hil,
                  "Results folder of `twincert hil serve` (or its hil-results.json): the hardware "
                  "verdicts beside these, disagreements flagged");
  cmd->add_option("--baseline", o->baseline,
                  "An earlier results folder: mark new failures, fixes and timing changes");
  cmd->footer(
      "Exit status: 0 written (and no new failures against the baseline; with --hil every case "
      "ran\non hardware, passed and agrees), 1 new failures against the baseline, or a hardware "
      "case\nfailed, disagrees with software or has no hardware result, 2 not a results folder, "
      "a bad\nformat or a signed folder.\n\n"
      "Writing into the results folder re-hashes it in manifest.json (its inputs stay as "
      "recorded);\na signed folder is left alone: write elsewhere with --out.\n\nExamples:\n"
      "  twincert report out/default\n"
      "  twincert report out/release-2 --baseline out/release-1 --out out/compare");
  return [o] { return run_report(*o); };
}

std::function<int()> add_verify_command(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "verify",
      "Recompute every hash of a results folder's manifest.json and say which file "
      "changed; with --pubkey also check its signature");
  cmd->add_option("results", *dir, "Results folder (with manifest.json)")->required();
  cmd->add_option("--pubkey", *key, "Public key file (KEY.pub of twincert keygen)");
  cmd->footer(
      "Exit status: 0 every file matches (and the signature holds), 1 something changed or the\n"
      "signature does not hold, 2 bad arguments or key file.\n\n"
      "An input outside the folder (campaign, twin program) that is gone is noted, not a "
      "failure;\none that is there with other contents is.");
  return [dir, key] { return run_verify(*dir, *key); };
}

std::function<int()> add_sign_command(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "sign", "Sign a results folder's manifest.json with an Ed25519 key (writes manifest.sig)");
  cmd->add_option("results", *dir, "Results folder (with manifest.json)")->required();
  cmd->add_option("--key", *key, "Secret key file (twincert keygen)")->required();
  cmd->footer(
      "Signs only a folder whose files still match its manifest.\nExit status: 0 signed, 1 the "
      "folder does not match its manifest, 2 bad arguments or key.");
  return [dir, key] {
    const auto report = reports::verify_manifest(*dir);
    if (!report.holds()) {
      for (const auto& f : report.findings) {
        if (f.breaks) std::cerr << "twincert sign: " << f.path << ": " << f.what << '\n';
      }
      std::cerr << "twincert sign: " << *dir << " does not match its manifest; not signed\n";
      return kExitChecksFailed;
    }
    reports::sign_manifest(*dir, *key);
    std::cout << "signed " << (fs::path(*dir) / reports::kSignatureFile).string() << '\n';
    return kExitOk;
  };
}

std::function<int()> add_keygen_command(CLI::App& app) {
  auto key = std::make_shared<std::string>("twincert.key");
  auto force = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "keygen", "Make an Ed25519 key pair for signing results: KEY (secret, mode 600) and KEY.pub");
  cmd->add_option("--out", *key, "Secret key file; the public key goes beside it as .pub")
      ->capture_default_str();
  cmd->add_flag("--force", *force, "Replace existing key files");
  return [key, force] {
    reports::generate_key_pair(*key, *force);
    std::cout << "wrote " << *key << " (secret: keep it) and " << *key << ".pub (key "
              << reports::key_id(*key + ".pub") << ")\n";
    return kExitOk;
  };
}

}  // namespace twincert::cli
