#include "twincert/harness/mapping.hpp"

#include <cmath>
#include <numbers>

namespace twincert::harness {

namespace {

using nlohmann::json;

// `to` with $1..$9 replaced by the captures (an absent one by nothing) and $$ by $.
std::string substitute(const std::string& to, const std::smatch* captures) {
  std::string out;
  out.reserve(to.size());
  for (std::size_t i = 0; i < to.size(); ++i) {
    if (to[i] == '$' && i + 1 < to.size()) {
      const char next = to[i + 1];
      if (next == '$') {
        out += '$';
        ++i;
        continue;
      }
      if (next >= '0' && next <= '9' && captures != nullptr) {
        const auto n = static_cast<std::size_t>(next - '0');
        if (n < captures->size()) out += (*captures)[n].str();
        ++i;
        continue;
      }
    }
    out += to[i];
  }
  return out;
}

const json* node_at(const json& j, const std::string& pointer) {
  if (pointer.empty()) return &j;
  try {
    return &j.at(json::json_pointer(pointer));
  } catch (const json::exception&) {
    return nullptr;
  }
}

constexpr std::size_t kSkippedKeysKept = 3;

// `key`: the key of the innermost keyed level above, when `keyed` (else nothing yet).
void walk(const Table& table, std::size_t level, const json& within, const std::string& key,
          bool keyed, TableRows& out) {
  const TableLevel& l = table.levels[level];
  const json* node = node_at(within, l.at);
  const bool shaped =
      node != nullptr && (l.shape == TableShape::kList ? node->is_array() : node->is_object());
  out.looks.push_back({level, node, shaped});
  if (!shaped) return;
  const bool last = level + 1 == table.levels.size();
  const auto take = [&](const json& entry, const std::string& entry_key, bool by_key) {
    if (last) {
      out.rows.push_back({&entry, entry_key});
    } else {
      walk(table, level + 1, entry, entry_key, by_key, out);
    }
  };
  if (l.shape == TableShape::kList) {
    for (std::size_t i = 0; i < node->size(); ++i) {
      // A list inside a keyed level keeps the key it came under: that is the id.
      take((*node)[i], keyed ? key : std::to_string(i), keyed);
    }
    return;
  }
  for (const auto& [name, entry] : node->items()) {
    std::string entry_key = name;
    if (l.key) {
      std::smatch m;
      if (!std::regex_match(name, m, *l.key)) {
        if (out.keys_skipped.size() < kSkippedKeysKept) out.keys_skipped.push_back(name);
        ++out.keys_skipped_count;
        continue;
      }
      if (m.size() > 1) entry_key = m[1].str();
    }
    ++out.keys_matched;
    take(entry, entry_key, true);
  }
}

}  // namespace

double combine(Combine how, double a, double b) {
  switch (how) {
    case Combine::kNone:
      return a;
    case Combine::kSum:
      return a + b;
    case Combine::kDifference:
      return a - b;
    case Combine::kHypot:
      return std::hypot(a, b);
    case Combine::kBearing: {
      const double deg = std::atan2(a, b) * 180.0 / std::numbers::pi;
      return deg < 0.0 ? deg + 360.0 : deg;
    }
  }
  return a;
}

std::shared_ptr<const std::regex> compile_word_regex(const std::string& pattern) {
  auto flags = std::regex::ECMAScript;
  std::string body = pattern;
  if (body.starts_with("(?i)")) {
    body.erase(0, 4);
    flags |= std::regex::icase;
  }
  return std::make_shared<const std::regex>(body, flags);
}

std::optional<Translated> translate(const std::vector<WordRule>& rules, std::string_view word) {
  for (const WordRule& r : rules) {
    switch (r.match) {
      case WordMatch::kExact:
        if (word == r.pattern) return Translated{r.to, r.subject};
        break;
      case WordMatch::kAnyCase:
        if (units::same_ignoring_case(word, r.pattern)) return Translated{r.to, r.subject};
        break;
      case WordMatch::kRegex: {
        const std::string text(word);
        std::smatch m;
        if (r.regex && std::regex_match(text, m, *r.regex)) {
          Translated t{substitute(r.to, &m), std::nullopt};
          if (r.subject) t.subject = substitute(*r.subject, &m);
          return t;
        }
        break;
      }
    }
  }
  return std::nullopt;
}

Table list_at(std::string pointer) {
  Table t;
  t.levels.emplace_back();
  t.levels.back().at = std::move(pointer);
  return t;
}

std::string_view describe(TableShape shape) {
  return shape == TableShape::kList ? "a list" : "an object keyed by id";
}

TableRows rows_of(const Table& table, const json& answer) {
  TableRows out;
  if (!table.levels.empty()) walk(table, 0, answer, "", false, out);
  return out;
}

std::string_view name_of(Combine how) {
  switch (how) {
    case Combine::kSum:
      return "sum";
    case Combine::kDifference:
      return "difference";
    case Combine::kHypot:
      return "hypot";
    case Combine::kBearing:
      return "bearing";
    case Combine::kNone:
      break;
  }
  return "value";
}

}  // namespace twincert::harness
