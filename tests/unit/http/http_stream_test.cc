// Streamed responses (strata_http_response.begin/write/end): chunked on the wire, a slow
// client slows the producer instead of growing a buffer, a client that leaves stops it, and an
// error after begin() cuts the body off rather than ending it as if complete.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "core/http/http_server.h"
#include "tests/unit/http/raw_client.h"

namespace strata::http {
namespace {

using namespace std::chrono_literals;
using testing::RawClient;

constexpr char kAddr[] = "127.0.0.1:0";

strata_str s(const char* text) { return {text, std::strlen(text)}; }

// Decodes a chunked body that starts at `body`; false when it is not complete and well formed.
bool dechunk(const std::string& body, std::string* out) {
  size_t pos = 0;
  for (;;) {
    size_t eol = body.find("\r\n", pos);
    if (eol == std::string::npos) return false;
    size_t n = std::stoul(body.substr(pos, eol - pos), nullptr, 16);
    pos = eol + 2;
    if (n == 0) return body.compare(pos, 2, "\r\n") == 0;
    if (pos + n + 2 > body.size()) return false;
    out->append(body, pos, n);
    pos += n + 2;
  }
}

TEST(HttpStream, ABigAnswerIsChunkedAndASlowClientBoundsTheProducer) {
  constexpr size_t kPiece = 64 << 10, kPieces = 1024;  // 64 MiB
  std::atomic<size_t> produced{0};
  std::atomic<bool> finished{false};
  HttpServer server;
  server.addRoute(kAddr, "/big", 0, [&](const strata_http_request*, strata_http_response* r) {
    ASSERT_TRUE(STRATA_HTTP_RESPONSE_HAS_STREAM(r));
    r->add_header(r, s("X-Kind"), s("big"));
    ASSERT_EQ(r->begin(r, 200, s("application/octet-stream")), 0);
    std::string piece(kPiece, 'x');
    for (size_t i = 0; i < kPieces; ++i) {
      piece[0] = char('a' + i % 26);
      if (r->write(r, piece.data(), piece.size()) != 0) return;
      produced += piece.size();
    }
    r->end(r);
    finished = true;
  });
  int port = server.boundPort(kAddr);
  RawClient client(port);
  client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(500ms);  // not reading: the producer must stop, not buffer it all
  size_t while_stalled = produced;
  // 1 MiB in the server's hands plus what the kernel's socket buffers took on both ends.
  EXPECT_LT(while_stalled, size_t(24) << 20);
  EXPECT_FALSE(finished);
  std::string all = client.readUntil("\r\n0\r\n\r\n", 60s);
  ASSERT_TRUE(finished);
  size_t head_end = all.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos);
  std::string head = all.substr(0, head_end);
  EXPECT_NE(head.find("Transfer-Encoding: chunked"), std::string::npos) << head;
  EXPECT_NE(head.find("X-Kind: big"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
  std::string body;
  ASSERT_TRUE(dechunk(all.substr(head_end + 4), &body));
  ASSERT_EQ(body.size(), kPiece * kPieces);
  for (size_t i = 0; i < kPieces; ++i) ASSERT_EQ(body[i * kPiece], char('a' + i % 26)) << i;
  // The connection is kept alive for the next request.
  client.received().clear();
  client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(client.readUntil("HTTP/1.1 200", 5s).find("HTTP/1.1 200"), std::string::npos);
}

TEST(HttpStream, AClientThatLeavesStopsTheProducer) {
  std::atomic<int> write_result{1};
  std::atomic<bool> done{false};
  HttpServer server;
  server.addRoute(kAddr, "/big", 0, [&](const strata_http_request*, strata_http_response* r) {
    r->begin(r, 200, s("text/plain"));
    std::string piece(64 << 10, 'y');
    int rc = 0;
    for (int i = 0; i < 100000 && rc == 0; ++i) rc = r->write(r, piece.data(), piece.size());
    write_result = rc;
    done = true;
  });
  int port = server.boundPort(kAddr);
  {
    RawClient client(port);
    client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
    client.readUntil("yyyy", 5s);
  }  // closed mid-stream
  for (int i = 0; i < 200 && !done; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(done);
  EXPECT_EQ(write_result, -1);
}

TEST(HttpStream, AnErrorAfterBeginCutsTheBodyOff) {
  HttpServer server;
  server.addRoute(kAddr, "/fails", 0, [](const strata_http_request*, strata_http_response* r) {
    r->begin(r, 200, s("text/plain"));
    r->write(r, "partial", 7);
    r->send(r, 500, s("text/plain"), "boom", 4);  // too late for a status: the body is cut
  });
  int port = server.boundPort(kAddr);
  RawClient client(port);
  client.send("GET /fails HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(client.closedWithin(5s));
  const std::string& got = client.received();
  EXPECT_NE(got.find("HTTP/1.1 200"), std::string::npos) << got;
  EXPECT_NE(got.find("partial"), std::string::npos) << got;
  EXPECT_EQ(got.find("\r\n0\r\n\r\n"), std::string::npos) << got;  // never "complete"
  EXPECT_EQ(got.find("boom"), std::string::npos) << got;
}

TEST(HttpStream, AnHttp10ClientGetsTheBodyEndedByTheClose) {
  HttpServer server;
  server.addRoute(kAddr, "/s", 0, [](const strata_http_request*, strata_http_response* r) {
    r->begin(r, 200, s("text/plain"));
    r->write(r, "hello ", 6);
    r->write(r, "world", 5);
  });
  int port = server.boundPort(kAddr);
  RawClient client(port);
  client.send("GET /s HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(client.closedWithin(5s));
  const std::string& got = client.received();
  EXPECT_EQ(got.find("chunked"), std::string::npos) << got;
  EXPECT_EQ(got.substr(got.find("\r\n\r\n") + 4), "hello world");
}

}  // namespace
}  // namespace strata::http
