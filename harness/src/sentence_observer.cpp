#include "twincert/harness/sentence_observer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>
#include <variant>

#include "twincert/protocols/nmea0183/fields.hpp"
#include "twincert/protocols/nmea0183/registry.hpp"
#include "twincert/protocols/nmea0183/sentences/alf.hpp"
#include "twincert/protocols/nmea0183/sentences/alr.hpp"

namespace twincert::harness {

namespace {

namespace n0183 = nmea0183;

// What a field of a sentence held: a number, nothing (an empty field: the twin does not know),
// a text, or no such field at all (or one the typed decoder could not read).
struct FieldValue {
  enum class Kind : std::uint8_t { kNumber, kNull, kText, kAbsent } kind = Kind::kAbsent;
  double number = 0.0;
  std::string text;
};

std::string field_text(const SentenceField& f) {
  return f.name.empty() ? "field " + std::to_string(f.number) : f.name;
}

std::string_view trimmed(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  return line;
}

bool is_active(char alf_state) {
  return alf_state == 'V' || alf_state == 'S' || alf_state == 'A' || alf_state == 'O';
}

}  // namespace

// A sentence's fields, decoded by its typed decoder only when a map names one.
class SentenceObserver::Fields {
 public:
  explicit Fields(const nmea0183::RawSentence& s) : s_(s) {}

  FieldValue get(const SentenceField& f) {
    FieldValue v;
    if (f.name.empty()) {
      if (f.number == 0 || f.number > s_.field_count()) return v;
      const std::string_view text = s_.field(f.number);
      if (text.empty()) {
        v.kind = FieldValue::Kind::kNull;
        return v;
      }
      v.text = std::string(text);
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v.number);
      v.kind = ec == std::errc() && end == text.data() + text.size() && std::isfinite(v.number)
                   ? FieldValue::Kind::kNumber
                   : FieldValue::Kind::kText;
      return v;
    }
    if (!decoded_) {
      decoded_ = true;
      if (const auto* type = n0183::find_sentence_type(s_.formatter())) {
        if (auto named = type->describe(s_, n0183::Mode::kLenient, nullptr)) {
          named_ = std::move(*named);
        }
      }
    }
    const auto it = std::find_if(named_.begin(), named_.end(),
                                 [&](const n0183::NamedValue& n) { return n.name == f.name; });
    if (it == named_.end()) return v;
    if (const auto* d = std::get_if<double>(&it->value)) {
      v.kind = FieldValue::Kind::kNumber;
      v.number = *d;
    } else if (const auto* i = std::get_if<std::int64_t>(&it->value)) {
      v.kind = FieldValue::Kind::kNumber;
      v.number = static_cast<double>(*i);
    } else if (const auto* t = std::get_if<std::string>(&it->value)) {
      v.kind = FieldValue::Kind::kText;
      v.text = *t;
    } else {
      v.kind = FieldValue::Kind::kNull;
    }
    return v;
  }

 private:
  const n0183::RawSentence& s_;
  bool decoded_ = false;
  std::vector<n0183::NamedValue> named_;
};

std::optional<AlertPart> alert_part_named(std::string_view word) {
  if (word == "id") return AlertPart::kId;
  if (word == "instance") return AlertPart::kInstance;
  if (word == "title") return AlertPart::kTitle;
  if (word == "description") return AlertPart::kDescription;
  return std::nullopt;
}

std::string describe_fields(const SentenceValueMap& m) {
  std::string text = m.talker + m.formatter + " " + field_text(m.field);
  if (m.combine != Combine::kNone) text += " " + field_text(m.second);
  return text;
}

SentenceObserver::SentenceObserver(SentenceMaps maps) : maps_(std::move(maps)) {
  for (const auto& m : maps_.values) {
    SentenceMapFindings f;
    f.key = "observe.sentences.values." + m.name + ".field";
    f.field = describe_fields(m);
    f.unit = m.transform.unit;
    f.affects = m.name;
    findings_.push_back(std::move(f));
  }
}

