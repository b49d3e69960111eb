// A small blocking HTTP client over loopback for the server tests.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace strata::http::testing {

struct Reply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
};

inline Reply roundTrip(Poco::Net::HTTPClientSession& session, const std::string& method,
                       const std::string& uri, const std::string& body = "",
                       const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  Poco::Net::HTTPRequest req(method, uri, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [k, v] : headers) req.add(k, v);
  if (!body.empty() || method == "POST") req.setContentLength(static_cast<long>(body.size()));
  session.sendRequest(req) << body;
  Poco::Net::HTTPResponse resp;
  std::istream& in = session.receiveResponse(resp);
  Reply out;
  out.status = resp.getStatus();
  Poco::StreamCopier::copyToString(in, out.body);
  for (const auto& [k, v] : resp) out.headers[k] = v;
  return out;
}

inline Reply fetch(int port, const std::string& method, const std::string& uri,
                   const std::string& body = "",
                   const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(10, 0));
  return roundTrip(session, method, uri, body, headers);
}

inline std::string text(strata_str s) { return std::string(s.data, s.len); }

inline void reply(strata_http_response* resp, int status, const std::string& body) {
  resp->send(resp, status, {"text/plain", 10}, body.data(), body.size());
}

}  // namespace strata::http::testing
