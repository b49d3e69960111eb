// libFuzzer target: the remote write receiver's decoder, decodeWriteRequest (1.0) and
// decodeWriteV2Request (2.0), from the HTTP body on: bounded snappy, protobuf, label checks.
//
// The first input byte is a mode, the rest the payload:
//   bit 0  0 = remote write 1.0, 1 = 2.0
//   bit 1  0 = the payload is the HTTP body as sent (snappy is fuzzed too: corrupt data,
//            length bombs); 1 = the payload is the protobuf message and the harness
//            snappy-compresses it first, so mutations reach the protobuf and label checks
//   bit 2  1 = tight limits (series, labels, name/value lengths), else only the byte cap
//
// Invariants besides ASan/UBSan (and libFuzzer's -malloc_limit_mb, which turns a body that
// makes the decoder allocate what a snappy header claims into a crash):
//  - a refusal has a known reason and a message, and fills nothing a caller could emit;
//  - on success the batch holds exactly stats.samples samples, in at most stats.series series;
//    every series has sorted, unique, valid label names, a non-empty __name__, no empty
//    value (empty means absent), valid UTF-8, the stable hash of its labels, and stays within
//    the limits;
//  - what was accepted re-encodes (in the same version) to a body that decodes to the same
//    batch: labels, timestamps and value bits.
#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "prompb/label_check.h"
#include "prompb/snappy_body.h"
#include "prompb/write_request_decoder.h"
#include "prompb/write_request_encoder.h"
#include "prompb/write_v2_codec.h"

namespace {

namespace pb = strata::prompb;
using strata::sdk::BatchBuilder;
using strata::sdk::BatchView;
using strata::sdk::view;

const std::set<std::string> kReasons = {"snappy",
                                        "too_large",
                                        "protobuf",
                                        "too_many_series",
                                        "too_many_labels",
                                        "missing_metric_name",
                                        "invalid_label_name",
                                        "duplicate_label",
                                        "invalid_utf8",
                                        "label_name_too_long",
                                        "label_value_too_long",
                                        "bad_symbol_ref"};

bool decode(bool v2, std::string_view body, const pb::DecodeLimits& limits, BatchBuilder& out,
            pb::DecodeStats* stats, pb::DecodeError* error) {
  return v2 ? pb::decodeWriteV2Request(body, limits, out, stats, error)
            : pb::decodeWriteRequest(body, limits, out, stats, error);
}

void checkSeries(const BatchView& b, size_t i, const pb::DecodeLimits& limits) {
  const auto& s = b.series(i);
  const strata_label* l = b.labels(i);
  FUZZ_CHECK(s.sample_count > 0);
  if (limits.max_label_count) FUZZ_CHECK(s.label_count <= limits.max_label_count);
  bool has_name = false;
  for (uint32_t j = 0; j < s.label_count; ++j) {
    std::string_view n = view(l[j].name), v = view(l[j].value);
    FUZZ_CHECK(pb::validLabelName(n));
    FUZZ_CHECK(!v.empty());
    FUZZ_CHECK(pb::validUtf8(v));
    if (j > 0) FUZZ_CHECK(view(l[j - 1].name) < n);
    if (limits.max_label_name_length) FUZZ_CHECK(n.size() <= limits.max_label_name_length);
    if (limits.max_label_value_length) FUZZ_CHECK(v.size() <= limits.max_label_value_length);
    has_name |= n == "__name__";
  }
  FUZZ_CHECK(has_name);
  FUZZ_CHECK(s.hash == strata::sdk::labelsHash(l, s.label_count));
}

bool sameSeries(const BatchView& a, size_t i, const BatchView& b, size_t k) {
  const auto &sa = a.series(i), &sb = b.series(k);
  if (sa.label_count != sb.label_count || sa.sample_count != sb.sample_count) return false;
  for (uint32_t j = 0; j < sa.label_count; ++j)
    if (view(a.labels(i)[j].name) != view(b.labels(k)[j].name) ||
        view(a.labels(i)[j].value) != view(b.labels(k)[j].value))
      return false;
  return std::memcmp(a.timestamps(i), b.timestamps(k), sa.sample_count * sizeof(int64_t)) == 0 &&
         std::memcmp(a.values(i), b.values(k), sa.sample_count * sizeof(double)) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t mode = data[0];
  const bool v2 = mode & 1, wrap = mode & 2, tight = mode & 4;
  std::string_view payload(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string body = wrap ? pb::compress(payload) : std::string(payload);

  pb::DecodeLimits limits;
  limits.max_uncompressed_bytes = 1u << 20;
  if (tight) {
    limits.max_series = 4;
    limits.max_label_count = 6;
    limits.max_label_name_length = 16;
    limits.max_label_value_length = 24;
  }
  BatchBuilder out("tenant");
  pb::DecodeStats stats;
  pb::DecodeError error;
  if (!decode(v2, body, limits, out, &stats, &error)) {
    FUZZ_CHECK(kReasons.count(error.reason) == 1);
    FUZZ_CHECK(!error.message.empty());
    FUZZ_CHECK(out.seriesCount() == 0 && out.sampleCount() == 0);
    return 0;
  }
  FUZZ_CHECK(error.reason.empty());
  FUZZ_CHECK(out.sampleCount() == stats.samples);
  FUZZ_CHECK(out.seriesCount() <= stats.series);
  if (limits.max_series) FUZZ_CHECK(stats.series <= limits.max_series);

  strata::sdk::OwnedBatch batch(out.finish());
  BatchView b = batch.view();
  FUZZ_CHECK(b.tenant() == "tenant");
  for (size_t i = 0; i < b.seriesCount(); ++i) checkSeries(b, i, limits);

  // Round trip through our own encoder (what the remote write exporter sends).
  std::string again = v2 ? pb::encodeWriteV2Request(b) : pb::encodeWriteRequest(b);
  pb::DecodeLimits roomy;
  roomy.max_uncompressed_bytes = 64u << 20;
  BatchBuilder out2("tenant");
  pb::DecodeStats stats2;
  pb::DecodeError error2;
  FUZZ_CHECK(decode(v2, again, roomy, out2, &stats2, &error2));
  strata::sdk::OwnedBatch batch2(out2.finish());
  BatchView b2 = batch2.view();
  FUZZ_CHECK(b2.seriesCount() == b.seriesCount());
  FUZZ_CHECK(b2.sampleCount() == b.sampleCount());
  for (size_t i = 0; i < b.seriesCount(); ++i) FUZZ_CHECK(sameSeries(b, i, b2, i));
  return 0;
}
