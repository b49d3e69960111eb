// The remote_write receiver's HTTP handling: status mapping, tenant, ack mode, metrics, routes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>

#include "auth.h"
#include "fake_host.h"
#include "prompb/snappy_body.h"
#include "prompb/write_request_encoder.h"
#include "prompb/write_v2_codec.h"
#include "remote_write_receiver.h"
#include "test_config.h"
#include "write_handler.h"

namespace strata::remote_write {
namespace {

using strata::testing::FakeHost;
using strata::testing::TestConfig;

struct Captured : strata_http_response {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  Captured() {
    struct_size = sizeof(strata_http_response);
    host_private = nullptr;
    add_header = [](strata_http_response* self, strata_str n, strata_str v) {
      static_cast<Captured*>(self)->headers.emplace_back(sdk::view(n), sdk::view(v));
    };
    send = [](strata_http_response* self, int status, strata_str, const char* b, size_t len) {
      static_cast<Captured*>(self)->status = status;
      static_cast<Captured*>(self)->body.assign(b, len);
    };
  }
  std::string header(const std::string& name) const {
    for (auto& [n, v] : headers)
      if (n == name) return v;
    return "";
  }
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string goodBody(size_t series = 2) {
  sdk::BatchBuilder b;
  for (size_t i = 0; i < series; ++i) {
    b.beginSeries({{"__name__", "m"}, {"i", std::to_string(i)}});
    b.addSample(1000, 1);
    b.addSample(2000, 2);
  }
  sdk::OwnedBatch batch(b.finish());
  return prompb::encodeWriteRequest(batch.view());
}

class HandlerTest : public ::testing::Test {
 protected:
  Captured send(const std::string& body, std::vector<strata_http_header> extra = {},
                const char* method = "POST") {
    std::vector<strata_http_header> headers = {
        {sdk::str("content-type"), sdk::str("application/x-protobuf")},
        {sdk::str("Content-Encoding"), sdk::str("snappy")}};
    for (auto& h : extra) {
      bool replaced = false;
      for (auto& e : headers)
        if (lower(sdk::view(e.name)) == lower(sdk::view(h.name))) e = h, replaced = true;
      if (!replaced) headers.push_back(h);
    }
    strata_http_request req{};
    req.struct_size = sizeof(req);
    req.method = sdk::str(method);
    req.path = sdk::str("/api/v1/receive");
    req.headers = headers.data();
    req.header_count = headers.size();
    req.body = body.data();
    req.body_len = body.size();
    Captured resp;
    WriteHandler::callback(handler_.get(), &req, &resp);
    return resp;
  }
  void make(TestConfig& cfg) {
    handler_ = std::make_unique<WriteHandler>(fake_.host(), ReceiverConfig::parse(cfg.view()));
  }
  void SetUp() override {
    TestConfig cfg;
    make(cfg);
  }
  FakeHost fake_;
  std::unique_ptr<WriteHandler> handler_;
};

TEST_F(HandlerTest, AcceptedRequestIs204AndEmitsWithDefaultTenant) {
  Captured r = send(goodBody());
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
  auto emitted = fake_.emitted();
  ASSERT_EQ(emitted.size(), 1u);
  EXPECT_EQ(emitted[0].tenant, "default-tenant");
  EXPECT_EQ(emitted[0].samples, 4u);
  EXPECT_EQ(emitted[0].flags, 0u);
  EXPECT_EQ(fake_.metric("strata_remote_write_requests_total", "code=204"), 1);
  EXPECT_EQ(fake_.metric("strata_remote_write_samples_received_total"), 4);
}

TEST_F(HandlerTest, MetadataOnlyRequestGoesDownstream) {
  sdk::BatchBuilder b;
  b.addMetadata("up", STRATA_FAMILY_GAUGE, "Target up.", "");
  sdk::OwnedBatch batch(b.finish());
  Captured r = send(prompb::encodeWriteRequest(batch.view()));
  EXPECT_EQ(r.status, 204) << r.body;
  auto emitted = fake_.emitted();
  ASSERT_EQ(emitted.size(), 1u);
  EXPECT_EQ(emitted[0].series, 0u);
  EXPECT_EQ(emitted[0].metadata,
            (std::vector<sdk::MetricMetadata>{{"up", STRATA_FAMILY_GAUGE, "Target up.", ""}}));
  EXPECT_EQ(fake_.metric("strata_remote_write_metadata_received_total"), 1);
}

TEST_F(HandlerTest, TenantHeaderIsHonoured) {
  send(goodBody(), {{sdk::str("thanos-tenant"), sdk::str("team-a")}});
  ASSERT_EQ(fake_.emitted().size(), 1u);
  EXPECT_EQ(fake_.emitted()[0].tenant, "team-a");
}

TEST_F(HandlerTest, BadRequestsAreRefusedWithReasons) {
  Captured r = send("not snappy at all");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("snappy"), std::string::npos) << r.body;
  EXPECT_EQ(fake_.metric("strata_remote_write_samples_rejected_total", "reason=snappy"), 0);