void SentenceObserver::take(std::string_view sentence, double t_s, rules::Observations& into) {
  const auto parsed = n0183::parse_sentence(trimmed(sentence), n0183::Mode::kLenient);
  if (!parsed) return;  // the syntax rule judges what cannot be parsed; nothing to read here
  const n0183::RawSentence& s = *parsed;
  const std::string_view formatter = s.formatter();
  Fields fields(s);  // decoded once for every map that reads this sentence
  for (std::size_t i = 0; i < maps_.values.size(); ++i) {
    const SentenceValueMap& m = maps_.values[i];
    if (m.formatter != formatter || (!m.talker.empty() && m.talker != s.talker())) continue;
    take_value(i, fields, t_s, into);
  }
  if (!maps_.alerts) return;
  const auto& from = maps_.alerts->from;
  if (std::find(from.begin(), from.end(), formatter) == from.end()) return;
  if (formatter == "ALC") {
    take_alert_list(s, t_s, into);
  } else {
    take_alert_sentence(s, t_s, into);
  }
}

void SentenceObserver::take_value(std::size_t i, Fields& fields, double t_s,
                                  rules::Observations& into) {
  const SentenceValueMap& m = maps_.values[i];
  if (m.when_field) {
    const FieldValue w = fields.get(*m.when_field);
    if (w.kind == FieldValue::Kind::kNull || w.kind == FieldValue::Kind::kAbsent ||
        w.text != m.when_equals) {
      return;  // not a sentence this value is read from (RMC status V: no valid fix)
    }
  }
  SentenceMapFindings& f = findings_[i];
  ++f.seen;
  const FieldValue a = fields.get(m.field);
  FieldValue b;
  if (m.combine != Combine::kNone) {
    b = fields.get(m.second);
  } else {
    b.kind = FieldValue::Kind::kNumber;
  }
  using Kind = FieldValue::Kind;
  if (a.kind == Kind::kNumber && b.kind == Kind::kNumber) {
    ++f.found;
    const double v = m.transform(combine(m.combine, a.number, b.number));
    if (std::isfinite(v)) into.values.push_back({t_s, m.name, v});
  } else if (a.kind == Kind::kNull || b.kind == Kind::kNull) {
    ++f.nulls;
  } else {
    ++f.absent;
  }
}

void SentenceObserver::problem(const std::string& what, const std::string& affects) {
  ++problems_[what + '\n' + affects];
}

void SentenceObserver::change(const Known& k, double t_s, rules::AlertChange c,
                              rules::Observations& into) {
  for (const auto& subject : k.subjects) into.alerts.push_back({t_s, k.condition, subject, c});
}

// The truth's words for an alert: its condition and subjects, through the vocabularies. False
// when a word no entry maps is to be dropped (it is reported either way).
bool SentenceObserver::words_of(const AlertText& text, Known& into) {
  const SentenceAlerts& a = *maps_.alerts;
  const auto part = [&](AlertPart p) -> const std::string& {
    const std::string* word = &text.id;
    switch (p) {
      case AlertPart::kId:
        break;
      case AlertPart::kInstance:
        word = &text.instance;
        break;
      case AlertPart::kTitle:
        word = &text.title;
        break;
      case AlertPart::kDescription:
        word = &text.description;
        break;
    }
    // ALC, ACN and ARC carry no text: their identifier stands in.
    return word->empty() ? text.id : *word;
  };
  std::string condition = part(a.condition);
  std::optional<std::string> implied;
  if (!a.conditions.empty()) {
    if (auto t = translate(a.conditions, condition)) {
      condition = std::move(t->word);
      implied = std::move(t->subject);
    } else {
      ++unmapped_[{"condition", condition}];
      if (a.drop_unmapped) return false;
    }
  }
  std::vector<std::string> subjects;
  if (implied) {
    subjects.push_back(std::move(*implied));
  } else if (a.subject_constant) {
    subjects.push_back(*a.subject_constant);
  } else {
    std::string subject = part(a.subject);
    if (a.subjects.empty()) {
      subjects.push_back(std::move(subject));
    } else if (auto t = translate(a.subjects, subject)) {
      subjects.push_back(std::move(t->word));
    } else {
      ++unmapped_[{"subject", subject}];
      if (a.drop_unmapped) return false;
      subjects.push_back(std::move(subject));
    }
  }
  into.condition = std::move(condition);
  into.subjects = std::move(subjects);
  return true;
}

