#include "http_client.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cmath>
#include <sstream>

namespace strata::e2e {
namespace {

HttpReply roundTrip(const std::string& base_url, Poco::Net::HTTPRequest& req,
                    const std::string& body) {
  Poco::URI uri(base_url);
  Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
  session.setTimeout(Poco::Timespan(30, 0));
  if (!body.empty() || req.getMethod() == "POST") {
    req.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  session.sendRequest(req) << body;
  Poco::Net::HTTPResponse resp;
  std::istream& in = session.receiveResponse(resp);
  HttpReply out;
  out.status = resp.getStatus();
  Poco::StreamCopier::copyToString(in, out.body);
  return out;
}

double parseValue(const std::string& s) {
  if (s == "NaN") return NAN;
  if (s == "+Inf") return INFINITY;
  if (s == "-Inf") return -INFINITY;
  return std::stod(s);
}

int64_t parseTs(const Poco::Dynamic::Var& v) {
  return static_cast<int64_t>(std::llround(v.convert<double>() * 1000));
}

promql::Labels parseLabels(const Poco::JSON::Object::Ptr& obj) {
  std::vector<promql::Label> ls;
  for (const auto& [k, v] : *obj) ls.push_back({k, v.convert<std::string>()});
  return promql::Labels::fromUnsorted(std::move(ls));
}

}  // namespace

std::string formEncode(const std::string& s) {
  std::string out;
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

HttpReply httpGet(const std::string& base_url, const std::string& path_and_query,
                  const std::string& tenant) {
  Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, path_and_query,
                             Poco::Net::HTTPMessage::HTTP_1_1);
  if (!tenant.empty()) req.set("THANOS-TENANT", tenant);
  return roundTrip(base_url, req, "");
}

HttpReply httpPost(const std::string& base_url, const std::string& path, const std::string& body,
                   const std::string& content_type, const std::string& tenant, bool snappy) {
  Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, path,
                             Poco::Net::HTTPMessage::HTTP_1_1);
  req.setContentType(content_type);
  if (snappy) {
    req.set("Content-Encoding", "snappy");
    req.set("X-Prometheus-Remote-Write-Version", "0.1.0");
  }
  if (!tenant.empty()) req.set("THANOS-TENANT", tenant);
  return roundTrip(base_url, req, body);
}

ApiResult parseApiResult(const HttpReply& reply) {
  ApiResult r;
  Poco::JSON::Parser parser;
  auto root = parser.parse(reply.body).extract<Poco::JSON::Object::Ptr>();
  if (root->getValue<std::string>("status") != "success") {
    r.error = root->optValue<std::string>("errorType", "") + ": " +
              root->optValue<std::string>("error", "");
    return r;
  }
  r.ok = true;
  auto data = root->getObject("data");
  r.result_type = data->getValue<std::string>("resultType");
  if (r.result_type == "scalar" || r.result_type == "string") {
    auto arr = data->getArray("result");
    if (r.result_type == "scalar") r.scalar = parseValue(arr->getElement<std::string>(1));
    return r;
  }
  auto result = data->getArray("result");
  for (size_t i = 0; i < result->size(); ++i) {
    auto obj = result->getObject(static_cast<unsigned>(i));
    ApiSample s;
    s.metric = parseLabels(obj->getObject("metric"));
    auto add = [&](const Poco::JSON::Array::Ptr& p) {
      s.points.emplace_back(parseTs(p->get(0)), parseValue(p->getElement<std::string>(1)));
    };
    if (obj->has("value")) {
      add(obj->getArray("value"));
    } else {
      auto values = obj->getArray("values");
      for (size_t j = 0; j < values->size(); ++j) add(values->getArray(static_cast<unsigned>(j)));
    }
    r.series.push_back(std::move(s));
  }
  return r;
}

}  // namespace strata::e2e