  prompb::DecodeLimits none;
  sdk::BatchBuilder b;
  b.beginSeries({{"job", "x"}});
  b.addSample(1, 1);
  sdk::OwnedBatch nameless(b.finish());
  r = send(prompb::encodeWriteRequest(nameless.view()));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("series 0: no __name__"), std::string::npos) << r.body;
  EXPECT_EQ(
      fake_.metric("strata_remote_write_samples_rejected_total", "reason=missing_metric_name"), 1);
  EXPECT_EQ(fake_.metric("strata_remote_write_requests_total", "code=400"), 2);
  EXPECT_TRUE(fake_.emitted().empty());
}

TEST_F(HandlerTest, MethodAndMediaTypeChecks) {
  Captured r = send(goodBody(), {}, "GET");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow"), "POST");
  r = send(goodBody(), {{sdk::str("Content-Type"),
                         sdk::str("application/x-protobuf;proto=io.prometheus.write.v3.Request")}});
  EXPECT_EQ(r.status, 415);
  EXPECT_NE(r.body.find("proto=io.prometheus.write.v2.Request"), std::string::npos) << r.body;
  r = send(goodBody(), {{sdk::str("Content-Encoding"), sdk::str("gzip")}});
  EXPECT_EQ(r.status, 415);
  r = send(goodBody(), {{sdk::str("Content-Type"), sdk::str("application/json")}});
  EXPECT_EQ(r.status, 415);
  EXPECT_TRUE(fake_.emitted().empty());
}

std::string goodV2Body(size_t series = 2) {
  sdk::BatchBuilder b;
  for (size_t i = 0; i < series; ++i) {
    b.beginSeries({{"__name__", "m"}, {"i", std::to_string(i)}, {"job", "j"}});
    b.addSample(1000, 1);
    b.addSample(2000, 2);
  }
  sdk::OwnedBatch batch(b.finish());
  return prompb::encodeWriteV2Request(batch.view());
}

const strata_http_header kV2Type = {
    sdk::str("Content-Type"),
    sdk::str("application/x-protobuf;proto=io.prometheus.write.v2.Request")};

TEST_F(HandlerTest, RemoteWrite2IsStoredAndReportsWhatWasWritten) {
  Captured r = send(goodV2Body(3), {kV2Type});
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(r.header("X-Prometheus-Remote-Write-Samples-Written"), "6");
  EXPECT_EQ(r.header("X-Prometheus-Remote-Write-Histograms-Written"), "0");
  EXPECT_EQ(r.header("X-Prometheus-Remote-Write-Exemplars-Written"), "0");
  ASSERT_EQ(fake_.emitted().size(), 1u);
  EXPECT_NE(fake_.emitted()[0].lines.find("m{i=\"2\",job=\"j\"} 2 2000"), std::string::npos)
      << fake_.emitted()[0].lines;
}

TEST_F(HandlerTest, RemoteWrite2RefusalsStillCarryTheWrittenHeaders) {
  fake_.setEmitStatus(STRATA_RETRY);
  Captured r = send(goodV2Body(), {kV2Type});
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.header("X-Prometheus-Remote-Write-Samples-Written"), "0");
  r = send("not snappy", {kV2Type});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.header("X-Prometheus-Remote-Write-Samples-Written"), "0");
  // A 1.0 body sent as 2.0 does not parse as a v2 Request with valid references.
  r = send(goodBody(), {kV2Type});
  EXPECT_EQ(r.status, 400) << r.body;
}

TEST_F(HandlerTest, EmitStatusesMapToHttp) {
  fake_.setEmitStatus(STRATA_RETRY);
  Captured r = send(goodBody());
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.header("Retry-After"), "1");
  EXPECT_EQ(fake_.metric("strata_remote_write_samples_rejected_total", "reason=backpressure"), 4);
  fake_.setEmitStatus(STRATA_REJECT);
  r = send(goodBody());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "the pipeline rejected the batch\n");
  fake_.setEmitStatus(STRATA_FAILED);
  EXPECT_EQ(send(goodBody()).status, 500);
  fake_.setEmitStatus(STRATA_OK);
  EXPECT_EQ(send(goodBody()).status, 204);
  handler_->stopAccepting();
  EXPECT_EQ(send(goodBody()).status, 503);
  EXPECT_EQ(fake_.emitted().size(), 4u);
}

