// What a twin says in the sentences it emits (adapter key observe.sentences,
// docs/formats/adapter.md): named values from typed sentence fields (HDT heading, RMC position,
// VTG speed, DPT depth, ...) in the truth's units, and alerts from IEC 61162-1 alert sentences —
// ALR (legacy alarms), ALF (bridge alert management: state, acknowledgement), ALC (the cyclic
// list of active alerts), ACN (acknowledge commands) and ARC (refused commands) — read into the
// truth's words through the same vocabularies as alerts polled over HTTP.
//
// The configuration is read once by load_adapter(); a SentenceObserver applies it to every line
// the twin emits, on whatever transport (UDP, 450 multicast, TCP) the observer took it from. The
// lines are untrusted: a line that does not parse, a field that cannot be read or an alert
// sentence without the fields it needs is counted, never a crash. No I/O, no clock: the caller
// gives each line its time on the scenario's time line.
// Configuration values are thread-compatible; a SentenceObserver is not thread-safe (one owner,
// the observer's I/O thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twincert/harness/mapping.hpp"
#include "twincert/protocols/nmea0183/sentence.hpp"
#include "twincert/rules/model.hpp"

namespace twincert::harness {

// Where a value is in a sentence: a field of the typed decoder by name ("heading_true_deg",
// "latitude": signed degrees) or by its position (1-based, read as a plain decimal number).
struct SentenceField {
  std::string name;        // empty: by position
  std::size_t number = 0;  // 1.. when by position
};

// One named value from a sentence type: its field (or two, combined), what it becomes in the
// truth's unit, and optionally a field that must hold a given text (RMC status "A": a valid fix).
struct SentenceValueMap {
  std::string name;       // a truth quantity ("heading_deg")
  std::string talker;     // "HE": only this talker; empty: any
  std::string formatter;  // "HDT"
  SentenceField field;
  SentenceField second;  // with combine
  Combine combine = Combine::kNone;
  std::optional<SentenceField> when_field;
  std::string when_equals;
  ValueTransform transform;
};

// Which part of an alert sentence gives a word: the alert's identifier as transmitted (ALR
// field 2, ALF/ACN/ARC/ALC identifier), its instance, its title (ALF sentence 1 text, ALR text)
// or its description (ALF sentence 2 text, ALR text).
enum class AlertPart : std::uint8_t { kId, kInstance, kTitle, kDescription };

struct SentenceAlerts {
  std::vector<std::string> from = {"ALR", "ALF", "ALC", "ACN", "ARC"};  // formatters taken
  AlertPart condition = AlertPart::kTitle;
  AlertPart subject = AlertPart::kDescription;
  std::optional<std::string> subject_constant;  // every alert is about this
  std::vector<WordRule> conditions;             // vocabulary; empty: the twin's words as they are
  std::vector<WordRule> subjects;
  bool drop_unmapped = false;
};

struct SentenceMaps {
  std::vector<SentenceValueMap> values;
  std::optional<SentenceAlerts> alerts;
};

// "id", "instance", "title", "description"; nullopt for another word.
std::optional<AlertPart> alert_part_named(std::string_view word);

// The names the typed decoder gives the fields of a sentence type ("HDT": heading_true_deg),
// for checking an adapter; nullopt when twincert has no typed decoder for it.
std::optional<std::vector<std::string>> sentence_field_names(std::string_view formatter);

// Where a value map reads, as findings and `adapter check` name it: "HDT heading_true_deg",
// "DPT field 1 field 2".
std::string describe_fields(const SentenceValueMap& m);

// What the sentence maps found over a case, for problems() and `twincert adapter check`.
struct SentenceMapFindings {
  std::string key;       // "observe.sentences.values.heading_deg.field"
  std::string field;     // "HDT heading_true_deg"
  std::string unit;      // the twin's unit, "" when none given
  std::string affects;   // the value's name, or "alerts"
  std::size_t seen = 0;  // sentences of its type (and talker) seen
  std::size_t found = 0;
  std::size_t nulls = 0;   // the field empty (the twin does not know the value)
  std::size_t absent = 0;  // no such field, or not readable as a number
};

class SentenceObserver {
 public:
  explicit SentenceObserver(SentenceMaps maps);

  // One sentence the twin emitted (the line after its tag block, with or without CR LF), at
  // `t_s` on the scenario's time line; what it says goes into `into`. Never throws on bad input.
  void take(std::string_view sentence, double t_s, rules::Observations& into);
  // Ends the case: an ALF whose second sentence never came is taken as it is.
  void finish(rules::Observations& into);

  // Problems as (what, count, misbehaviour): unreadable alert sentences, words no vocabulary
  // entry maps (observe.sentences.alerts.vocabulary.*), commands the twin refused (ARC).
  struct Problem {
    std::string what;
    std::size_t count = 0;
    std::string affects;  // "alerts", or a value's name
  };
  std::vector<Problem> problems() const;
  std::vector<SentenceMapFindings> findings() const;

 private:
  struct Known {
    bool active = false;
    char state = 0;  // the last ALF state letter, or A/V of ALR's acknowledged field
    bool acknowledged = false;
    bool from_list = false;  // raised by an ALC, not by an ALF or ALR
    std::string condition;
    std::vector<std::string> subjects;
  };
  struct AlertText {  // the words of one alert sentence (pair)
    std::string id;
    std::string instance;
    std::string title;
    std::string description;
  };
  struct PendingAlf {
    std::string key;
    AlertText text;
    char state = 0;
    double t_s = 0.0;
    int sequence = -1;
  };

  class Fields;  // a sentence's fields, decoded once however many maps read them
  void take_value(std::size_t i, Fields& fields, double t_s, rules::Observations& into);
  void take_alert_sentence(const nmea0183::RawSentence& s, double t_s, rules::Observations& into);
  void take_alert_list(const nmea0183::RawSentence& s, double t_s, rules::Observations& into);
  void alf_complete(const PendingAlf& alf, rules::Observations& into);
  void set_state(const std::string& key, const AlertText& text, bool active, bool acknowledged,
                 char state, double t_s, rules::Observations& into);
  bool words_of(const AlertText& text, Known& into);
  static void change(const Known& k, double t_s, rules::AlertChange c, rules::Observations& into);
  void problem(const std::string& what, const std::string& affects = "alerts");

  SentenceMaps maps_;
  std::map<std::string, Known> alerts_;  // by talker, manufacturer, identifier and instance
  std::map<std::string, PendingAlf> pending_;
  // ALC: the identities listed in the cycle being received, by talker.
  std::map<std::string, std::vector<std::string>> cycle_;
  std::map<std::string, std::size_t> problems_;
  std::map<std::pair<std::string, std::string>, std::size_t> unmapped_;
  std::vector<SentenceMapFindings> findings_;  // one per value map, in order
};

}  // namespace twincert::harness
