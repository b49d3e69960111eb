#include "packed_labels.h"

#include <cstdint>

namespace strata::scrape {
namespace {

size_t varintSize(uint64_t n) {
  size_t k = 1;
  for (; n >= 0x80; n >>= 7) ++k;
  return k;
}

void putString(std::string& out, std::string_view s) {
  uint64_t n = s.size();
  while (n >= 0x80) {
    out += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out += static_cast<char>(n);
  out.append(s);
}

bool getView(std::string_view& in, std::string_view* out) {
  uint64_t n = 0;
  for (int shift = 0;; shift += 7) {
    if (in.empty() || shift > 63) return false;
    auto b = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    n |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  if (n > in.size()) return false;
  *out = in.substr(0, n);
  in.remove_prefix(n);
  return true;
}

}  // namespace

std::string packLabels(const std::vector<relabel::Label>& labels) {
  size_t size = 0;
  for (const auto& l : labels)
    size += varintSize(l.name.size()) + l.name.size() + varintSize(l.value.size()) + l.value.size();
  std::string out;
  out.reserve(size);
  for (const auto& l : labels) {
    putString(out, l.name);
    putString(out, l.value);
  }
  return out;
}

bool nextPackedLabel(std::string_view& packed, std::string_view* name, std::string_view* value) {
  return !packed.empty() && getView(packed, name) && getView(packed, value);
}

std::vector<relabel::Label> unpackLabels(std::string_view packed) {
  std::vector<relabel::Label> out;
  std::string_view name, value;
  while (nextPackedLabel(packed, &name, &value))
    out.push_back({std::string(name), std::string(value)});
  return out;
}

}  // namespace strata::scrape
