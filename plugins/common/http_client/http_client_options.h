// The HTTP client options as parsed values, checked as Prometheus' HTTPClientConfig.Validate
// checks them (one of password/password_file, one of basic_auth/authorization/bearer_token, no
// `basic` authorization type, cert_file with key_file, ...). Problems carry the option path and
// never a secret's value.
#pragma once

#include <cstdint>
#include <map>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

namespace strata::http_client {

struct Problem {
  std::string path;  // "scrape_configs.0.basic_auth"
  std::string message;
};

struct TlsOptions {
  std::string ca_file, cert_file, key_file, server_name;
  bool insecure_skip_verify = false;
};

struct HttpClientOptions {
  std::string basic_username, basic_password, basic_password_file;
  // authorization; bearer_token / bearer_token_file fold in here (type Bearer).
  std::string auth_type = "Bearer", auth_credentials, auth_credentials_file;
  TlsOptions tls;
  std::map<std::string, std::string> headers;
  std::string proxy_url;  // empty: libcurl's proxy environment variables
  bool follow_redirects = true;
  // Not options of this piece (each plugin names and bounds its own timeout): the caller sets
  // them. 0: none.
  int64_t timeout_ms = 0, connect_timeout_ms = 0;

  // Whether basic auth is configured: any of its fields set (as Prometheus: the block exists).
  bool hasBasicAuth() const {
    return !basic_username.empty() || !basic_password.empty() || !basic_password_file.empty();
  }
};

// Reads the options directly under `config` (a job of scrape_configs, an exporter's config):
// basic_auth, authorization, bearer_token, bearer_token_file, tls_config, headers, proxy_url and
// follow_redirects, those of them the plugin's schema declares (an absent one keeps its value in
// `defaults`). Appends each problem with `prefix` + its option path ("basic_auth",
// "authorization.type", "bearer_token", "tls_config", "proxy_url").
HttpClientOptions parseHttpClientOptions(const sdk::ConfigView& config, const std::string& prefix,
                                         std::vector<Problem>* problems,
                                         const HttpClientOptions& defaults = {});

// A secret: `inline_value`, or when `file` is set the file's first line without trailing white
// space. Throws std::runtime_error("cannot read secret file <file>") when the file cannot be read.
std::string readSecret(const std::string& inline_value, const std::string& file);

}  // namespace strata::http_client