TEST_F(HandlerTest, RefusalsCarryTheDownstreamsReason) {
  // emit_error: what the refusing component said, so a sender sees why in the 4xx/5xx body.
  fake_.setEmitStatus(STRATA_REJECT, "block_store: all 4 samples refused: 4 out of order");
  Captured r = send(goodBody());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(
      r.body,
      "the pipeline rejected the batch: block_store: all 4 samples refused: 4 out of order\n");
  EXPECT_EQ(fake_.metric("strata_remote_write_samples_rejected_total", "reason=pipeline_rejected"),
            4);
  fake_.setEmitStatus(STRATA_FAILED, "block_store: disk full");
  r = send(goodBody());
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, "the pipeline failed to take the batch: block_store: disk full\n");
  fake_.setEmitStatus(STRATA_RETRY, "");
  EXPECT_EQ(send(goodBody()).body, "pipeline is full, retry later\n");
}

TEST_F(HandlerTest, LimitsAndAckModeComeFromConfig) {
  TestConfig cfg;
  cfg.set("max_series_per_request", int64_t{1}).set("ack", "delivered");
  make(cfg);
  Captured r = send(goodBody(2));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("over the limit of 1"), std::string::npos) << r.body;
  EXPECT_EQ(send(goodBody(1)).status, 204);
  ASSERT_EQ(fake_.emitted().size(), 1u);
  EXPECT_EQ(fake_.emitted()[0].flags, STRATA_BATCH_ACK_ON_DELIVERY);
}

TEST_F(HandlerTest, LengthBombIs400) {
  std::string bomb = "\x80\xbc\xc1\x96\x0b";
  EXPECT_EQ(send(bomb).status, 400);
  EXPECT_EQ(fake_.metric("strata_remote_write_requests_total", "code=400"), 1);
}

TEST(RemoteWriteReceiverTest, StartRegistersBothRoutes) {
  FakeHost fake;
  TestConfig cfg;
  cfg.set("listen_address", "127.0.0.1:0");
  RemoteWriteReceiver r(fake.host(), cfg.view());
  ASSERT_EQ(r.start(), STRATA_OK);
  auto routes = fake.routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].prefix, "/api/v1/receive");
  EXPECT_EQ(routes[1].prefix, "/api/v1/write");
  EXPECT_EQ(routes[0].listen, "127.0.0.1:0");
  EXPECT_GE(routes[0].max_body, size_t{32} << 20);
}

TEST(RemoteWriteReceiverTest, BadOptionsAreRefused) {
  FakeHost fake;
  TestConfig cfg;
  cfg.set("ack", "eventually").set("max_label_count", int64_t{-1});
  EXPECT_THROW(RemoteWriteReceiver(fake.host(), cfg.view()), std::invalid_argument);
  std::vector<std::string> paths;
  struct Sink : strata_diag_sink {
    std::vector<std::string>* paths;
  } sink;
  sink.paths = &paths;
  sink.report = [](strata_diag_sink* self, const char* path, const char*) {
    static_cast<Sink*>(self)->paths->push_back(path);
  };
  RemoteWriteReceiver::validate(cfg.view(), &sink);
  EXPECT_EQ(paths, (std::vector<std::string>{"max_label_count", "ack"}));
}

// ---- Authentication -------------------------------------------------------------------

strata_http_header authHeader(const std::string& value) {
  static std::deque<std::string> keep;  // header values must outlive the request
  keep.push_back(value);
  return {sdk::str("Authorization"), sdk::str(keep.back())};
}

TEST(AuthTest, Sha256AndBase64AreRight) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string out;
  ASSERT_TRUE(decodeBase64("YWxpY2U6czNjcmV0", &out));
  EXPECT_EQ(out, "alice:s3cret");
  ASSERT_TRUE(decodeBase64("YQ==", &out));
  EXPECT_EQ(out, "a");
  EXPECT_FALSE(decodeBase64("Y*==", &out));
  EXPECT_TRUE(constantTimeEqual("abc", "abc"));
  EXPECT_FALSE(constantTimeEqual("abc", "abd"));
  EXPECT_FALSE(constantTimeEqual("abc", "abcd"));
}

