#include "twincert/protocols/nmea0183/lint.hpp"

#include <bit>
#include <utility>

#include "twincert/protocols/ais/messages.hpp"
#include "twincert/protocols/nmea0183/registry.hpp"
#include "twincert/protocols/nmea0183/tag_block.hpp"

namespace twincert::nmea0183 {

namespace {

template <class Map>
void add_all(Map& into, const Map& from) {
  for (const auto& [key, n] : from) into[key] += n;
}

template <class Map>
std::uint64_t sum(const Map& m) {
  std::uint64_t total = 0;
  for (const auto& [key, n] : m) total += n;
  return total;
}

std::string_view type_key(std::string_view address) {
  if (address.starts_with('P')) return address;
  return address.substr(address.size() >= 2 ? 2 : 0);
}

}  // namespace

std::uint64_t LintStats::error_count() const noexcept {
  std::uint64_t n = framer.drops;
  for (const auto& [type, t] : types) n += sum(t.errors);
  return n + sum(ais.errors);
}

std::uint64_t LintStats::warning_count() const noexcept {
  std::uint64_t n = 0;
  for (const auto& [type, t] : types) n += sum(t.warnings);
  return n;
}

void LintStats::merge(const LintStats& other) {
  for (const auto& [type, t] : other.types) {
    TypeStats& mine = types[type];
    mine.talkers.insert(t.talkers.begin(), t.talkers.end());
    mine.count += t.count;
    mine.valid += t.valid;
    mine.untyped += t.untyped;
    add_all(mine.errors, t.errors);
    add_all(mine.warnings, t.warnings);
  }
  add_all(dropped_bytes, other.dropped_bytes);
  framer.frames += other.framer.frames;
  framer.comment_lines += other.framer.comment_lines;
  framer.drops += other.framer.drops;
  framer.dropped_bytes += other.framer.dropped_bytes;
  add_all(ais.messages_by_type, other.ais.messages_by_type);
  add_all(ais.unsupported_by_type, other.ais.unsupported_by_type);
  add_all(ais.errors, other.ais.errors);
}

std::string guess_type(std::string_view frame) {
  if (frame.starts_with('\\')) {
    const auto close = frame.find('\\', 1);
    frame = close == std::string_view::npos ? std::string_view{} : frame.substr(close + 1);
  }
  if (frame.size() < 2) return "?";
  frame.remove_prefix(1);
  std::size_t n = 0;
  while (n < frame.size() && n < 8 &&
         ((frame[n] >= 'A' && frame[n] <= 'Z') || (frame[n] >= '0' && frame[n] <= '9'))) {
    ++n;
  }
  const std::string_view address = frame.substr(0, n);
  const bool ends_well = n == frame.size() || frame[n] == ',' || frame[n] == '*';
  if (!ends_well || (address.size() != 5 && !(address.starts_with('P') && address.size() >= 4))) {
    return "?";
  }
  return std::string(type_key(address));
}

class CaptureLinter::DropSink final : public ErrorSink {
 public:
  explicit DropSink(CaptureLinter& linter) : linter_(linter) {}
  void on_dropped(std::size_t byte_count, const ParseError& why) override {
    linter_.stats_.dropped_bytes[why.code] += byte_count;
    if (linter_.on_finding_) {
      linter_.on_finding_(LintFinding{why.offset, {}, why, false, byte_count});
    }
  }

