// The incremental request parser: framing, limits, and the messages it refuses with.
#include "core/http/request_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace strata::http {
namespace {

using Step = RequestParser::Step;

// Feeds `text` in pieces of `piece` bytes, as a slow client would, and returns the last step
// (setting the body limit when the headers are in). *rest gets what was not consumed.
Step feed(RequestParser& p, const std::string& text, size_t piece, size_t body_limit = 1 << 20,
          std::string* rest = nullptr) {
  std::string buffered;
  Step step = Step::kNeedMore;
  for (size_t at = 0; at < text.size() || step == Step::kHeaders;) {
    if (step != Step::kHeaders) {
      buffered += text.substr(at, piece);
      at += piece;
    }
    size_t consumed = 0;
    step = p.parse(buffered, &consumed);
    buffered.erase(0, consumed);
    if (step == Step::kHeaders) p.setBodyLimit(body_limit);
    if (step == Step::kComplete || step == Step::kFailed) break;
  }
  if (rest) *rest = buffered;
  return step;
}

TEST(RequestParser, GetWithHeadersWholeAndByteByByte) {
  std::string text = "GET /api/v1/query?query=up HTTP/1.1\r\nHost: a\r\nX-Y:  z \r\n\r\n";
  for (size_t piece : {text.size(), size_t{1}, size_t{7}}) {
    RequestParser p;
    ASSERT_EQ(feed(p, text, piece), Step::kComplete) << piece;
    EXPECT_EQ(p.request().method, "GET");
    EXPECT_EQ(p.request().path(), "/api/v1/query");
    EXPECT_EQ(p.request().query(), "query=up");
    ASSERT_EQ(p.request().headers.size(), 2u);
    EXPECT_EQ(p.request().headers[1].first, "X-Y");
    EXPECT_EQ(p.request().headers[1].second, "z");
    EXPECT_TRUE(p.request().keep_alive);
  }
}

TEST(RequestParser, ContentLengthBodyAndPipelinedRest) {
  RequestParser p;
  std::string rest;
  std::string text = "POST /w HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\n\r\n";
  ASSERT_EQ(feed(p, text, text.size(), 1 << 20, &rest), Step::kComplete);
  EXPECT_EQ(p.request().body, "hello");
  EXPECT_EQ(rest, "GET / HTTP/1.1\r\n\r\n");
  p.reset();
  ASSERT_EQ(feed(p, rest, rest.size()), Step::kComplete);
  EXPECT_EQ(p.request().path(), "/");
}

TEST(RequestParser, ChunkedBodyWithExtensionsAndTrailers) {
  std::string text =
      "POST /w HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n";
  for (size_t piece : {text.size(), size_t{1}, size_t{3}}) {
    RequestParser p;
    ASSERT_EQ(feed(p, text, piece), Step::kComplete) << piece;
    EXPECT_EQ(p.request().body, "hello world");
  }
}

TEST(RequestParser, BodiesOverTheLimitAre413) {
  RequestParser p;
  EXPECT_EQ(feed(p, "POST /w HTTP/1.1\r\nContent-Length: 11\r\n\r\n", 100, 10), Step::kFailed);
  EXPECT_EQ(p.errorStatus(), 413);
  EXPECT_NE(p.errorMessage().find("limit of 10 bytes"), std::string::npos) << p.errorMessage();
  RequestParser q;
  std::string chunked =
      "POST /w HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n5\r\n";
  EXPECT_EQ(feed(q, chunked, 4, 10), Step::kFailed);
  EXPECT_EQ(q.errorStatus(), 413);
}

struct Bad {
  std::string text;
  int status;
  std::string says;
};

TEST(RequestParser, MalformedRequestsAreRefusedWithAReason) {
  const Bad cases[] = {
      {"GARBAGE\r\n\r\n", 400, "malformed request line"},
      {"GET / HTTP/2.0\r\n\r\n", 505, "not supported"},
      {"GET / FTP/1.0\r\n\r\n", 400, "malformed HTTP version"},
      {"GET nopath HTTP/1.1\r\n\r\n", 400, "request target"},
      {"G(T / HTTP/1.1\r\n\r\n", 400, "malformed method"},
      {"GET / HTTP/1.1\r\nNoColon\r\n\r\n", 400, "without a colon"},
      {"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", 400, "malformed header name"},
      {"GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400, "folding"},
      {"POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", 400, "malformed Content-Length"},
      {"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400, "conflicting"},
      {"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
       "both Transfer-Encoding and Content-Length"},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "only chunked"},
      {"POST / HTTP/1.1\r\nExpect: teapot\r\n\r\n", 417, "expectation"},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "chunk size"},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", 400, "chunk data"},
  };
  for (const auto& c : cases) {
    RequestParser p;
    EXPECT_EQ(feed(p, c.text, c.text.size()), Step::kFailed) << c.text;
    EXPECT_EQ(p.errorStatus(), c.status) << c.text;
    EXPECT_NE(p.errorMessage().find(c.says), std::string::npos)
        << c.text << " -> " << p.errorMessage();
  }
}

TEST(RequestParser, HeadersOverTheCapAre431EvenWithoutTheirEnd) {
  RequestParser p(1024);
  std::string slow = "GET / HTTP/1.1\r\nX: " + std::string(2000, 'a');
  EXPECT_EQ(feed(p, slow, 100), Step::kFailed);
  EXPECT_EQ(p.errorStatus(), 431);
  RequestParser q(1024, 3);
  EXPECT_EQ(feed(q, "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", 64), Step::kFailed);
  EXPECT_EQ(q.errorStatus(), 431);
}

TEST(RequestParser, ConnectionSemanticsAndExpect) {
  RequestParser a;
  feed(a, "GET / HTTP/1.0\r\n\r\n", 64);
  EXPECT_FALSE(a.request().keep_alive);
  RequestParser b;
  feed(b, "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", 64);
  EXPECT_TRUE(b.request().keep_alive);
  RequestParser c;
  feed(c, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", 64);
  EXPECT_FALSE(c.request().keep_alive);
  RequestParser d;
  size_t consumed = 0;
  ASSERT_EQ(
      d.parse("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n", &consumed),
      Step::kHeaders);
  EXPECT_TRUE(d.request().expect_continue);
  EXPECT_EQ(d.parse("", &consumed), Step::kNeedMore);
  EXPECT_TRUE(d.inBody());
  EXPECT_EQ(d.parse("abc", &consumed), Step::kComplete);
}

TEST(RequestParser, AbsoluteFormIsReducedToThePath) {
  RequestParser p;
  ASSERT_EQ(feed(p, "GET http://host:9090/-/ready HTTP/1.1\r\n\r\n", 64), Step::kComplete);
  EXPECT_EQ(p.request().path(), "/-/ready");
}

}  // namespace
}  // namespace strata::http
