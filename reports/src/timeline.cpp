#include "twincert/reports/timeline.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>

#include <nlohmann/json.hpp>

#include "twincert/rules/evaluate.hpp"

#include "text.hpp"

namespace twincert::reports {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t kMaxPoints = 1500;  // per line: enough for a 960 px wide plot

using Definitions = std::vector<harness::RuleDefinition>;

const harness::RuleDefinition* rule_named(const Definitions& rules, const std::string& id) {
  for (const auto& r : rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

// Every line of a JSON-lines file that is a JSON object; the rest are counted.
template <class Take>
void each_object(const fs::path& path, std::size_t& skipped, Take take) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const json j = json::parse(line, nullptr, false);
    if (j.is_object()) {
      take(j);
    } else if (!line.empty()) {
      ++skipped;
    }
  }
}

// Keeps the first and last point and the lowest and highest of each bucket: the shape of the
// line survives, the points drawn stay few.
std::vector<std::pair<double, double>> thinned(std::vector<std::pair<double, double>> points) {
  if (points.size() <= kMaxPoints) return points;
  std::sort(points.begin(), points.end());
  const std::size_t buckets = kMaxPoints / 2;
  const std::size_t per = (points.size() + buckets - 1) / buckets;
  std::vector<std::pair<double, double>> out;
  for (std::size_t from = 0; from < points.size(); from += per) {
    const auto first = points.begin() + static_cast<std::ptrdiff_t>(from);
    const auto last =
        points.begin() + static_cast<std::ptrdiff_t>(std::min(points.size(), from + per));
    const auto [low, high] = std::minmax_element(
        first, last, [](const auto& a, const auto& b) { return a.second < b.second; });
    if (low->first <= high->first) {
      out.push_back(*low);
      if (high != low) out.push_back(*high);
    } else {
      out.push_back(*high);
      out.push_back(*low);
    }
  }
  return out;
}

// Headings around north jump between 359 and 0; drawn across the wrap they would fill the plot
// with vertical lines, so both lines are unwrapped onto 180..540 when they straddle north.
void unwrap_angles(Timeline& t) {
  const auto straddles = [](const std::vector<std::pair<double, double>>& v) {
    bool low = false;
    bool high = false;
    for (const auto& [time, value] : v) {
      low = low || value < 90.0;
      high = high || value > 270.0;
    }
    return low && high;
  };
  if (!straddles(t.truth) && !straddles(t.observed)) return;
  for (auto* v : {&t.truth, &t.observed}) {
    for (auto& [time, value] : *v) {
      if (value < 180.0) value += 360.0;
    }
  }
}

std::string num(double v) {  // an SVG coordinate
  return fixed(v, 1);
}

std::string label_num(double v) {
  std::array<char, 32> b{};
  if (std::abs(v) >= 1000 || v == std::floor(v)) {
    std::snprintf(b.data(), b.size(), "%.0f", v);
  } else if (std::abs(v) >= 10) {
    std::snprintf(b.data(), b.size(), "%.1f", v);
  } else {
    std::snprintf(b.data(), b.size(), "%.4g", v);
  }
  return b.data();
}

// A tick step of 1, 2 or 5 times a power of ten giving about `count` ticks over `range`.
double tick_step(double range, int count) {
  if (!(range > 0)) return 1.0;
  const double raw = range / count;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * power >= raw) return m * power;
  }
  return 10.0 * power;
}

struct Frame {
  static constexpr double kLeft = 64;
  static constexpr double kRight = 944;
  static constexpr double kTop = 12;
  static constexpr double kPlotBottom = 212;
  static constexpr double kLaneFaults = 226;
  static constexpr double kLaneExpected = 246;
  static constexpr double kLaneAlerts = 266;
  static constexpr double kLaneBeats = 286;
  static constexpr double kLaneHeight = 14;
  static constexpr double kAxis = 304;
  static constexpr double kHeight = 336;
  static constexpr double kWidth = 960;
  double t0 = 0;
  double t1 = 1;
  double v0 = 0;
  double v1 = 1;
  double x(double t) const { return kLeft + (kRight - kLeft) * (t - t0) / (t1 - t0); }
  double y(double v) const { return kPlotBottom - (kPlotBottom - kTop) * (v - v0) / (v1 - v0); }
};