 private:
  CaptureLinter& linter_;
};

CaptureLinter::CaptureLinter(Mode mode, std::function<void(const LintFinding&)> on_finding)
    : mode_(mode),
      on_finding_(std::move(on_finding)),
      sink_(std::make_unique<DropSink>(*this)),
      framer_(sink_.get()) {}

CaptureLinter::~CaptureLinter() = default;

void CaptureLinter::feed(std::string_view chunk) {
  while (!chunk.empty()) {
    const FeedResult r = framer_.feed(chunk);
    chunk.remove_prefix(r.consumed);
    if (r.status == FrameStatus::kComplete) {
      check_frame(framer_.frame(), framer_.frame_offset(), framer_.terminator());
    }
  }
  stats_.framer = framer_.stats();
}

void CaptureLinter::finish() {
  if (framer_.finish()) {
    check_frame(framer_.frame(), framer_.frame_offset(), framer_.terminator());
  }
  stats_.framer = framer_.stats();
}

// A capture repeats a handful of types in runs (a receiver's GGA, GSA, GSV, GSV, GSV, RMC...),
// so the last few looked up are tried before the map; std::map's nodes never move, so the
// pointers stay valid as types are added.
TypeStats& CaptureLinter::type_stats(std::string_view key) {
  for (const RecentType& recent : recent_types_) {
    if (recent.stats != nullptr && recent.key == key) return *recent.stats;
  }
  auto it = stats_.types.find(key);
  if (it == stats_.types.end()) it = stats_.types.emplace(std::string(key), TypeStats{}).first;
  RecentType& slot = recent_types_[next_recent_++ % recent_types_.size()];
  slot.key = it->first;
  slot.stats = &it->second;
  return it->second;
}

void CaptureLinter::check_frame(std::string_view frame, std::uint64_t offset,
                                Terminator terminator) {
  const auto report = [&](const ParseError& e, bool warning) {
    if (on_finding_) on_finding_(LintFinding{offset, frame, e, warning});
  };
  auto parsed = parse_tagged_sentence(frame, mode_);
  if (!parsed) {
    TypeStats& t = stats_.types[guess_type(frame)];
    ++t.count;
    ++t.errors[parsed.error().code];
    report(parsed.error(), false);
    return;
  }
  RawSentence& sentence = parsed->sentence;
  TypeStats& t = type_stats(type_key(sentence.address()));
  ++t.count;
  if (!t.talkers.contains(sentence.talker())) t.talkers.emplace(sentence.talker());

  // The framer strips CR LF; the standard requires exactly that terminator.
  Violations& v = sentence.violations();
  if (terminator != Terminator::kCrLf) {
    const auto e =
        make_error(ErrorCode::kMissingTerminator, frame.size(), 0,
                   terminator == Terminator::kNextStart ? "next sentence on the same line"
                                                        : "not ended by CR LF");
    if (auto error = breach(mode_, &v, e)) {
      ++t.errors[error->code];
      report(*error, false);
      return;
    }
  }

  const SentenceType* type =
      sentence.proprietary() ? nullptr : find_sentence_type(sentence.formatter());
  if (type == nullptr) {
    ++t.untyped;
    ++t.valid;
  } else if (auto decoded = type->validate(sentence, mode_, &v); !decoded) {
    ++t.errors[decoded.error().code];
    report(decoded.error(), false);
    return;
  } else {
    ++t.valid;
  }
  for (const ParseError& w : v.first()) report(w, true);
  for (std::uint64_t codes = v.codes(); codes != 0; codes &= codes - 1) {
    ++t.warnings[static_cast<ErrorCode>(std::countr_zero(codes))];
  }
  if (type != nullptr && sentence.start() == '!') check_ais(sentence, offset, frame);
}

void CaptureLinter::check_ais(const RawSentence& sentence, std::uint64_t offset,
                              std::string_view frame) {
  const auto problem = [&](const ParseError& e) {
    ++stats_.ais.errors[e.code];
    if (on_finding_) on_finding_(LintFinding{offset, frame, e, false});
  };
  auto fragment = ais::fragment_of(sentence);
  if (!fragment) return problem(fragment.error());
  auto outcome = assembler_.add(*fragment);
  if (outcome.problem) problem(*outcome.problem);
  if (!outcome.message) return;
  auto bits = ais::dearmor(outcome.message->payload, outcome.message->fill_bits);
  if (!bits) return problem(bits.error());
  auto message = ais::decode_message(*bits);
  if (message) {
    ++stats_.ais.messages_by_type[static_cast<int>(bits->get(0, 6))];
  } else if (message.error().code == ErrorCode::kUnsupportedAisType) {
    ++stats_.ais.unsupported_by_type[static_cast<int>(bits->get(0, 6))];
  } else {
    problem(message.error());
  }
}

}  // namespace twincert::nmea0183
