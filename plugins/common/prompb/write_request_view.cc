#include "prompb/write_request_view.h"

#include "prompb/wire_reader.h"

namespace strata::prompb {
namespace {

// Field numbers of types.proto / remote.proto.
constexpr uint32_t kRequestTimeseries = 1, kRequestMetadata = 3;
constexpr uint32_t kSeriesLabels = 1, kSeriesSamples = 2, kSeriesExemplars = 3,
                   kSeriesHistograms = 4;
constexpr uint32_t kLabelName = 1, kLabelValue = 2;
constexpr uint32_t kSampleValue = 1, kSampleTimestamp = 2;
constexpr uint32_t kMetaType = 1, kMetaFamily = 2, kMetaHelp = 4, kMetaUnit = 5;

bool parseMetadata(std::string_view in, ParsedWriteRequest::Metadata* out) {
  WireReader r(in);
  *out = {};
  while (!r.done()) {
    uint32_t field, type;
    if (!r.tag(&field, &type)) return false;
    if (type == kVarint && field == kMetaType) {
      uint64_t u;
      if (!r.varint(&u)) return false;
      out->type = static_cast<uint32_t>(u);
    } else if (type == kLen && (field == kMetaFamily || field == kMetaHelp || field == kMetaUnit)) {
      std::string_view* dst = field == kMetaFamily ? &out->family
                              : field == kMetaHelp ? &out->help
                                                   : &out->unit;
      if (!r.bytes(dst)) return false;
    } else if (!r.skip(type)) {
      return false;
    }
  }
  return true;
}

bool parseLabel(std::string_view in, LabelView* out) {
  WireReader r(in);
  *out = {};
  while (!r.done()) {
    uint32_t field, type;
    if (!r.tag(&field, &type)) return false;
    if (type == kLen && field == kLabelName) {
      if (!r.bytes(&out->first)) return false;
    } else if (type == kLen && field == kLabelValue) {
      if (!r.bytes(&out->second)) return false;
    } else if (!r.skip(type)) {
      return false;
    }
  }
  return true;
}

bool parseSample(std::string_view in, int64_t* t, double* v) {
  WireReader r(in);
  *t = 0;
  *v = 0;
  while (!r.done()) {
    uint32_t field, type;
    if (!r.tag(&field, &type)) return false;
    if (type == kFixed64 && field == kSampleValue) {
      if (!r.fixed64AsDouble(v)) return false;
    } else if (type == kVarint && field == kSampleTimestamp) {
      uint64_t u;
      if (!r.varint(&u)) return false;
      *t = static_cast<int64_t>(u);
    } else if (!r.skip(type)) {
      return false;
    }
  }
  return true;
}

bool parseSeries(std::string_view in, ParsedWriteRequest* out) {
  WireReader r(in);
  ParsedWriteRequest::Series s;
  s.label_begin = static_cast<uint32_t>(out->labels.size());
  s.sample_begin = static_cast<uint32_t>(out->timestamps.size());
  while (!r.done()) {
    uint32_t field, type;
    if (!r.tag(&field, &type)) return false;
    std::string_view body;
    if (type != kLen) {
      if (!r.skip(type)) return false;
      continue;
    }
    if (!r.bytes(&body)) return false;
    switch (field) {
      case kSeriesLabels: {
        LabelView l;
        if (!parseLabel(body, &l)) return false;
        out->labels.push_back(l);
        break;
      }
      case kSeriesSamples: {
        int64_t t;
        double v;
        if (!parseSample(body, &t, &v)) return false;
        out->timestamps.push_back(t);
        out->values.push_back(v);
        break;
      }
      case kSeriesExemplars:
        ++out->exemplars;
        break;
      case kSeriesHistograms:
        ++out->histograms;
        break;
      default:
        break;  // an unknown length-delimited field: already skipped
    }
  }
  s.label_count = static_cast<uint32_t>(out->labels.size() - s.label_begin);
  s.sample_count = static_cast<uint32_t>(out->timestamps.size() - s.sample_begin);
  out->series.push_back(s);
  return true;
}

}  // namespace

void ParsedWriteRequest::clear() {
  series.clear();
  labels.clear();
  timestamps.clear();
  values.clear();
  metadata.clear();
  exemplars = histograms = 0;
}

bool parseWriteRequest(std::string_view raw, ParsedWriteRequest* out) {
  out->clear();
  WireReader r(raw);
  while (!r.done()) {
    uint32_t field, type;
    if (!r.tag(&field, &type)) return false;
    if (type == kLen && field == kRequestTimeseries) {
      std::string_view body;
      if (!r.bytes(&body) || !parseSeries(body, out)) return false;
    } else if (type == kLen && field == kRequestMetadata) {
      std::string_view body;
      ParsedWriteRequest::Metadata m;
      if (!r.bytes(&body) || !parseMetadata(body, &m)) return false;
      out->metadata.push_back(m);
    } else if (!r.skip(type)) {
      return false;
    }
  }
  return true;
}

}  // namespace strata::prompb