Frame frame_for(const Timeline& t) {
  Frame f;
  f.t1 = std::max(t.duration_s, 1.0);
  double low = std::numeric_limits<double>::infinity();
  double high = -low;
  for (const auto* v : {&t.truth, &t.observed}) {
    for (const auto& [time, value] : *v) {
      low = std::min(low, value);
      high = std::max(high, value);
      f.t1 = std::max(f.t1, time);
    }
  }
  if (!std::isfinite(low)) {
    low = 0;
    high = 1;
  }
  const double pad = std::max((high - low) * 0.08, std::max(std::abs(high) * 1e-6, 1e-3));
  f.v0 = low - pad;
  f.v1 = high + pad;
  return f;
}

std::string polyline(const std::vector<std::pair<double, double>>& points, const Frame& f,
                     const char* css_class) {
  std::string out = R"(<polyline class=")" + std::string(css_class) + R"(" points=")";
  for (const auto& [t, v] : points) out += num(f.x(t)) + "," + num(f.y(v)) + " ";
  return out + R"("/>)";
}

std::string spans(const std::vector<TimeSpan>& items, const Frame& f, double lane,
                  const char* css_class, bool shade_plot) {
  std::string out;
  for (const auto& s : items) {
    const double x0 = f.x(std::max(s.from_s, f.t0));
    const double w = std::max(1.5, f.x(std::min(s.to_s, f.t1)) - x0);
    const std::string title = "<title>" + xml_text(s.label) + " (" + label_num(s.from_s) + "–" +
                              label_num(s.to_s) + " s)</title>";
    if (shade_plot) {
      out += R"(<rect class=")" + std::string(css_class) + R"(-shade" x=")" + num(x0) + R"(" y=")" +
             num(Frame::kTop) + R"(" width=")" + num(w) + R"(" height=")" +
             num(Frame::kPlotBottom - Frame::kTop) + R"(">)" + title + "</rect>";
    }
    out += R"(<rect class=")" + std::string(css_class) + R"(" x=")" + num(x0) + R"(" y=")" +
           num(lane) + R"(" width=")" + num(w) + R"(" height=")" + num(Frame::kLaneHeight) +
           R"(">)" + title + "</rect>";
  }
  return out;
}

std::string vertical(double x, double y0, double y1, const char* css_class,
                     const std::string& title) {
  return R"(<line class=")" + std::string(css_class) + R"(" x1=")" + num(x) + R"(" x2=")" + num(x) +
         R"(" y1=")" + num(y0) + R"(" y2=")" + num(y1) + R"("><title>)" + xml_text(title) +
         "</title></line>";
}

std::string axes(const Frame& f, const std::string& quantity) {
  std::string out = R"(<g class="axis">)";
  const double tstep = tick_step(f.t1 - f.t0, 10);
  for (int i = 0; f.t0 + i * tstep <= f.t1 + 1e-9; ++i) {
    const double t = f.t0 + i * tstep;
    out += R"(<line x1=")" + num(f.x(t)) + R"(" x2=")" + num(f.x(t)) + R"(" y1=")" +
           num(Frame::kTop) + R"(" y2=")" + num(Frame::kAxis) + R"(" class="grid"/>)";
    out += R"(<text x=")" + num(f.x(t)) + R"(" y=")" + num(Frame::kAxis + 14) +
           R"(" text-anchor="middle">)" + label_num(t) + "</text>";
  }
  const double vstep = tick_step(f.v1 - f.v0, 5);
  // As many decimals as the step needs: 39.22 and 39.24 must not both read "39.2".
  const int digits = std::max(0, -static_cast<int>(std::floor(std::log10(vstep) + 1e-9)));
  const double first = std::ceil(f.v0 / vstep) * vstep;
  for (int i = 0; first + i * vstep <= f.v1; ++i) {
    const double v = first + i * vstep;
    out += R"(<line x1=")" + num(Frame::kLeft) + R"(" x2=")" + num(Frame::kRight) + R"(" y1=")" +
           num(f.y(v)) + R"(" y2=")" + num(f.y(v)) + R"(" class="grid"/>)";
    out += R"(<text x=")" + num(Frame::kLeft - 4) + R"(" y=")" + num(f.y(v) + 4) +
           R"(" text-anchor="end">)" + fixed(v, digits) + "</text>";
  }
  out += R"(<text x=")" + num(Frame::kRight) + R"(" y=")" + num(Frame::kAxis + 28) +
         R"(" text-anchor="end">scenario time (s)</text>)";
  out += R"(<text x="4" y=")" + num(Frame::kTop + 8) + R"(" class="quantity">)" +
         xml_text(quantity) + "</text>";
  const std::array<std::pair<double, const char*>, 4> lanes{{{Frame::kLaneFaults, "faults"},
                                                             {Frame::kLaneExpected, "expected"},
                                                             {Frame::kLaneAlerts, "alerts"},
                                                             {Frame::kLaneBeats, "heartbeat"}}};
  for (const auto& [y, name] : lanes) {
    out += R"(<text x=")" + num(Frame::kLeft - 4) + R"(" y=")" + num(y + 11) +
           R"(" text-anchor="end">)" + name + "</text>";
  }
  out += R"(<rect class="frame" x=")" + num(Frame::kLeft) + R"(" y=")" + num(Frame::kTop) +
         R"(" width=")" + num(Frame::kRight - Frame::kLeft) + R"(" height=")" +
         num(Frame::kPlotBottom - Frame::kTop) + R"("/>)";
  return out + "</g>";
}

