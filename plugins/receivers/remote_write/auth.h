// Who may write: HTTP basic auth against SHA-256 password digests, and/or one bearer token.
// With neither configured every request is let through (TLS client certificates, if
// configured, are checked by the host before a request gets here).
//
// Basic auth users are stored as the lowercase hex SHA-256 of the password
// (`printf %s 'pass' | sha256sum`), never the password itself. Comparisons run in constant
// time, and an unknown user costs the same as a wrong password.
//
// THREAD: allowed() is const and safe to call concurrently.
#pragma once

#include <map>
#include <strata/sdk.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::remote_write {

struct AuthConfig {
  std::map<std::string, std::string> basic_users;  // user -> hex SHA-256 of the password
  std::string bearer_token;                        // already read from bearer_token_file
  bool enabled() const { return !basic_users.empty() || !bearer_token.empty(); }
};

class Authenticator {
 public:
  explicit Authenticator(AuthConfig config) : config_(std::move(config)) {}

  bool enabled() const { return config_.enabled(); }
  // Whether the request's Authorization header carries valid credentials.
  bool allowed(const strata_http_request* request) const;
  // WWW-Authenticate values for a 401 (one per configured scheme).
  std::vector<std::string> challenges() const;

 private:
  bool basicAllowed(std::string_view credentials) const;
  AuthConfig config_;
};

// Lowercase hex SHA-256 of `data`.
std::string sha256Hex(std::string_view data);
// Standard base64 (padding optional); false on a character outside the alphabet.
bool decodeBase64(std::string_view in, std::string* out);
// Equality whose running time depends only on the lengths.
bool constantTimeEqual(std::string_view a, std::string_view b);

}  // namespace strata::remote_write
