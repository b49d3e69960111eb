#include "queue_entry.h"

#include <cstring>

namespace strata::rwexporter {
namespace {

constexpr uint8_t kVersion = 1;
constexpr size_t kHeaderBytes = 1 + 4 + 4 + 4 + 8 + 8;

template <typename T>
void put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof v);  // little-endian hosts only (the ABI signature checks that)
  out.append(b, sizeof b);
}
template <typename T>
T get(const char*& p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return v;
}

}  // namespace

std::string entryKey(uint64_t seq) {
  std::string k(9, '\0');
  k[0] = kEntryPrefix;
  for (int i = 0; i < 8; ++i) k[1 + i] = static_cast<char>((seq >> (56 - 8 * i)) & 0xff);
  return k;
}

bool parseEntryKey(std::string_view key, uint64_t* seq) {
  if (key.size() != 9 || key[0] != kEntryPrefix) return false;
  uint64_t s = 0;
  for (int i = 0; i < 8; ++i) s = (s << 8) | static_cast<uint8_t>(key[1 + i]);
  *seq = s;
  return true;
}

std::string encodeEntryHeader(const EntryHeader& h) {
  std::string out;
  out.reserve(kHeaderBytes);
  out.push_back(static_cast<char>(kVersion));
  put(out, h.shard);
  put(out, h.shard_count);
  put(out, h.samples);
  put(out, h.min_ts);
  put(out, h.max_ts);
  return out;
}

std::string encodeEntry(const EntryHeader& h, std::string_view payload) {
  std::string out;
  out.reserve(kHeaderBytes + payload.size());
  out.append(encodeEntryHeader(h));
  out.append(payload);
  return out;
}

bool decodeEntry(std::string_view value, EntryHeader* h, std::string_view* payload) {
  if (value.size() < kHeaderBytes || static_cast<uint8_t>(value[0]) != kVersion) return false;
  const char* p = value.data() + 1;
  h->shard = get<uint32_t>(p);
  h->shard_count = get<uint32_t>(p);
  h->samples = get<uint32_t>(p);
  h->min_ts = get<int64_t>(p);
  h->max_ts = get<int64_t>(p);
  *payload = value.substr(kHeaderBytes);
  return true;
}

}  // namespace strata::rwexporter