std::string marks(const Timeline& t, const Frame& f) {
  std::string out;
  for (const auto& d : t.deadlines) {
    out += vertical(f.x(d.t_s), Frame::kTop, Frame::kLaneExpected + Frame::kLaneHeight, "deadline",
                    d.label);
  }
  for (const auto& a : t.alerts) {
    const double x = f.x(a.t_s);
    const bool raised = a.label.starts_with("raised");
    const double y = Frame::kLaneAlerts;
    const std::string points = raised ? num(x - 5) + "," + num(y + 13) + " " + num(x + 5) + "," +
                                            num(y + 13) + " " + num(x) + "," + num(y + 1)
                                      : num(x - 5) + "," + num(y + 1) + " " + num(x + 5) + "," +
                                            num(y + 1) + " " + num(x) + "," + num(y + 13);
    out += R"(<polygon class=")" + std::string(raised ? "alert-raised" : "alert-cleared") +
           R"(" points=")" + points + R"("><title>)" + xml_text(a.label) + " at " +
           label_num(a.t_s) + " s</title></polygon>";
  }
  for (const double b : t.heartbeats) {
    out += R"(<line class="heartbeat" x1=")" + num(f.x(b)) + R"(" x2=")" + num(f.x(b)) +
           R"(" y1=")" + num(Frame::kLaneBeats + 2) + R"(" y2=")" + num(Frame::kLaneBeats + 12) +
           R"("/>)";
  }
  for (const auto& e : t.failures) {
    out += vertical(f.x(e.t_s), Frame::kTop, Frame::kLaneBeats + Frame::kLaneHeight, "failure",
                    e.label);
  }
  return out;
}

struct TruthRead {
  std::vector<json> states;
  std::vector<std::pair<std::string, std::string>> faulted;  // (source, sensor)
  std::vector<std::pair<std::string, TimeSpan>> expects;     // (condition, span)
};

// The truth of a case: its duration and faults into `t`, the rest for the caller.
TruthRead read_truth(const fs::path& path, Timeline& t) {
  TruthRead out;
  std::map<std::string, std::string> sensor_of;
  each_object(path, t.skipped_lines, [&](const json& j) {
    const std::string kind = text_at(j, "kind");
    if (kind == "header") {
      t.duration_s = number_at(j, "duration_s", 0.0);
    } else if (kind == "state") {
      out.states.push_back(j);
    } else if (kind == "sensor_health") {
      sensor_of[text_at(j, "source")] = text_at(j, "sensor");
    } else if (kind == "fault") {
      t.faults.push_back({number_at(j, "from_s", 0), number_at(j, "to_s", 0), text_at(j, "spec")});
      out.faulted.emplace_back(text_at(j, "source"), "");
    } else if (kind == "expect") {
      const std::string subject = text_at(j, "source");
      out.expects.push_back({text_at(j, "condition"),
                             {number_at(j, "from_s", 0), number_at(j, "until_s", t.duration_s),
                              text_at(j, "condition") + (subject.empty() ? "" : " " + subject)}});
    }
  });
  for (auto& [source, sensor] : out.faulted) sensor = sensor_of[source];
  return out;
}

// What the twin reported of t.quantity, its alerts and heartbeats.
void read_observations(const fs::path& path, Timeline& t) {
  std::vector<std::pair<double, double>> observed;
  each_object(path, t.skipped_lines, [&](const json& j) {
    const std::string kind = text_at(j, "kind");
    const double at = number_at(j, "t", -1);
    if (at < 0) return;
    if (kind == "value" && text_at(j, "name") == t.quantity && j.contains("value") &&
        j["value"].is_number()) {
      observed.emplace_back(at, j["value"].get<double>());
    } else if (kind == "alert") {
      t.alerts.push_back(
          {at, text_at(j, "change") + " " + text_at(j, "condition") + " " + text_at(j, "subject")});
    } else if (kind == "heartbeat") {
      t.heartbeats.push_back(at);
    }
  });
  t.observed = thinned(std::move(observed));
}

