#include "wal/wal_codec.h"

#include <cstring>

namespace strata::block_store::wal {
namespace {

void putBe(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t getBe(std::string_view in, size_t pos, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(in[pos + i]);
  return v;
}
void putVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
bool getVarint(std::string_view in, size_t* pos, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *pos < in.size(); shift += 7) {
    uint8_t b = static_cast<uint8_t>(in[(*pos)++]);
    *v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}
uint64_t zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t unzigzag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }
constexpr uint64_t kSignFlip = 1ULL << 63;

std::string tenantPart(char kind, std::string_view tenant) {
  std::string k(1, kind);
  k.append(tenant);
  k.push_back('\0');
  return k;
}

// Splits `<kind><tenant>\0<rest>`.
bool splitTenant(std::string_view key, char kind, std::string* tenant, std::string_view* rest) {
  if (key.empty() || key[0] != kind) return false;
  auto nul = key.find('\0', 1);
  if (nul == std::string_view::npos) return false;
  *tenant = std::string(key.substr(1, nul - 1));
  *rest = key.substr(nul + 1);
  return true;
}

}  // namespace

std::string seriesKey(std::string_view tenant, uint32_t ref) {
  std::string k = tenantPart('S', tenant);
  putBe(k, ref, 4);
  return k;
}

std::string samplesPrefix(std::string_view tenant) { return tenantPart('D', tenant); }

std::string samplesKey(std::string_view tenant, int64_t max_t, uint64_t seq) {
  std::string k = samplesPrefix(tenant);
  putBe(k, static_cast<uint64_t>(max_t) ^ kSignFlip, 8);
  putBe(k, seq, 8);
  return k;
}

std::string metaKey(std::string_view tenant) { return tenantPart('M', tenant); }

std::string encodeLabels(const tsdb::LabelSet& labels) {
  std::string out;
  putVarint(out, labels.size());
  for (const auto& [n, v] : labels) {
    putVarint(out, n.size());
    out += n;
    putVarint(out, v.size());
    out += v;
  }
  return out;
}

bool decodeLabels(std::string_view in, tsdb::LabelSet* out) {
  size_t pos = 0;
  uint64_t n;
  if (!getVarint(in, &pos, &n)) return false;
  out->clear();
  for (uint64_t i = 0; i < n; ++i) {
    std::string parts[2];
    for (auto& p : parts) {
      uint64_t len;
      if (!getVarint(in, &pos, &len) || len > in.size() - pos) return false;
      p = std::string(in.substr(pos, len));
      pos += len;
    }
    out->emplace_back(std::move(parts[0]), std::move(parts[1]));
  }
  return pos == in.size();
}

std::string encodeSamples(const std::vector<AppendRecord::RefSample>& samples) {
  // Runs of one ref: the count of runs, then per run its ref, length and samples (the format
  // predates the flat record; WALs written before read back the same).
  size_t runs = 0;
  for (size_t i = 0; i < samples.size(); ++i)
    runs += i == 0 || samples[i].ref != samples[i - 1].ref;
  std::string out;
  out.reserve(4 + samples.size() * 12);
  putVarint(out, runs);
  for (size_t i = 0; i < samples.size();) {
    size_t end = i + 1;
    while (end < samples.size() && samples[end].ref == samples[i].ref) ++end;
    putVarint(out, samples[i].ref);
    putVarint(out, end - i);
    int64_t prev = 0;
    for (; i < end; ++i) {
      putVarint(out, zigzag(samples[i].t - prev));
      prev = samples[i].t;
      uint64_t bits;
      std::memcpy(&bits, &samples[i].v, 8);
      putBe(out, bits, 8);
    }
  }
  return out;
}

bool decodeSamples(std::string_view in, std::vector<AppendRecord::RefSample>* out) {
  size_t pos = 0;
  uint64_t n;
  if (!getVarint(in, &pos, &n)) return false;
  out->clear();
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t ref, count;
    if (!getVarint(in, &pos, &ref) || !getVarint(in, &pos, &count)) return false;
    int64_t prev = 0;
    for (uint64_t k = 0; k < count; ++k) {
      uint64_t d;
      if (!getVarint(in, &pos, &d) || in.size() - pos < 8) return false;
      prev += unzigzag(d);
      uint64_t bits = getBe(in, pos, 8);
      pos += 8;
      double v;
      std::memcpy(&v, &bits, 8);
      out->push_back({static_cast<uint32_t>(ref), prev, v});
    }
  }
  return pos == in.size();
}

std::string encodeInt64(int64_t v) {
  std::string out;
  putBe(out, static_cast<uint64_t>(v) ^ kSignFlip, 8);
  return out;
}

bool decodeInt64(std::string_view in, int64_t* out) {
  if (in.size() != 8) return false;
  *out = static_cast<int64_t>(getBe(in, 0, 8) ^ kSignFlip);
  return true;
}

bool parseSeriesKey(std::string_view key, std::string* tenant, uint32_t* ref) {
  std::string_view rest;
  if (!splitTenant(key, 'S', tenant, &rest) || rest.size() != 4) return false;
  *ref = static_cast<uint32_t>(getBe(rest, 0, 4));
  return true;
}

bool parseSamplesKey(std::string_view key, std::string* tenant, uint64_t* seq) {
  std::string_view rest;
  if (!splitTenant(key, 'D', tenant, &rest) || rest.size() != 16) return false;
  *seq = getBe(rest, 8, 8);
  return true;
}

bool parseMetaKey(std::string_view key, std::string* tenant) {
  std::string_view rest;
  if (!splitTenant(key, 'M', tenant, &rest) || !rest.empty()) return false;
  return true;
}

}  // namespace strata::block_store::wal
