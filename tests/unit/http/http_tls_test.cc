// TLS listeners: HTTPS through a real loopback server, plain HTTP refused on a TLS port,
// mutual TLS, and the one-TLS-setting-per-address rule.
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "core/http/http_server.h"
#include "tests/unit/http/test_certs.h"
#include "tests/unit/http/test_client.h"

namespace strata::http {
namespace {

using testing::reply;
using testing::TestPki;

constexpr char kAddr[] = "127.0.0.1:0";

Handler hello() {
  return [](const strata_http_request* req, strata_http_response* resp) {
    reply(resp, 200, "hello " + testing::text(req->path));
  };
}

class HttpTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = std::make_unique<TestPki>(); }
  static void TearDownTestSuite() { pki_.reset(); }

  static TlsSettings serverTls(bool mutual) {
    return {pki_->path("server.crt"), pki_->path("server.key"),
            mutual ? pki_->path("ca.crt") : std::string()};
  }
  // A client trusting our CA, presenting `client` ("client", "stranger") when non-empty.
  static testing::Reply get(int port, const std::string& uri, const std::string& client = "") {
    Poco::Net::Context::Params p;
    p.caLocation = pki_->path("ca.crt");
    p.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
    if (!client.empty()) {
      p.certificateFile = pki_->path(client + ".crt");
      p.privateKeyFile = pki_->path(client + ".key");
    }
    Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
    Poco::Net::HTTPSClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port), ctx);
    session.setTimeout(Poco::Timespan(10, 0));
    return testing::roundTrip(session, "GET", uri);
  }
  // True when the exchange did not produce a response (handshake or connection failure).
  template <typename F>
  static bool fails(F&& exchange) {
    try {
      exchange();
      return false;
    } catch (const Poco::Exception&) {
      return true;
    } catch (const std::exception&) {
      return true;
    }
  }

  static std::unique_ptr<TestPki> pki_;
};

std::unique_ptr<TestPki> HttpTls::pki_;

TEST_F(HttpTls, ServesHttpsAndRefusesPlainHttp) {
  HttpServer server;
  server.addRoute(kAddr, "/hi", 1024, hello(), serverTls(false));
  int port = server.boundPort(kAddr);
  ASSERT_GT(port, 0);
  auto r = get(port, "/hi/there");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello /hi/there");
  // Plain HTTP to the TLS port: no HTTP response comes back.
  int plain_status = 0;
  bool plain_failed = fails([&] { plain_status = testing::fetch(port, "GET", "/hi").status; });
  EXPECT_TRUE(plain_failed) << "plain HTTP got status " << plain_status;
  // The listener is still healthy afterwards.
  EXPECT_EQ(get(port, "/hi").status, 200);
}

TEST_F(HttpTls, MutualTlsRequiresAClientCertificateFromTheCa) {
  HttpServer server;
  server.addRoute(kAddr, "/m", 1024, hello(), serverTls(true));
  int port = server.boundPort(kAddr);
  EXPECT_TRUE(fails([&] { get(port, "/m"); })) << "no client certificate was accepted";
  EXPECT_TRUE(fails([&] { get(port, "/m", "stranger"); })) << "an unknown CA was accepted";
  auto r = get(port, "/m", "client");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello /m");
}

TEST_F(HttpTls, RoutesOnOneAddressMustAgreeOnTls) {
  HttpServer server;
  server.addRoute(kAddr, "/a", 1024, hello(), serverTls(false));
  try {
    server.addRoute(kAddr, "/b", 1024, hello());
    FAIL() << "a plain route joined a TLS listener";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("plain HTTP"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("already serves TLS"), std::string::npos) << e.what();
  }
  EXPECT_THROW(server.addRoute(kAddr, "/c", 1024, hello(), serverTls(true)), std::runtime_error);
  // The same settings are fine, and the first route still serves.
  server.addRoute(kAddr, "/d", 1024, hello(), serverTls(false));
  int port = server.boundPort(kAddr);
  EXPECT_EQ(get(port, "/d").status, 200);
  EXPECT_EQ(get(port, "/a").status, 200);

  HttpServer plain;
  plain.addRoute(kAddr, "/p", 1024, hello());
  EXPECT_THROW(plain.addRoute(kAddr, "/q", 1024, hello(), serverTls(false)), std::runtime_error);
}

TEST_F(HttpTls, UnusableFilesAreNamedAndNothingListens) {
  HttpServer server;
  TlsSettings bad{pki_->path("missing.crt"), pki_->path("server.key"), ""};
  try {
    server.addRoute(kAddr, "/x", 1024, hello(), bad);
    FAIL() << "a missing certificate was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.crt"), std::string::npos) << e.what();
  }
  EXPECT_EQ(server.boundPort(kAddr), 0);
  EXPECT_THROW(server.addRoute(kAddr, "/x", 1024, hello(), TlsSettings{"", "", ""}),
               std::runtime_error);
}

}  // namespace
}  // namespace strata::http
