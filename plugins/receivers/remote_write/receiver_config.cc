#include "receiver_config.h"

#include <cctype>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace strata::remote_write {
namespace {

struct Problem {
  std::string path, message;
};

void checkTls(const sdk::ConfigView& tls, ReceiverConfig* c, std::vector<Problem>& problems) {
  c->tls_cert_file = tls["cert_file"].asString();
  c->tls_key_file = tls["key_file"].asString();
  c->tls_client_ca_file = tls["client_ca_file"].asString();
  if (!c->tls_cert_file.empty() && c->tls_key_file.empty())
    problems.push_back({"tls_config.key_file", "tls_config.key_file: needed with cert_file"});
  if (c->tls_cert_file.empty() && !c->tls_key_file.empty())
    problems.push_back({"tls_config.cert_file", "tls_config.cert_file: needed with key_file"});
  if (c->tls_cert_file.empty() && !c->tls_client_ca_file.empty())
    problems.push_back({"tls_config.client_ca_file",
                        "tls_config.client_ca_file: client certificates need TLS; set "
                        "cert_file and key_file too"});
}

bool isSha256Hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char ch : s)
    if (!std::isxdigit(static_cast<unsigned char>(ch))) return false;
  return true;
}

void checkAuth(const sdk::ConfigView& config, ReceiverConfig* c, std::vector<Problem>& problems) {
  for (const auto& [user, digest] : config["basic_auth_users"].asStringMap()) {
    std::string path = "basic_auth_users." + user;
    if (user.empty() || user.find(':') != std::string::npos)
      problems.push_back({path, path + ": a user name must be non-empty and without ':'"});
    if (!isSha256Hex(digest)) {
      problems.push_back({path, path + ": must be the hex SHA-256 of the password (64 hex digits, "
                                       "e.g. from `printf %s 'password' | sha256sum`)"});
      continue;
    }
    std::string lower = digest;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    c->auth.basic_users[user] = lower;
  }
  c->auth.bearer_token = config["bearer_token"].asString();
  if (!c->auth.bearer_token.empty() && !config["bearer_token_file"].asString().empty())
    problems.push_back({"bearer_token_file",
                        "bearer_token_file: set bearer_token or "
                        "bearer_token_file, not both"});
}

// The first line of the token file, without trailing blanks (as Prometheus reads it).
std::string readToken(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::invalid_argument("bearer_token_file: cannot read " + file);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  if (line.empty()) throw std::invalid_argument("bearer_token_file: " + file + " is empty");
  return line;
}

std::vector<Problem> check(const sdk::ConfigView& config, ReceiverConfig* out) {
  std::vector<Problem> problems;
  ReceiverConfig c;
  c.listen_address = config["listen_address"].asString(c.listen_address);
  c.tenant_header = config["tenant_header"].asString(c.tenant_header);
  c.default_tenant = config["default_tenant"].asString(c.default_tenant);
  auto nonNegative = [&](const char* name, int64_t fallback, size_t* field) {
    int64_t v = config[name].asInt(fallback);
    if (v < 0)
      problems.push_back({name, std::string(name) + ": must not be negative"});
    else
      *field = static_cast<size_t>(v);
  };
  nonNegative("max_body_bytes", 32 << 20, &c.limits.max_uncompressed_bytes);
  if (c.limits.max_uncompressed_bytes == 0)
    problems.push_back({"max_body_bytes", "max_body_bytes: must be positive"});
  nonNegative("max_series_per_request", 0, &c.limits.max_series);
  nonNegative("max_label_count", 0, &c.limits.max_label_count);
  nonNegative("max_label_value_length", 0, &c.limits.max_label_value_length);
  std::string ack = config["ack"].asString("accepted");
  if (ack != "accepted" && ack != "delivered")
    problems.push_back({"ack", "ack: must be accepted or delivered, not \"" + ack + "\""});
  c.ack_on_delivery = ack == "delivered";
  checkTls(config["tls_config"], &c, problems);
  checkAuth(config, &c, problems);
  if (c.listen_address.find(':') == std::string::npos)
    problems.push_back({"listen_address", "listen_address: must be host:port"});
  *out = c;
  return problems;
}

}  // namespace

ReceiverConfig ReceiverConfig::parse(const sdk::ConfigView& config) {
  ReceiverConfig c;
  auto problems = check(config, &c);
  if (!problems.empty()) throw std::invalid_argument(problems.front().message);
  std::string token_file = config["bearer_token_file"].asString();
  if (!token_file.empty()) c.auth.bearer_token = readToken(token_file);
  return c;
}

void validateConfig(const sdk::ConfigView& config, strata_diag_sink* sink) {
  ReceiverConfig c;
  for (const auto& p : check(config, &c)) sink->report(sink, p.path.c_str(), p.message.c_str());
}

}  // namespace strata::remote_write
