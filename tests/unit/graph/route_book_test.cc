// RouteBook: a rebuilt component takes over its predecessor's route on the same socket,
// whether it registers in create() (committed at the swap) or later in start() (handed over
// when the predecessor is released).
#include "core/graph/route_book.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>

#include <sstream>
#include <strata/sdk/host.hpp>

namespace strata::graph {
namespace {

http::Handler answer(std::string text) {
  return
      [text](const strata_http_request*, strata_http_response* rs) { sdk::respond(rs, 200, text); };
}

// The body of GET path, or "refused"/"status N".
std::string get(int port, const std::string& path) {
  try {
    Poco::Net::HTTPClientSession s("127.0.0.1", static_cast<Poco::UInt16>(port));
    Poco::Net::HTTPRequest rq(Poco::Net::HTTPRequest::HTTP_GET, path);
    s.sendRequest(rq);
    Poco::Net::HTTPResponse rs;
    std::ostringstream body;
    body << s.receiveResponse(rs).rdbuf();
    if (rs.getStatus() != 200) return "status " + std::to_string(rs.getStatus());
    return body.str();
  } catch (const std::exception&) {
    return "refused";
  }
}

class RouteBookTest : public ::testing::Test {
 protected:
  int port() { return server_.boundPort("127.0.0.1:0"); }
  http::HttpServer server_;
  RouteBook book_{server_};
  int old_ = 0, neu_ = 0, other_ = 0;  // stand-ins for instances
};

TEST_F(RouteBookTest, CommitSwapsTheHandlerOnTheSameSocket) {
  book_.add("rw", &old_, "127.0.0.1:0", "/w", 0, answer("old"));
  int p = port();
  book_.add("rw", &neu_, "127.0.0.1:0", "/w", 0, answer("new"));
  EXPECT_EQ(get(p, "/w"), "old");  // pending until commit
  book_.commit(&neu_);
  EXPECT_EQ(get(p, "/w"), "new");
  book_.release(&old_);  // the predecessor no longer owns it
  EXPECT_EQ(get(p, "/w"), "new");
}

TEST_F(RouteBookTest, ReleaseHandsALateRegistrationOver) {
  book_.add("rw", &old_, "127.0.0.1:0", "/w", 0, answer("old"));
  int p = port();
  book_.commit(&neu_);  // nothing pending yet: the successor registers in start()
  book_.add("rw", &neu_, "127.0.0.1:0", "/w", 0, answer("new"));
  book_.release(&old_);
  EXPECT_EQ(get(p, "/w"), "new");
  EXPECT_EQ(port(), p);
}

TEST_F(RouteBookTest, RollbackDropsThePendingHandler) {
  book_.add("rw", &old_, "127.0.0.1:0", "/w", 0, answer("old"));
  int p = port();
  book_.add("rw", &neu_, "127.0.0.1:0", "/w", 0, answer("new"));
  book_.release(&neu_);  // the new graph failed to build
  book_.commit(&neu_);
  EXPECT_EQ(get(p, "/w"), "old");
}

TEST_F(RouteBookTest, AnotherComponentCannotTakeARoute) {
  book_.add("rw", &old_, "127.0.0.1:0", "/w", 0, answer("old"));
  EXPECT_THROW(book_.add("other", &other_, "127.0.0.1:0", "/w", 0, answer("x")),
               std::runtime_error);
}

TEST_F(RouteBookTest, LastReleaseClosesTheSocket) {
  book_.add("rw", &old_, "127.0.0.1:0", "/w", 0, answer("old"));
  int p = port();
  book_.release(&old_);
  EXPECT_EQ(get(p, "/w"), "refused");
}

}  // namespace
}  // namespace strata::graph
