#include "scraped_samples.h"

#include <stdexcept>

namespace strata::scrape {

std::string& ScrapedSamples::writableBytes() {
  if (!bytes_)
    bytes_ = std::make_shared<std::string>();
  else if (bytes_.use_count() > 1)  // a batch points into them: leave those bytes as they are
    bytes_ = std::make_shared<std::string>(*bytes_);
  return *bytes_;
}

void ScrapedSamples::add(std::string_view packed_labels, int64_t timestamp_ms, double value) {
  std::string& bytes = writableBytes();
  if (bytes.size() + packed_labels.size() > UINT32_MAX)
    throw std::length_error("a scrape's labels exceed 4 GB");
  items_.push_back({static_cast<uint32_t>(bytes.size()),
                    static_cast<uint32_t>(packed_labels.size()), timestamp_ms, value});
  bytes.append(packed_labels);
}

void ScrapedSamples::append(const ScrapedSamples& other) {
  if (other.empty()) return;
  reserve(size() + other.size(), (bytes_ ? bytes_->size() : 0) + other.bytes_->size());
  for (size_t i = 0; i < other.size(); ++i) {
    SampleRef s = other.at(i);
    add(s.labels, s.timestamp_ms, s.value);
  }
}

ScrapedSamples ScrapedSamples::tail(size_t first) const {
  ScrapedSamples out;
  for (size_t i = first; i < size(); ++i) {
    SampleRef s = at(i);
    out.add(s.labels, s.timestamp_ms, s.value);
  }
  return out;
}

void ScrapedSamples::reserve(size_t samples, size_t label_bytes) {
  items_.reserve(samples);
  writableBytes().reserve(label_bytes);
}

void ScrapedSamples::clear() {
  bytes_.reset();
  items_.clear();
}

SampleRef ScrapedSamples::at(size_t i) const {
  const Item& it = items_[i];
  return {std::string_view(*bytes_).substr(it.offset, it.size), it.timestamp_ms, it.value};
}

}  // namespace strata::scrape
