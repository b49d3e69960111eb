// One scrape's output samples, compact: every sample's packed label set (packed_labels.h) back
// to back in one string, and per sample where its labels are, its timestamp and its value.
//
// Why not a vector of (std::string, ts, value): at 10,000 series that is 10,000 allocations and
// string headers, about 2.4 MB against 1.5 MB here; and a batch built from these samples can
// point its label views into the same bytes (labelBytes()) instead of copying them, while the
// receiver still holds the samples for a retry. The bytes are shared copy-on-write: adding to
// samples whose bytes a batch still holds copies them first, so a batch's views never move.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace strata::scrape {

// One sample, as views into its ScrapedSamples (valid until that is changed).
struct SampleRef {
  std::string_view labels;  // packed, sorted, __name__ included
  int64_t timestamp_ms;
  double value;
};

class ScrapedSamples {
 public:
  void add(std::string_view packed_labels, int64_t timestamp_ms, double value);
  // Appends `other`'s samples after these.
  void append(const ScrapedSamples& other);
  // The samples from `first` on, as samples of their own.
  ScrapedSamples tail(size_t first) const;
  void reserve(size_t samples, size_t label_bytes);
  void clear();

  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  SampleRef at(size_t i) const;
  void setValue(size_t i, double value) { items_[i].value = value; }
  // The label bytes every at(i).labels points into, for a batch to keep alive.
  std::shared_ptr<const std::string> labelBytes() const { return bytes_; }

 private:
  std::string& writableBytes();

  struct Item {
    uint32_t offset, size;  // of the packed labels in bytes_
    int64_t timestamp_ms;
    double value;
  };
  std::shared_ptr<std::string> bytes_;
  std::vector<Item> items_;
};

}  // namespace strata::scrape
