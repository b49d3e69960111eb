#include "auth.h"

#include <openssl/evp.h>

#include <cctype>
#include <vector>

namespace strata::remote_write {
namespace {

bool startsWithScheme(std::string_view header, std::string_view scheme, std::string_view* rest) {
  if (header.size() <= scheme.size() || header[scheme.size()] != ' ') return false;
  for (size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != scheme[i]) return false;
  std::string_view r = header.substr(scheme.size() + 1);
  while (!r.empty() && r.front() == ' ') r.remove_prefix(1);
  while (!r.empty() && r.back() == ' ') r.remove_suffix(1);
  *rest = r;
  return true;
}

int base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

bool decodeBase64(std::string_view in, std::string* out) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  out->clear();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = base64Value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return bits < 6;  // a single leftover sextet is not valid base64
}

bool constantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool Authenticator::basicAllowed(std::string_view credentials) const {
  std::string decoded;
  if (!decodeBase64(credentials, &decoded)) return false;
  auto colon = decoded.find(':');
  if (colon == std::string::npos) return false;
  std::string user = decoded.substr(0, colon);
  std::string digest = sha256Hex(std::string_view(decoded).substr(colon + 1));
  auto it = config_.basic_users.find(user);
  // An unknown user is compared against a digest no password has, so it takes as long.
  static const std::string kNoUser(64, 'x');
  bool match = constantTimeEqual(digest, it == config_.basic_users.end() ? kNoUser : it->second);
  return match && it != config_.basic_users.end();
}

bool Authenticator::allowed(const strata_http_request* request) const {
  if (!enabled()) return true;
  std::string_view header = sdk::header(request, "Authorization");
  std::string_view rest;
  if (!config_.basic_users.empty() && startsWithScheme(header, "basic", &rest))
    return basicAllowed(rest);
  if (!config_.bearer_token.empty() && startsWithScheme(header, "bearer", &rest))
    return constantTimeEqual(rest, config_.bearer_token);
  return false;
}

std::vector<std::string> Authenticator::challenges() const {
  std::vector<std::string> out;
  if (!config_.basic_users.empty()) out.push_back("Basic realm=\"strata\"");
  if (!config_.bearer_token.empty()) out.push_back("Bearer realm=\"strata\"");
  return out;
}

}  // namespace strata::remote_write