bool is_angle(const Definitions& rules, const std::string& quantity) {
  return std::any_of(rules.begin(), rules.end(), [&](const harness::RuleDefinition& def) {
    return def.quantity == quantity && def.angle;
  });
}

// By when each expected condition must be raised (deadline rules) or cleared (recovery rules).
void add_deadlines(const Definitions& rules,
                   const std::vector<std::pair<std::string, TimeSpan>>& expects, Timeline& t) {
  for (const auto& def : rules) {
    const std::string& kind = def.kind;
    const double within = def.within_s.value_or(-1);
    if ((kind != "deadline" && kind != "recovery") || within < 0) continue;
    const auto& conditions = def.conditions;
    for (const auto& [condition, span] : expects) {
      if (std::find(conditions.begin(), conditions.end(), condition) == conditions.end()) continue;
      const double at = kind == "deadline" ? span.from_s + within : span.to_s + within;
      t.deadlines.push_back({at, def.id + ": " + span.label + " " +
                                     (kind == "deadline" ? "raised" : "cleared") + " by " +
                                     label_num(at) + " s"});
    }
  }
}

// The quantity worth plotting for a case: the one a failed accuracy rule judged, else one the
// case's faults touch (by the rules' sensors), else heading.
std::string quantity_for(const harness::CaseResult& result, const Definitions& definitions,
                         const std::vector<std::pair<std::string, std::string>>& source_sensors) {
  for (const auto& r : result.rules) {
    if (r.verdict != rules::Verdict::kFail) continue;
    const auto* def = rule_named(definitions, r.rule_id);
    if (def != nullptr && def->kind == "accuracy") return def->quantity;
  }
  for (const auto& [source, sensor] : source_sensors) {
    for (const auto& def : definitions) {
      if (def.kind == "accuracy" && def.sensor == sensor) return def.quantity;
    }
  }
  return "heading_deg";
}

}  // namespace

Timeline load_timeline(const fs::path& case_dir, const harness::CaseResult& result,
                       const Definitions& definitions) {
  Timeline t;
  TruthRead truth = read_truth(case_dir / "bundle" / "truth.jsonl", t);
  t.quantity = quantity_for(result, definitions, truth.faulted);
  std::vector<std::pair<double, double>> values;
  for (const json& s : truth.states) {
    if (s.contains(t.quantity) && s[t.quantity].is_number() && s.contains("t")) {
      values.emplace_back(number_at(s, "t", 0), s[t.quantity].get<double>());
    }
  }
  t.truth = thinned(std::move(values));
  read_observations(case_dir / "observations.jsonl", t);
  if (is_angle(definitions, t.quantity)) unwrap_angles(t);
  for (const auto& [condition, span] : truth.expects) t.expected.push_back(span);
  add_deadlines(definitions, truth.expects, t);
  for (const auto& r : result.rules) {
    if (r.verdict != rules::Verdict::kFail) continue;
    for (const auto& e : r.evidence) {
      t.failures.push_back(
          {e.t_s, r.rule_id + ": expected " + e.expected + "; observed " + e.observed});
    }
  }
  return t;
}

std::string timeline_svg(const Timeline& t) {
  const Frame f = frame_for(t);
  std::string out = R"(<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 )" +
                    num(Frame::kWidth) + " " + num(Frame::kHeight) + R"(" role="img">)";
  out += "<title>" + xml_text(t.quantity) + ": truth (blue) and the twin (red)</title>";
  out += spans(t.faults, f, Frame::kLaneFaults, "fault", true);
  out += spans(t.expected, f, Frame::kLaneExpected, "expected", false);
  out += axes(f, t.quantity);
  if (!t.truth.empty()) out += polyline(t.truth, f, "truth");
  if (t.observed.size() > 1) out += polyline(t.observed, f, "observed");
  if (t.observed.size() <= 400) {
    for (const auto& [time, value] : t.observed) {
      out += R"(<circle class="observed-point" cx=")" + num(f.x(time)) + R"(" cy=")" +
             num(f.y(value)) + R"(" r="2.2"/>)";
    }
  }
  out += marks(t, f);
  return out + "</svg>";
}

}  // namespace twincert::reports
