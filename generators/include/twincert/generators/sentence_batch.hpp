// The sentences of one sensor sample, in order. The strings are kept from one sample to the
// next, so that once they have grown to a sentence's length, encoding allocates nothing (at
// tens of thousands of sentences per simulated hour, allocation was a large share of the cost).
// Thread-compatible.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "twincert/protocols/nmea0183/fields.hpp"

namespace twincert::generators {

class SentenceBatch {
 public:
  using const_iterator = std::vector<std::string>::const_iterator;

  // Encodes a typed sentence with the given talker as the next sentence.
  template <class T>
  void add(const T& sentence, std::string_view talker) {
    nmea0183::encode_into(sentence, talker, next());
  }
  // Appends a sentence as given.
  void push(std::string_view sentence) { next().assign(sentence); }
  // A new, empty sentence to write into.
  std::string& next() {
    if (size_ == lines_.size()) lines_.emplace_back().reserve(nmea0183::kMaxSentenceLength);
    std::string& line = lines_[size_++];
    line.clear();
    return line;
  }
  // Forgets the sentences (keeping their storage).
  void clear() noexcept { size_ = 0; }

  const_iterator begin() const noexcept { return lines_.begin(); }
  const_iterator end() const noexcept {
    return lines_.begin() + static_cast<std::ptrdiff_t>(size_);
  }
  // A copy of the sentences (for tests and tools that keep them).
  std::vector<std::string> strings() const { return {begin(), end()}; }

  void swap(SentenceBatch& other) noexcept {
    lines_.swap(other.lines_);
    std::swap(size_, other.size_);
  }

 private:
  std::vector<std::string> lines_;
  std::size_t size_ = 0;
};

}  // namespace twincert::generators
