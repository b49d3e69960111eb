#include "timeseries_wire.h"

#include <cstring>
#include <string_view>

namespace strata::rwexporter {
namespace {

// Field keys: (field number << 3) | wire type (2: length-delimited, 1: fixed64, 0: varint).
constexpr uint8_t kTimeSeries = (1 << 3) | 2;
constexpr uint8_t kLabel = (1 << 3) | 2, kSample = (2 << 3) | 2;
constexpr uint8_t kLabelName = (1 << 3) | 2, kLabelValue = (2 << 3) | 2;
constexpr uint8_t kSampleValue = (1 << 3) | 1, kSampleTimestamp = (2 << 3) | 0;

size_t varintSize(uint64_t v) { return 1 + static_cast<size_t>(63 - __builtin_clzll(v | 1)) / 7; }

// A length-delimited field of `len` bytes: key, length, payload.
size_t fieldSize(size_t len) { return 1 + varintSize(len) + len; }

char* putVarint(char* out, uint64_t v) {
  while (v >= 0x80) {
    *out++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *out++ = static_cast<char>(v);
  return out;
}

char* putBytes(char* out, uint8_t key, const strata_str& s) {
  if (s.len == 0) return out;  // proto3 leaves out an empty field
  *out++ = static_cast<char>(key);
  out = putVarint(out, s.len);
  std::memcpy(out, s.data, s.len);
  return out + s.len;
}

size_t labelSize(const strata_label& l) {
  return (l.name.len ? fieldSize(l.name.len) : 0) + (l.value.len ? fieldSize(l.value.len) : 0);
}

uint64_t bitsOf(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

// proto3 leaves out the defaults: +0.0 (but not -0.0, whose bits are not 0) and timestamp 0.
size_t sampleSize(int64_t ts, double value) {
  return (bitsOf(value) != 0 ? 1 + 8 : 0) +
         (ts != 0 ? 1 + varintSize(static_cast<uint64_t>(ts)) : 0);
}

char* putSample(char* out, int64_t ts, double value) {
  *out++ = static_cast<char>(kSample);
  out = putVarint(out, sampleSize(ts, value));
  if (uint64_t bits = bitsOf(value); bits != 0) {
    *out++ = static_cast<char>(kSampleValue);
    std::memcpy(out, &bits, 8);  // little-endian hosts only (the ABI signature checks that)
    out += 8;
  }
  if (ts != 0) {
    *out++ = static_cast<char>(kSampleTimestamp);
    out = putVarint(out, static_cast<uint64_t>(ts));
  }
  return out;
}

std::string_view nameOf(const strata_label& l) { return {l.name.data, l.name.len}; }

// Calls f(label) for each label on the wire, in name order.
template <typename F>
void forEachLabel(const WireLabels& l, F f) {
  uint32_t i = 0, j = 0;
  while (i < l.own_count || j < l.added_count) {
    if (j == l.added_count || (i < l.own_count && nameOf(l.own[i]) < nameOf(l.added[j]))) {
      f(l.own[i++]);
    } else if (i == l.own_count || nameOf(l.added[j]) < nameOf(l.own[i])) {
      f(l.added[j++]);
    } else {  // the same name: the series' own value wins
      f(l.own[i++]);
      ++j;
    }
  }
}

}  // namespace

size_t labelsWireSize(const WireLabels& labels) {
  size_t n = 0;
  forEachLabel(labels, [&n](const strata_label& l) { n += fieldSize(labelSize(l)); });
  return n;
}

size_t samplesWireSize(const int64_t* ts, const double* values, uint32_t count) {
  size_t n = 0;
  for (uint32_t i = 0; i < count; ++i) n += fieldSize(sampleSize(ts[i], values[i]));
  return n;
}

size_t timeSeriesFieldSize(size_t labels_size, size_t samples_size) {
  return fieldSize(labels_size + samples_size);
}

char* writeTimeSeriesField(char* out, const WireLabels& labels, size_t labels_size,
                           const int64_t* ts, const double* values, uint32_t sample_count,
                           size_t samples_size) {
  *out++ = static_cast<char>(kTimeSeries);
  out = putVarint(out, labels_size + samples_size);
  forEachLabel(labels, [&out](const strata_label& l) {
    *out++ = static_cast<char>(kLabel);
    out = putVarint(out, labelSize(l));
    out = putBytes(out, kLabelName, l.name);
    out = putBytes(out, kLabelValue, l.value);
  });
  for (uint32_t i = 0; i < sample_count; ++i) out = putSample(out, ts[i], values[i]);
  return out;
}

}  // namespace strata::rwexporter
