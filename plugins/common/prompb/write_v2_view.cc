#include "prompb/write_v2_view.h"

#include "prompb/wire_reader.h"

namespace strata::prompb {
namespace {

// Field numbers of proto/write_v2.proto.
constexpr uint32_t kRequestSymbols = 4, kRequestTimeseries = 5;
constexpr uint32_t kSeriesLabelsRefs = 1, kSeriesSamples = 2, kSeriesHistograms = 3,
                   kSeriesExemplars = 4, kSeriesMetadata = 5;
constexpr uint32_t kExemplarLabelsRefs = 1;
constexpr uint32_t kSampleValue = 1, kSampleTimestamp = 2;
constexpr uint32_t kMetaType = 1, kMetaHelpRef = 3, kMetaUnitRef = 4;

// One element of a repeated uint32 field, `type` being how it came: a varint (unpacked) or a
// length-delimited run of varints (packed). `out` may be null (validation only). Values keep
// their low 32 bits, as protobuf's uint32 does.
bool repeatedUint32(WireReader& r, uint32_t type, std::vector<uint32_t>* out) {
  uint64_t u;
  if (type == kVarint) {
    if (!r.varint(&u)) return false;
    if (out) out->push_back(static_cast<uint32_t>(u));
    return true;
  }
  std::string_view packed;
  if (!r.bytes(&packed)) return false;
  WireReader p(packed);
  while (!p.done()) {
    if (!p.varint(&u)) return false;
    if (out) out->push_back(static_cast<uint32_t>(u));
  }
  return true;
}

bool isRepeatedUint32(uint32_t type) { return type == kVarint || type == kLen; }

// A varint field read into its low 32 bits (uint32 and enum fields).
bool uint32Field(WireReader& r, uint32_t* out) {
  uint64_t u;
  if (!r.varint(&u)) return false;
  *out = static_cast<uint32_t>(u);
  return true;
}

// Merges one occurrence of Metadata into `s`: fields present override, as protobuf does.
bool parseMetadata(std::string_view in, ParsedWriteV2Request::Series* s) {
  WireReader r(in);
  while (!r.done()) {
    uint32_t field, type;
    if (!r.tag(&field, &type)) return false;
    bool ok = type != kVarint         ? r.skip(type)
              : field == kMetaType    ? uint32Field(r, &s->type)
              : field == kMetaHelpRef ? uint32Field(r, &s->help_ref)
              : field == kMetaUnitRef ? uint32Field(r, &s->unit_ref)
                                      : r.skip(type);
    if (!ok) return false;
  }
  s->has_metadata = true;
  return true;
}

// An Exemplar is only counted, but must be well-formed for the request to be.
bool checkExemplar(std::string_view in) {
  WireReader r(in);
  while (!r.done()) {
    uint32_t field, type;
    if (!r.tag(&field, &type)) return false;
    bool ok = field == kExemplarLabelsRefs && isRepeatedUint32(type)
                  ? repeatedUint32(r, type, nullptr)
                  : r.skip(type);
    if (!ok) return false;
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

// The series' length-delimited fields but labels_refs (which may come packed).
bool seriesField(uint32_t field, std::string_view body, ParsedWriteV2Request::Series* s,
                 ParsedWriteV2Request* out) {
  switch (field) {
    case kSeriesSamples: {
      int64_t t;
      double v;
      if (!parseSample(body, &t, &v)) return false;
      out->timestamps.push_back(t);
      out->values.push_back(v);
      return true;
    }
    case kSeriesHistograms:  // declared as bytes: counted, never parsed
      ++out->histograms;
      return true;
    case kSeriesExemplars:
      if (!checkExemplar(body)) return false;
      ++out->exemplars;
      return true;
    case kSeriesMetadata:
      return parseMetadata(body, s);
    default:
      return true;  // an unknown length-delimited field: already skipped
  }
}

bool parseSeries(std::string_view in, ParsedWriteV2Request* out) {
  WireReader r(in);
  ParsedWriteV2Request::Series s;
  s.ref_begin = static_cast<uint32_t>(out->label_refs.size());
  s.sample_begin = static_cast<uint32_t>(out->timestamps.size());
  while (!r.done()) {
    uint32_t field, type;
    if (!r.tag(&field, &type)) return false;
    if (field == kSeriesLabelsRefs && isRepeatedUint32(type)) {
      if (!repeatedUint32(r, type, &out->label_refs)) return false;
      continue;
    }
    if (type != kLen) {
      if (!r.skip(type)) return false;
      continue;
    }
    std::string_view body;
    if (!r.bytes(&body) || !seriesField(field, body, &s, out)) return false;
  }
  s.ref_count = static_cast<uint32_t>(out->label_refs.size() - s.ref_begin);
  s.sample_count = static_cast<uint32_t>(out->timestamps.size() - s.sample_begin);
  out->series.push_back(s);
  return true;
}

}  // namespace

void ParsedWriteV2Request::clear() {
  symbols.clear();
  series.clear();
  label_refs.clear();
  timestamps.clear();
  values.clear();
  exemplars = histograms = v1_fields = 0;
}

bool parseWriteV2Request(std::string_view raw, ParsedWriteV2Request* out) {
  out->clear();
  WireReader r(raw);
  while (!r.done()) {
    uint32_t field, type;
    if (!r.tag(&field, &type)) return false;
    if (type != kLen) {
      if (!r.skip(type)) return false;
      continue;
    }
    std::string_view body;
    if (!r.bytes(&body)) return false;
    if (field == kRequestSymbols) {
      out->symbols.push_back(body);
    } else if (field == kRequestTimeseries) {
      if (!parseSeries(body, out)) return false;
    } else if (field >= 1 && field <= 3) {
      ++out->v1_fields;  // declared as bytes in write_v2.proto, so never parsed
    }
  }
  return true;
}

}  // namespace strata::prompb