// One alert's state as a sentence told it: a raise when it becomes active, a clear when it stops
// being active, an acknowledgement when it becomes acknowledged (or, rectified, is acknowledged
// into normal: ALF U then N). An alert first seen rectified but unacknowledged (ALF U: the
// sentence that raised it was lost) is raised and cleared at once.
void SentenceObserver::set_state(const std::string& key, const AlertText& text, bool active,
                                 bool acknowledged, char state, double t_s,
                                 rules::Observations& into) {
  auto [it, fresh] = alerts_.try_emplace(key);
  Known& k = it->second;
  const char was = k.state;
  k.from_list = false;
  if (active && !k.active) {
    if (!words_of(text, k)) return;
    change(k, t_s, rules::AlertChange::kRaised, into);
    k.active = true;
    k.acknowledged = false;
  } else if (!active && k.active) {
    change(k, t_s, rules::AlertChange::kCleared, into);
    k.active = false;
  } else if (!active && fresh && state == 'U') {
    if (!words_of(text, k)) return;
    change(k, t_s, rules::AlertChange::kRaised, into);
    change(k, t_s, rules::AlertChange::kCleared, into);
  }
  if (((acknowledged && !k.acknowledged) || (was == 'U' && state == 'N')) && !k.subjects.empty()) {
    change(k, t_s, rules::AlertChange::kAcknowledged, into);
  }
  k.acknowledged = acknowledged;
  k.state = state;
}

void SentenceObserver::take_alert_sentence(const n0183::RawSentence& s, double t_s,
                                           rules::Observations& into) {
  const std::string_view formatter = s.formatter();
  const std::string talker(s.talker());
  if (formatter == "ALR") {
    const auto alr = n0183::decode<n0183::Alr>(s);
    if (!alr || !alr->condition || s.field(2).empty()) {
      problem("observe.sentences.alerts: an ALR without its alarm number or condition");
      return;
    }
    AlertText text;
    text.id = std::string(s.field(2));
    text.title = text.description = alr->description.value_or("");
    const bool acknowledged = alr->acknowledged == 'A';
    set_state(talker + "|ALR|" + text.id, text, *alr->condition == 'A', acknowledged,
              acknowledged ? 'A' : 'V', t_s, into);
    return;
  }
  if (formatter == "ALF") {
    const auto alf = n0183::decode<n0183::Alf>(s);
    if (!alf || s.field(9).empty()) {
      problem("observe.sentences.alerts: an ALF without its alert identifier");
      return;
    }
    PendingAlf p;
    p.key = talker + "|" + std::string(s.field(8)) + "|" + std::string(s.field(9)) + "|" +
            std::string(s.field(10));
    p.text.id = std::string(s.field(9));
    p.text.instance = std::string(s.field(10));
    p.sequence = alf->sequential_id.value_or(-1);
    p.t_s = t_s;
    const int number = alf->sentence_number.value_or(1);
    const int total = alf->total_sentences.value_or(1);
    if (number == 1) {
      if (const auto old = pending_.find(talker); old != pending_.end()) {
        const PendingAlf unfinished = old->second;
        pending_.erase(old);
        alf_complete(unfinished, into);
      }
      if (!alf->state) {
        problem("observe.sentences.alerts: an ALF without its state");
        return;
      }
      p.state = *alf->state;
      p.text.title = alf->text.value_or("");
      if (total == 2) {
        pending_[talker] = std::move(p);
      } else {
        alf_complete(p, into);
      }
      return;
    }
    const auto first = pending_.find(talker);
    if (first == pending_.end() || first->second.key != p.key ||
        first->second.sequence != p.sequence) {
      problem("observe.sentences.alerts: an ALF's second sentence without its first");
      return;
    }
    PendingAlf done = std::move(first->second);
    pending_.erase(first);
    done.text.description = alf->text.value_or("");
    alf_complete(done, into);
    return;
  }
  // ACN (the twin acknowledges, as an alert manager) and ARC (it refuses a command): about an
  // alert by manufacturer, identifier and instance, from whichever talker raised it.
  const std::string id(s.field(3));
  if (id.empty()) {
    problem("observe.sentences.alerts: an " + std::string(formatter) +
            " without its alert identifier");
    return;
  }
  const std::string suffix =
      "|" + std::string(s.field(2)) + "|" + id + "|" + std::string(s.field(4));
  const char command = s.field(5).size() == 1 ? s.field(5).front() : '\0';
  if (formatter == "ARC") {
    problem("observe.sentences.alerts: the twin refused command " + std::string(s.field(5)) +
                " for alert " + id + (s.field(4).empty() ? "" : "." + std::string(s.field(4))) +
                " (ARC)",
            "");
    return;
  }
  if (command != 'A') return;  // silence, repeat, transfer: no change of the alert's state
  auto it = std::find_if(alerts_.begin(), alerts_.end(), [&](const auto& e) {
    return e.first.ends_with(suffix) && e.first.find('|') == e.first.size() - suffix.size();
  });
  if (it == alerts_.end()) {
    it = alerts_.try_emplace("ACN" + suffix).first;
    AlertText text;
    text.id = id;
    text.instance = std::string(s.field(4));
    if (!words_of(text, it->second)) return;
  }
  if (!it->second.acknowledged && !it->second.subjects.empty()) {
    change(it->second, t_s, rules::AlertChange::kAcknowledged, into);
  }
  it->second.acknowledged = true;
}

