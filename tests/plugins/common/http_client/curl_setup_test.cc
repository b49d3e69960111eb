#include "http_client/curl_setup.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

namespace strata::http_client {
namespace {

// Answers one request on loopback with 200 and keeps the request's head (request line and
// headers) for assertions.
class OneShotServer {
 public:
  OneShotServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    EXPECT_EQ(::listen(fd_, 1), 0);
    thread_ = std::thread([this] { serve(); });
  }
  ~OneShotServer() {
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
  }
  std::string url(const std::string& path = "/x") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int port() const { return port_; }
  // The request head; call after the transfer.
  const std::string& head() {
    if (thread_.joinable()) thread_.join();
    return head_;
  }

 private:
  void serve() {
    int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) return;
    char buf[4096];
    while (head_.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = ::read(c, buf, sizeof buf);
      if (n <= 0) break;
      head_.append(buf, static_cast<size_t>(n));
    }
    const char kAnswer[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    (void)!::write(c, kAnswer, sizeof kAnswer - 1);
    ::close(c);
  }

  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string head_;
};

struct Easy {
  Easy() {
    ensureCurlGlobalInit();
    h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_PROXY, "");  // no proxy from the environment
  }
  ~Easy() { curl_easy_cleanup(h); }
  CURL* h;
};

// Performs one GET of `url` with `o` applied and returns the request head the server saw.
std::string requestHead(const HttpClientOptions& o, const std::string& path = "/x",
                        const std::string& extra_header = "") {
  OneShotServer server;
  Easy easy;
  CurlRequest request;
  if (!extra_header.empty()) request.addHeader(extra_header);
  std::string error;
  EXPECT_TRUE(applyToCurl(easy.h, o, server.url(path), &request, &error)) << error;
  EXPECT_EQ(curl_easy_perform(easy.h), CURLE_OK);
  return server.head();
}

std::string writeFile(const std::string& name, const std::string& content) {
  auto path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << content;
  return path;
}

TEST(CurlSetupTest, AuthorizationAndHeadersInOrder) {
  HttpClientOptions o;
  o.auth_type = "Bearer";
  o.auth_credentials = "tok";
  o.headers = {{"X-Scope-OrgID", "team-a"}};
  std::string head = requestHead(o, "/x", "Accept: text/plain");
  auto accept = head.find("\r\nAccept: text/plain\r\n");
  auto tenant = head.find("\r\nX-Scope-OrgID: team-a\r\n");
  auto auth = head.find("\r\nAuthorization: Bearer tok\r\n");
  ASSERT_NE(accept, std::string::npos) << head;
  ASSERT_NE(tenant, std::string::npos) << head;
  ASSERT_NE(auth, std::string::npos) << head;
  EXPECT_LT(accept, tenant);
  EXPECT_LT(tenant, auth);
}

TEST(CurlSetupTest, NoAuthorizationWithoutCredentials) {
  std::string head = requestHead(HttpClientOptions{});
  EXPECT_EQ(head.find("Authorization:"), std::string::npos) << head;
}

TEST(CurlSetupTest, CredentialsFileIsReadOnEveryApply) {
  HttpClientOptions o;
  o.auth_type = "Token";
  o.auth_credentials_file = writeFile("http_client_credentials", "first\n");
  EXPECT_NE(requestHead(o).find("\r\nAuthorization: Token first\r\n"), std::string::npos);
  writeFile("http_client_credentials", "second\n");
  EXPECT_NE(requestHead(o).find("\r\nAuthorization: Token second\r\n"), std::string::npos);
}

TEST(CurlSetupTest, BasicAuthFromPasswordFile) {
  HttpClientOptions o;
  o.basic_username = "user";
  o.basic_password_file = writeFile("http_client_password", "pass\n");
  // base64("user:pass")
  EXPECT_NE(requestHead(o).find("\r\nAuthorization: Basic dXNlcjpwYXNz\r\n"), std::string::npos);
}

TEST(CurlSetupTest, UnreadableSecretFileFailsNamingTheFile) {
  HttpClientOptions o;
  o.auth_credentials_file = ::testing::TempDir() + "/http_client_missing";
  Easy easy;
  CurlRequest request;
  std::string error;
  EXPECT_FALSE(applyToCurl(easy.h, o, "http://127.0.0.1:1/", &request, &error));
  EXPECT_EQ(error, "cannot read secret file " + o.auth_credentials_file);
}

TEST(CurlSetupTest, ProxyUrlSendsTheRequestToTheProxy) {
  OneShotServer proxy;
  HttpClientOptions o;
  o.proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());
  Easy easy;
  CurlRequest request;
  std::string error;
  ASSERT_TRUE(applyToCurl(easy.h, o, "http://target.invalid:9100/metrics", &request, &error));
  EXPECT_EQ(curl_easy_perform(easy.h), CURLE_OK);
  EXPECT_EQ(proxy.head().rfind("GET http://target.invalid:9100/metrics HTTP/1.1\r\n", 0), 0u)
      << proxy.head();
}

TEST(CurlSetupTest, ServerNameRewritesHttpsUrlsOnly) {
  HttpClientOptions o;
  o.tls.server_name = "metrics.internal";
  Easy easy;
  CurlRequest https;
  std::string error;
  ASSERT_TRUE(applyToCurl(easy.h, o, "https://10.0.0.7:9100/metrics", &https, &error));
  EXPECT_EQ(https.url(), "https://metrics.internal:9100/metrics");
  CurlRequest http;
  ASSERT_TRUE(applyToCurl(easy.h, o, "http://10.0.0.7:9100/metrics", &http, &error));
  EXPECT_EQ(http.url(), "http://10.0.0.7:9100/metrics");
}

}  // namespace
}  // namespace strata::http_client
