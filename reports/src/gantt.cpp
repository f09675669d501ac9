#include "twincert/reports/gantt.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <map>

#include "text.hpp"

namespace twincert::reports {

namespace {

constexpr double kLeft = 120;
constexpr double kWidth = 1200;
constexpr double kRowHeight = 28;
constexpr double kTop = 30;

std::string num(double v) {  // an SVG coordinate
  return fixed(v, 1);
}

std::string utc(std::int64_t unix_s) {
  const auto t = static_cast<std::time_t>(unix_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> b{};
  std::strftime(b.data(), b.size(), "%m-%d %H:%M", &tm);
  return b.data();
}

}  // namespace

std::string gantt_html(const GanttPage& page) {
  std::map<std::string, std::size_t> rows;
  for (const auto* list : {&page.windows, &page.bars}) {
    for (const auto& b : *list) rows.emplace(b.row, 0);
  }
  std::size_t index = 0;
  for (auto& [name, i] : rows) i = index++;
  std::int64_t t0 = 0;
  std::int64_t t1 = 1;
  bool first = true;
  for (const auto* list : {&page.windows, &page.bars}) {
    for (const auto& b : *list) {
      t0 = first ? b.from_unix_s : std::min(t0, b.from_unix_s);
      t1 = first ? b.to_unix_s : std::max(t1, b.to_unix_s);
      first = false;
    }
  }
  if (t1 <= t0) t1 = t0 + 1;
  const double right = kLeft + kWidth;
  const auto x = [&](std::int64_t t) {
    return kLeft + kWidth * static_cast<double>(t - t0) / static_cast<double>(t1 - t0);
  };
  const double height = kTop + kRowHeight * static_cast<double>(rows.size()) + 10;
  std::string svg = R"(<svg class="gantt" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 )" +
                    num(right + 10) + " " + num(height) + R"(">)";
  const int ticks = 8;
  for (int i = 0; i <= ticks; ++i) {
    const std::int64_t t = t0 + (t1 - t0) * i / ticks;
    svg += R"(<line class="grid" x1=")" + num(x(t)) + R"(" x2=")" + num(x(t)) +
           R"(" y1="20" y2=")" + num(height) + R"("/><text x=")" + num(x(t)) +
           R"(" y="14" text-anchor="middle">)" + utc(t) + "</text>";
  }
  for (const auto& [name, i] : rows) {
    const double y = kTop + kRowHeight * static_cast<double>(i);
    svg += R"(<text x=")" + num(kLeft - 6) + R"(" y=")" + num(y + 18) +
           R"(" text-anchor="end" class="row">)" + xml_text(name) + "</text>";
  }
  const auto bar = [&](const GanttBar& b, const char* css, double inset) {
    const double y = kTop + kRowHeight * static_cast<double>(rows.at(b.row)) + inset;
    const double w = std::max(1.0, x(b.to_unix_s) - x(b.from_unix_s));
    std::string out = R"(<g><rect class=")" + std::string(css) + R"(" x=")" +
                      num(x(b.from_unix_s)) + R"(" y=")" + num(y) + R"(" width=")" + num(w) +
                      R"(" height=")" + num(kRowHeight - 2 * inset) + R"("><title>)" +
                      xml_text(b.title.empty() ? b.label : b.title) + "</title></rect>";
    if (!b.label.empty() && w > 7.0 * static_cast<double>(b.label.size())) {
      out += R"(<text class="label" x=")" + num(x(b.from_unix_s) + 3) + R"(" y=")" +
             num(y + kRowHeight - 2 * inset - 5) + R"(">)" + xml_text(b.label) + "</text>";
    }
    return out + "</g>";
  };
  for (const auto& w : page.windows) svg += bar(w, "window", 1);
  for (const auto& b : page.bars) svg += bar(b, b.emphasised ? "job strong" : "job", 5);
  svg += "</svg>";
  std::string body = "<h1>" + xml_text(page.title) + "</h1><ul>";
  for (const auto& line : page.summary) body += "<li>" + xml_text(line) + "</li>";
  body += "</ul>" + svg;
  if (!page.left_out.empty()) {
    body += "<h2>Left out (" + std::to_string(page.left_out.size()) +
            ")</h2><table><thead><tr><th>Case</th><th>Why</th></tr></thead><tbody>";
    for (const auto& [id, why] : page.left_out) {
      body += "<tr><td><code>" + xml_text(id) + "</code></td><td>" + xml_text(why) + "</td></tr>";
    }
    body += "</tbody></table>";
  }
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
         xml_text(page.title) +
         "</title><style>body{font:14px system-ui,sans-serif;margin:16px 24px;color:#1f2328}"
         "svg.gantt{width:100%;height:auto;border:1px solid #d0d7de}"
         "svg text{font:11px system-ui,sans-serif;fill:#57606a}svg "
         ".row{fill:#1f2328;font-weight:600}"
         ".grid{stroke:#eaeef2}.window{fill:#dafbe1}.job{fill:#54aeff;stroke:#0969da}"
         ".job.strong{fill:#0969da}.label{fill:#fff}"
         "table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:3px "
         "8px;text-align:left}"
         "</style></head><body>" +
         body + "</body></html>\n";
}

}  // namespace twincert::reports
