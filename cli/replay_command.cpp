// twincert replay: send a stream bundle or a capture to a target, paced.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "twincert/base/config_error.hpp"
#include "twincert/harness/replay.hpp"
#include "twincert/harness/replay_plan.hpp"
#include "twincert/harness/target.hpp"

#include "commands.hpp"
#include <unistd.h>

namespace twincert::cli {

namespace {

struct ReplayCommandOptions {
  std::string source;
  std::string to;
  std::string rate = "realtime";
  std::vector<std::string> filter;
  std::string record;
  bool allow_external = false;
  bool quiet = false;
  bool strict = false;
};

void write_record(const std::string& path, const std::vector<harness::Frame>& frames,
                  const harness::ReplayReport& report) {
  std::ofstream out(path, std::ios::trunc);
  out << "index,scheduled_s,sent_s,source\n";
  const double first = frames.empty() ? 0.0 : frames.front().at_s;
  for (std::size_t i = 0; i < report.sent_at_s.size(); ++i) {
    out << i << ',' << frames[i].at_s - first << ',' << report.sent_at_s[i] << ','
        << frames[i].source << '\n';
  }
  if (!out) throw ConfigError("cannot write " + path);
}

int run_replay(const ReplayCommandOptions& o) {
  const harness::Target target = harness::parse_target(o.to);
  if (const auto why = harness::check_target_allowed(target); why && !o.allow_external) {
    std::cerr << "twincert replay: refused: " << *why << '\n';
    return kExitUsage;
  }
  harness::ReplayOptions options;
  options.pacing = harness::parse_pacing(o.rate);
  harness::ReplayPlan plan = harness::load_plan(o.source);
  harness::filter_formatters(plan.frames, o.filter);
  const bool to_stdout = target.kind == harness::TargetKind::kStdout;
  const bool talk = !o.quiet && !to_stdout;
  if (const auto odd = harness::frames_without_sentence(plan.frames); odd > 0) {
    const std::string what = std::to_string(odd) + " of " + std::to_string(plan.frames.size()) +
                             " lines of " + plan.origin +
                             " hold no sentence ($ or ! after an optional tag block)";
    if (o.strict) {
      std::cerr << "twincert replay: refused: " << what << '\n';
      return kExitUsage;
    }
    if (!o.quiet) {
      std::cerr << "twincert replay: warning: " << what
                << "; they are sent as they are (--strict refuses them)\n";
    }
  }
  if (talk && isatty(STDERR_FILENO) != 0) {
    options.progress = [](std::size_t sent, std::size_t total) {
      std::fprintf(stderr, "\rreplaying: %zu / %zu frames (%3.0f%%)", sent, total,
                   100.0 * static_cast<double>(sent) / static_cast<double>(total));
      std::fflush(stderr);
    };
  }
  options.on_pty_ready = [&](const std::string& path) {
    if (talk) std::cerr << "twincert replay: pseudo-terminal ready at " << path << '\n';
  };
  const harness::ReplayReport report = harness::replay(plan.frames, target, options);
  if (options.progress) std::fprintf(stderr, "\n");
  if (!o.record.empty()) write_record(o.record, plan.frames, report);
  if (talk) {
    std::ostringstream s;
    s << "sent " << report.frames << " frames (" << report.bytes << " bytes) from " << plan.origin
      << " to " << target.text << " in " << report.duration_s << " s";
    if (!plan.faults.empty()) {
      s << ", " << plan.faults.size() << " network faults applied (seed " << plan.seed << ")";
    }
    s << '\n';
    if (options.pacing.mode == harness::PacingMode::kRealtime ||
        options.pacing.mode == harness::PacingMode::kScaled) {
      s << "pacing error: p50 " << report.lateness.p50_us << " us, p99 " << report.lateness.p99_us
        << " us, max " << report.lateness.max_us << " us\n";
    }
    if (report.send_errors > 0) s << "send errors: " << report.send_errors << '\n';
    std::cerr << s.str();
  }
  if (report.frames > 0 && report.send_errors == report.frames) {
    std::cerr << "twincert replay: every send failed\n";
    return kExitToolFailed;
  }
  return kExitOk;
}

}  // namespace

std::function<int()> add_replay_command(CLI::App& app) {
  auto o = std::make_shared<ReplayCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "replay", "Send a stream bundle or a capture to a target over a real interface, paced");
  cmd->add_option("SOURCE", o->source,
                  "A stream bundle folder (stream.nmea; network faults from truth.jsonl), a text "
                  "capture (tag-block c:/r: times, else 100 ms per line), or a pcap/pcapng "
                  "capture (UDP datagrams of IPv4 on Ethernet, Linux cooked or raw IP; the "
                  "capture's times)")
      ->required();
  cmd->add_option("--to", o->to,
                  "Target URL: udp://HOST:PORT, mcast://GROUP:PORT or mcast://standard "
                  "[?ttl=0&iface=127.0.0.1], tcp://HOST:PORT, tcp-listen://HOST:PORT, "
                  "pty:PATH[?baud=4800], file:PATH or - ; ?format=450|lines|sentences")
      ->required();
  cmd->add_option(
         "--rate", o->rate,
         "realtime (absolute deadlines), xN (N times faster), max (back to back) or "
         "virtual[:FRAMES_PER_S] (order only, for twins on stream time; default 20000/s over UDP)")
      ->capture_default_str();
  cmd->add_option("--filter", o->filter,
                  "Send only these sentence formatters, e.g. --filter GGA HDT VDM")
      ->delimiter(',');
  cmd->add_option("--record", o->record,
                  "Write the scheduled and actual send time of every frame (CSV)");
  cmd->add_flag(
      "--allow-external", o->allow_external,
      "Allow targets beyond this host (addresses outside 127.0.0.0/8 and ::1, multicast with "
      "TTL > 0 or on another interface)");
  cmd->add_flag("--quiet", o->quiet, "Print nothing but errors");
  cmd->add_flag("--strict", o->strict,
                "Refuse a source with lines that hold no sentence (else they are sent as they "
                "are, with a warning)");
  cmd->footer(
      "Exit status: 0 sent, 2 bad option, unreadable source or refused target, 3 sending "
      "failed.\n\n"
      "Examples:\n"
      "  twincert replay bundles/osea --to udp://127.0.0.1:60004 --rate x10\n"
      "  twincert replay bundles/osea --to mcast://standard --rate realtime\n"
      "  twincert replay capture.nmea --to pty:/tmp/ttyVDR?baud=4800\n"
      "  twincert replay bundles/osea --to - --rate max --filter GGA,HDT");
  return [o] { return run_replay(*o); };
}

}  // namespace twincert::cli