void SentenceObserver::alf_complete(const PendingAlf& alf, rules::Observations& into) {
  set_state(alf.key, alf.text, is_active(alf.state), alf.state == 'A' || alf.state == 'O',
            alf.state, alf.t_s, into);
}

// ALC lists the active alerts every 30 s. An alert no ALF or ALR has told of (its ALF lost on
// the way) is raised when a list names it and cleared by the first whole list that does not;
// alerts an ALF or ALR told of follow those sentences only.
void SentenceObserver::take_alert_list(const n0183::RawSentence& s, double t_s,
                                       rules::Observations& into) {
  const std::string talker(s.talker());
  const auto integer = [&](std::size_t f) {
    int v = -1;
    const std::string_view text = s.field(f);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    return ec == std::errc() && end == text.data() + text.size() ? v : -1;
  };
  const int total = integer(1);
  const int number = integer(2);
  if (number < 1 || total < number) {
    problem("observe.sentences.alerts: an ALC without its sentence numbers");
    return;
  }
  auto& listed = cycle_[talker];
  if (number == 1) listed.clear();
  for (std::size_t f = 5; f + 3 <= s.field_count(); f += 4) {
    if (s.field(f + 1).empty()) continue;
    const std::string key = talker + "|" + std::string(s.field(f)) + "|" +
                            std::string(s.field(f + 1)) + "|" + std::string(s.field(f + 2));
    listed.push_back(key);
    auto [it, fresh] = alerts_.try_emplace(key);
    Known& k = it->second;
    if (k.state != 0 || k.active) continue;  // told of by an ALF or ALR, or already raised
    AlertText text;
    text.id = std::string(s.field(f + 1));
    text.instance = std::string(s.field(f + 2));
    if (!words_of(text, k)) continue;
    change(k, t_s, rules::AlertChange::kRaised, into);
    k.active = true;
    k.from_list = true;
  }
  if (number != total) return;  // the cycle goes on
  for (auto& [key, k] : alerts_) {
    if (!k.from_list || !k.active || !key.starts_with(talker + "|")) continue;
    if (std::find(listed.begin(), listed.end(), key) != listed.end()) continue;
    change(k, t_s, rules::AlertChange::kCleared, into);
    k.active = false;
  }
}

void SentenceObserver::finish(rules::Observations& into) {
  for (const auto& [talker, p] : pending_) alf_complete(p, into);
  pending_.clear();
}

std::vector<SentenceObserver::Problem> SentenceObserver::problems() const {
  std::vector<Problem> out;
  for (const auto& [what, count] : problems_) {
    const auto cut = what.find('\n');
    out.push_back({what.substr(0, cut), count, what.substr(cut + 1)});
  }
  const bool drop = maps_.alerts && maps_.alerts->drop_unmapped;
  for (const auto& [word, count] : unmapped_) {
    out.push_back({"observe.sentences.alerts.vocabulary." + word.first +
                       ": no entry maps the twin's word \"" + word.second + "\" (" +
                       (drop ? "dropped" : "kept as it is") + ")",
                   count, "alerts"});
  }
  return out;
}

std::optional<std::vector<std::string>> sentence_field_names(std::string_view formatter) {
  const auto* type = n0183::find_sentence_type(formatter);
  if (type == nullptr) return std::nullopt;
  // The typed decoder names its fields as it decodes: decode an empty sentence of the type, with
  // as many empty fields as it takes.
  std::string text = std::string(1, type->start) + "XX" + std::string(formatter);
  for (int fields = 0; fields < 64; ++fields) {
    if (const auto raw = n0183::parse_sentence(text, n0183::Mode::kLenient)) {
      if (auto named = type->describe(*raw, n0183::Mode::kLenient, nullptr)) {
        std::vector<std::string> names;
        for (auto& n : *named) names.push_back(std::move(n.name));
        return names;
      }
    }
    text += ',';
  }
  return std::vector<std::string>{};
}

std::vector<SentenceMapFindings> SentenceObserver::findings() const {
  return findings_;
}

}  // namespace twincert::harness