TEST_F(HandlerTest, BasicAuthUsersAreCheckedAgainstSha256) {
  TestConfig cfg;
  // Upper-case hex is accepted too; alice's password is "s3cret".
  std::string digest = sha256Hex("s3cret");
  for (auto& c : digest) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  cfg.set("basic_auth_users", std::map<std::string, std::string>{{"alice", digest}});
  make(cfg);
  Captured r = send(goodBody());
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.header("WWW-Authenticate"), "Basic realm=\"strata\"");
  EXPECT_EQ(send(goodBody(), {authHeader("Basic YWxpY2U6d3Jvbmc=")}).status, 401);  // alice:wrong
  EXPECT_EQ(send(goodBody(), {authHeader("Basic Ym9iOnMzY3JldA==")}).status, 401);  // bob:s3cret
  EXPECT_EQ(send(goodBody(), {authHeader("Bearer s3cret")}).status, 401);
  EXPECT_TRUE(fake_.emitted().empty());
  EXPECT_EQ(fake_.metric("strata_remote_write_requests_total", "code=401"), 4);
  r = send(goodBody(), {authHeader("basic YWxpY2U6czNjcmV0")});  // alice:s3cret
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(fake_.emitted().size(), 1u);
}

TEST_F(HandlerTest, BearerTokenFromOptionOrFile) {
  TestConfig cfg;
  cfg.set("bearer_token", "t0ken");
  make(cfg);
  Captured r = send(goodBody(), {authHeader("Bearer nope")});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer realm=\"strata\"");
  EXPECT_EQ(send(goodBody(), {authHeader("Bearer t0ken")}).status, 204);
  // Unauthenticated requests learn nothing else, not even that GET is not allowed.
  EXPECT_EQ(send(goodBody(), {}, "GET").status, 401);

  auto file =
      std::filesystem::temp_directory_path() / ("strata-token-" + std::to_string(::getpid()));
  std::ofstream(file) << "fr0m-file\n";
  TestConfig from_file;
  from_file.set("bearer_token_file", file.string());
  make(from_file);
  EXPECT_EQ(send(goodBody(), {authHeader("Bearer t0ken")}).status, 401);
  EXPECT_EQ(send(goodBody(), {authHeader("Bearer fr0m-file")}).status, 204);
  std::filesystem::remove(file);
  TestConfig missing;
  missing.set("bearer_token_file", file.string());
  EXPECT_THROW(ReceiverConfig::parse(missing.view()), std::invalid_argument);
}

std::vector<std::string> validationPaths(TestConfig& cfg) {
  std::vector<std::string> paths;
  struct Sink : strata_diag_sink {
    std::vector<std::string>* paths;
  } sink;
  sink.paths = &paths;
  sink.report = [](strata_diag_sink* self, const char* path, const char*) {
    static_cast<Sink*>(self)->paths->push_back(path);
  };
  RemoteWriteReceiver::validate(cfg.view(), &sink);
  return paths;
}

TEST(RemoteWriteReceiverTest, TlsAndAuthOptionsAreValidated) {
  TestConfig cert_only;
  cert_only.set("tls_config", std::map<std::string, std::string>{{"cert_file", "/x.crt"}});
  EXPECT_EQ(validationPaths(cert_only), std::vector<std::string>{"tls_config.key_file"});
  TestConfig ca_only;
  ca_only.set("tls_config", std::map<std::string, std::string>{{"client_ca_file", "/ca.crt"}});
  EXPECT_EQ(validationPaths(ca_only), std::vector<std::string>{"tls_config.client_ca_file"});
  TestConfig bad_auth;
  bad_auth.set("basic_auth_users", std::map<std::string, std::string>{{"bob", "plaintext"}})
      .set("bearer_token", "a")
      .set("bearer_token_file", "/b");
  EXPECT_EQ(validationPaths(bad_auth),
            (std::vector<std::string>{"basic_auth_users.bob", "bearer_token_file"}));
  TestConfig good;
  good.set("tls_config",
           std::map<std::string, std::string>{
               {"cert_file", "/x.crt"}, {"key_file", "/x.key"}, {"client_ca_file", "/ca.crt"}});
  EXPECT_TRUE(validationPaths(good).empty());
  ReceiverConfig c = ReceiverConfig::parse(good.view());
  EXPECT_TRUE(c.tls());
  EXPECT_EQ(c.tls_client_ca_file, "/ca.crt");
}

TEST(RemoteWriteReceiverTest, TlsNeedsAHostWithTheHttpsRouteSlot) {
  // FakeHost leaves https_route empty: the SDK must refuse rather than call through it.
  FakeHost fake;
  TestConfig cfg;
  cfg.set("listen_address", "127.0.0.1:0")
      .set("tls_config",
           std::map<std::string, std::string>{{"cert_file", "/x.crt"}, {"key_file", "/x.key"}});
  RemoteWriteReceiver r(fake.host(), cfg.view());
  EXPECT_EQ(r.start(), STRATA_FAILED);
  EXPECT_NE(fake.lastError().find("host too old for TLS routes"), std::string::npos)
      << fake.lastError();
  EXPECT_TRUE(fake.routes().empty());
}

}  // namespace
}  // namespace strata::remote_write
