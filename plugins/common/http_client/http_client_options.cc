#include "http_client_options.h"

#include <fstream>
#include <stdexcept>

namespace strata::http_client {
namespace {

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

struct Report {
  const std::string& prefix;
  std::vector<Problem>* out;
  void operator()(const std::string& path, const std::string& message) const {
    out->push_back({prefix + path, message});
  }
};

void parseAuth(const sdk::ConfigView& c, const Report& bad, HttpClientOptions& o) {
  // The host fills defaults into nested objects, so "set" means non-empty, not present().
  sdk::ConfigView ba = c["basic_auth"];
  o.basic_username = ba["username"].asString(o.basic_username);
  o.basic_password = ba["password"].asString(o.basic_password);
  o.basic_password_file = ba["password_file"].asString(o.basic_password_file);
  if (!o.basic_password.empty() && !o.basic_password_file.empty())
    bad("basic_auth", "at most one of password and password_file must be configured");
  sdk::ConfigView au = c["authorization"];
  o.auth_credentials = au["credentials"].asString(o.auth_credentials);
  o.auth_credentials_file = au["credentials_file"].asString(o.auth_credentials_file);
  bool has_authz = !o.auth_credentials.empty() || !o.auth_credentials_file.empty();
  o.auth_type = au["type"].asString(o.auth_type);
  if (o.auth_type.empty()) o.auth_type = "Bearer";
  if (o.auth_type == "Basic" || o.auth_type == "basic")
    bad("authorization.type", "authorization type cannot be set to \"basic\", use basic_auth");
  if (!o.auth_credentials.empty() && !o.auth_credentials_file.empty())
    bad("authorization", "at most one of credentials and credentials_file must be configured");
  std::string token = c["bearer_token"].asString(), token_file = c["bearer_token_file"].asString();
  if (!token.empty() && !token_file.empty())
    bad("bearer_token", "at most one of bearer_token and bearer_token_file must be configured");
  if ((!token.empty() || !token_file.empty()) && has_authz)
    bad("bearer_token", "authorization is not compatible with bearer_token & bearer_token_file");
  if (!token.empty() || !token_file.empty()) {
    o.auth_type = "Bearer";
    o.auth_credentials = token;
    o.auth_credentials_file = token_file;
    has_authz = true;
  }
  if (o.hasBasicAuth() && has_authz)
    bad("basic_auth", "at most one of basic_auth and authorization must be configured");
}

void parseTls(const sdk::ConfigView& c, const Report& bad, HttpClientOptions& o) {
  sdk::ConfigView tls = c["tls_config"];
  o.tls.ca_file = tls["ca_file"].asString(o.tls.ca_file);
  o.tls.cert_file = tls["cert_file"].asString(o.tls.cert_file);
  o.tls.key_file = tls["key_file"].asString(o.tls.key_file);
  o.tls.server_name = tls["server_name"].asString(o.tls.server_name);
  o.tls.insecure_skip_verify = tls["insecure_skip_verify"].asBool(o.tls.insecure_skip_verify);
  if (o.tls.cert_file.empty() != o.tls.key_file.empty())
    bad("tls_config", "cert_file and key_file must both be set");
}

}  // namespace

HttpClientOptions parseHttpClientOptions(const sdk::ConfigView& config, const std::string& prefix,
                                         std::vector<Problem>* problems,
                                         const HttpClientOptions& defaults) {
  HttpClientOptions o = defaults;
  Report bad{prefix, problems};
  parseAuth(config, bad, o);
  parseTls(config, bad, o);
  if (config["headers"].present()) o.headers = config["headers"].asStringMap();
  o.proxy_url = config["proxy_url"].asString(o.proxy_url);
  if (!o.proxy_url.empty() && !startsWith(o.proxy_url, "http://") &&
      !startsWith(o.proxy_url, "https://") && !startsWith(o.proxy_url, "socks5://") &&
      !startsWith(o.proxy_url, "socks5h://"))
    bad("proxy_url", "proxy_url must start with http://, https://, socks5:// or socks5h://");
  o.follow_redirects = config["follow_redirects"].asBool(o.follow_redirects);
  return o;
}

std::string readSecret(const std::string& inline_value, const std::string& file) {
  if (file.empty()) return inline_value;
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read secret file " + file);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
    line.pop_back();
  return line;
}

}  // namespace strata::http_client
