// The option schema of the HTTP client options, spelled as Prometheus spells them
// (common/config HTTPClientConfig). A plugin lists the entries it offers in its own option table,
// so every plugin declares them with the same names, types, defaults and docs:
//
//   const strata_option_def kOptions[] = {
//       option("url", ...),
//       http_client::kBasicAuth, http_client::kAuthorization, http_client::kBearerToken,
//       http_client::kBearerTokenFile, http_client::kTlsConfig, ...
//   };
//
// parseHttpClientOptions (http_client_options.h) reads whichever of them the table holds.
#pragma once

#include <strata/sdk.hpp>

namespace strata::http_client {

inline constexpr strata_option_def kBasicAuthOptions[] = {
    sdk::option("username", STRATA_OPT_STRING, nullptr, "User name."),
    sdk::option("password", STRATA_OPT_STRING, nullptr, "Password.", STRATA_OPTF_SECRET),
    sdk::option("password_file", STRATA_OPT_STRING, nullptr, "File holding the password."),
};

inline constexpr strata_option_def kAuthorizationOptions[] = {
    sdk::option("type", STRATA_OPT_STRING, "Bearer", "Authorization scheme."),
    sdk::option("credentials", STRATA_OPT_STRING, nullptr, "The credentials.", STRATA_OPTF_SECRET),
    sdk::option("credentials_file", STRATA_OPT_STRING, nullptr, "File holding the credentials."),
};

inline constexpr strata_option_def kTlsConfigOptions[] = {
    sdk::option("ca_file", STRATA_OPT_STRING, nullptr,
                "CA certificate bundle to verify the server."),
    sdk::option("cert_file", STRATA_OPT_STRING, nullptr, "Client certificate (mTLS)."),
    sdk::option("key_file", STRATA_OPT_STRING, nullptr, "Client key (mTLS)."),
    sdk::option("server_name", STRATA_OPT_STRING, nullptr, "Server name for SNI and verification."),
    sdk::option("insecure_skip_verify", STRATA_OPT_BOOL, "false", "Do not verify the server."),
};

inline constexpr strata_option_def kBasicAuth =
    sdk::object("basic_auth", STRATA_OPT_OBJECT, "HTTP basic auth.", kBasicAuthOptions);
inline constexpr strata_option_def kAuthorization =
    sdk::object("authorization", STRATA_OPT_OBJECT, "Authorization header.", kAuthorizationOptions);
inline constexpr strata_option_def kBearerToken =
    sdk::option("bearer_token", STRATA_OPT_STRING, nullptr,
                "Bearer token: the legacy form of authorization.credentials.", STRATA_OPTF_SECRET);
inline constexpr strata_option_def kBearerTokenFile =
    sdk::option("bearer_token_file", STRATA_OPT_STRING, nullptr,
                "File with the bearer token: the legacy form of authorization.credentials_file.");
inline constexpr strata_option_def kTlsConfig =
    sdk::object("tls_config", STRATA_OPT_OBJECT, "TLS client settings.", kTlsConfigOptions);
inline constexpr strata_option_def kHeaders =
    sdk::option("headers", STRATA_OPT_STRING_MAP, nullptr, "Extra HTTP headers on every request.");
inline constexpr strata_option_def kProxyUrl =
    sdk::option("proxy_url", STRATA_OPT_STRING, nullptr,
                "Proxy for every request (http://, https://, socks5://, socks5h://); unset: "
                "libcurl's http_proxy/https_proxy/no_proxy environment variables.");
inline constexpr strata_option_def kFollowRedirects =
    sdk::option("follow_redirects", STRATA_OPT_BOOL, "true", "Follow 3xx redirects (at most 10).");

}  // namespace strata::http_client
