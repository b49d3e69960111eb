#include "http_client/http_client_options.h"

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>

#include "../relabel/yaml_config.h"
#include "http_client/options_schema.h"

namespace strata::http_client {
namespace {

// Every shared option, as a plugin would list them.
constexpr strata_option_def kOptions[] = {
    kHeaders,         kBasicAuth, kAuthorization, kBearerToken,
    kBearerTokenFile, kTlsConfig, kProxyUrl,      kFollowRedirects,
};

struct Parsed {
  HttpClientOptions options;
  std::vector<std::string> problems;  // "path: message"
};

Parsed parse(const std::string& yaml, const std::string& prefix = "",
             const HttpClientOptions& defaults = {}) {
  testing::YamlConfig cfg(yaml, kOptions);
  EXPECT_TRUE(cfg.ok()) << (cfg.ok() ? "" : cfg.errors()[0]);
  std::vector<Problem> problems;
  Parsed p{parseHttpClientOptions(cfg.view(), prefix, &problems, defaults), {}};
  for (const auto& pr : problems) p.problems.push_back(pr.path + ": " + pr.message);
  return p;
}

TEST(HttpClientOptionsTest, EmptyConfigGivesDefaults) {
  auto p = parse("{}");
  EXPECT_TRUE(p.problems.empty());
  EXPECT_FALSE(p.options.hasBasicAuth());
  EXPECT_EQ(p.options.auth_type, "Bearer");
  EXPECT_TRUE(p.options.auth_credentials.empty());
  EXPECT_TRUE(p.options.headers.empty());
  EXPECT_TRUE(p.options.proxy_url.empty());
  EXPECT_TRUE(p.options.follow_redirects);
  EXPECT_FALSE(p.options.tls.insecure_skip_verify);
}

TEST(HttpClientOptionsTest, ReadsEveryOption) {
  auto p = parse(R"(
headers: {X-Scope-OrgID: t1}
basic_auth: {username: u, password_file: /run/pw}
tls_config:
  ca_file: /ca.pem
  cert_file: /c.pem
  key_file: /k.pem
  server_name: metrics.internal
  insecure_skip_verify: true
proxy_url: http://proxy:3128
follow_redirects: false
)");
  EXPECT_TRUE(p.problems.empty()) << p.problems[0];
  const auto& o = p.options;
  EXPECT_EQ(o.headers.at("X-Scope-OrgID"), "t1");
  EXPECT_EQ(o.basic_username, "u");
  EXPECT_EQ(o.basic_password_file, "/run/pw");
  EXPECT_TRUE(o.hasBasicAuth());
  EXPECT_EQ(o.tls.ca_file, "/ca.pem");
  EXPECT_EQ(o.tls.cert_file, "/c.pem");
  EXPECT_EQ(o.tls.key_file, "/k.pem");
  EXPECT_EQ(o.tls.server_name, "metrics.internal");
  EXPECT_TRUE(o.tls.insecure_skip_verify);
  EXPECT_EQ(o.proxy_url, "http://proxy:3128");
  EXPECT_FALSE(o.follow_redirects);
}

TEST(HttpClientOptionsTest, BearerTokenFoldsIntoAuthorization) {
  auto p = parse("bearer_token_file: /run/token");
  EXPECT_TRUE(p.problems.empty());
  EXPECT_EQ(p.options.auth_type, "Bearer");
  EXPECT_EQ(p.options.auth_credentials_file, "/run/token");
  auto q = parse("authorization: {type: Token, credentials: c}");
  EXPECT_EQ(q.options.auth_type, "Token");
  EXPECT_EQ(q.options.auth_credentials, "c");
}

TEST(HttpClientOptionsTest, DefaultsKeepWhatTheSchemaDoesNotDeclare) {
  constexpr strata_option_def kNoRedirectOption[] = {kBasicAuth};
  testing::YamlConfig cfg("basic_auth: {username: u}", kNoRedirectOption);
  ASSERT_TRUE(cfg.ok());
  HttpClientOptions defaults;
  defaults.follow_redirects = false;
  std::vector<Problem> problems;
  auto o = parseHttpClientOptions(cfg.view(), "", &problems, defaults);
  EXPECT_FALSE(o.follow_redirects);
  EXPECT_EQ(o.basic_username, "u");
}

TEST(HttpClientOptionsTest, ProblemsAtOptionPathsWithPrefix) {
  auto p = parse(R"(
basic_auth: {username: u, password: pw-secret, password_file: /f}
authorization: {type: basic, credentials: cred-secret, credentials_file: /g}
bearer_token: tok-secret
bearer_token_file: /h
tls_config: {cert_file: /c.pem}
proxy_url: ftp://proxy
)",
                 "scrape_configs.3.");
  std::vector<std::string> want = {
      "scrape_configs.3.basic_auth: at most one of password and password_file must be "
      "configured",
      "scrape_configs.3.authorization.type: authorization type cannot be set to \"basic\", use "
      "basic_auth",
      "scrape_configs.3.authorization: at most one of credentials and credentials_file must be "
      "configured",
      "scrape_configs.3.bearer_token: at most one of bearer_token and bearer_token_file must be "
      "configured",
      "scrape_configs.3.bearer_token: authorization is not compatible with bearer_token & "
      "bearer_token_file",
      "scrape_configs.3.basic_auth: at most one of basic_auth and authorization must be "
      "configured",
      "scrape_configs.3.tls_config: cert_file and key_file must both be set",
      "scrape_configs.3.proxy_url: proxy_url must start with http://, https://, socks5:// or "
      "socks5h://",
  };
  EXPECT_EQ(p.problems, want);
  for (const auto& problem : p.problems) {
    EXPECT_EQ(problem.find("secret"), std::string::npos) << problem;
  }
}

TEST(HttpClientOptionsTest, BasicAuthWithoutUserStillExcludesAuthorization) {
  auto p = parse("basic_auth: {password: p}\nbearer_token: t");
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_EQ(p.problems[0],
            "basic_auth: at most one of basic_auth and authorization must be configured");
}

TEST(HttpClientOptionsTest, ReadSecretTakesTheFileFirstLine) {
  auto path = ::testing::TempDir() + "/http_client_secret";
  std::ofstream(path) << "s3cret \r\nignored\n";
  EXPECT_EQ(readSecret("inline", path), "s3cret");
  EXPECT_EQ(readSecret("inline", ""), "inline");
  try {
    readSecret("", path + ".missing");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read secret file " + path + ".missing");
  }
}

}  // namespace
}  // namespace strata::http_client
