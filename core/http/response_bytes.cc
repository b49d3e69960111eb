#include "core/http/response_bytes.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace strata::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool framingHeader(std::string_view name) {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
         iequals(name, "Connection");
}

// No CR or LF may reach the wire from a handler's header (response splitting).
bool safe(std::string_view s) { return s.find_first_of("\r\n") == std::string_view::npos; }

}  // namespace

std::string_view reasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 417:
      return "Expectation Failed";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

std::string serializeResponse(const ResponseHead& head, std::string_view body) {
  std::string out;
  out.reserve(160 + head.content_type.size() + (head.head_only ? 0 : body.size()));
  out += "HTTP/1.1 ";
  out += std::to_string(head.status);
  out += ' ';
  out += reasonPhrase(head.status);
  out += "\r\n";
  if (!head.content_type.empty() && safe(head.content_type)) {
    out += "Content-Type: ";
    out += head.content_type;
    out += "\r\n";
  }
  for (const auto& [name, value] : head.headers) {
    if (framingHeader(name) || !safe(name) || !safe(value) || name.empty()) continue;
    if (!head.content_type.empty() && iequals(name, "Content-Type")) continue;  // send()'s wins
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  // 1xx, 204 and 304 carry no body and no length (RFC 9110 section 8.6).
  bool bodiless = head.status < 200 || head.status == 204 || head.status == 304;
  if (!bodiless && head.chunked) {
    out += "Transfer-Encoding: chunked\r\n";
  } else if (!bodiless && !head.unframed) {
    out += "Content-Length: ";
    out += std::to_string(body.size());
    out += "\r\n";
  }
  if (!head.keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  if (!bodiless && !head.head_only) out += body;
  return out;
}

std::string chunkBytes(std::string_view data) {
  if (data.empty()) return {};
  char size[20];
  int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  std::string out;
  out.reserve(size_t(n) + data.size() + 2);
  out.append(size, size_t(n));
  out.append(data);
  out.append("\r\n");
  return out;
}

std::string simpleResponse(int status, std::string_view text, bool keep_alive) {
  ResponseHead head;
  head.status = status;
  head.keep_alive = keep_alive;
  if (status == 503) head.headers.emplace_back("Retry-After", "1");
  std::string body(text);
  if (body.empty() || body.back() != '\n') body += '\n';
  return serializeResponse(head, body);
}

}  // namespace strata::http
