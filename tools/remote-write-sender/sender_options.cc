#include "sender_options.h"

#include <cstdlib>
#include <map>
#include <string_view>

namespace strata::rwsender {
namespace {

constexpr const char* kUsage =
    "usage: remote-write-sender --url URL [--series N] [--samples-per-request K]\n"
    "         [--interval-ms D] [--duration-s S] [--ack-log FILE] [--connections C]\n"
    "         [--metric NAME] [--tenant T] [--retry-timeout-s R]\n"
    "         [--cacert FILE] [--basic-auth USER:PASS] [--bearer TOKEN]\n"
    "Sends remote write 1.0 requests for S seconds over C connections (series i belongs to\n"
    "connection i % C). Each request carries K samples taken round-robin over the\n"
    "connection's series; every series gets timestamps start_ms, start_ms+1, ... (unique and\n"
    "increasing) and the values 0, 1, 2, .... 5xx, 429 and connection errors are retried with\n"
    "backoff (same body), 4xx never. Every acknowledged sample is appended to FILE as\n"
    "`<series> <value> <timestamp_ms>`, the debug exporter's output_file format.\n"
    "Prints `sent=.. acked=.. retried=.. rejected=.. connect_errors=..` (samples, except\n"
    "retried = retried requests and connect_errors = failed connection attempts); exits 1 on\n"
    "any 4xx, connection refusal or request given up. --cacert verifies an https:// URL\n"
    "against FILE; --basic-auth and --bearer send credentials.\n";

bool parseInt(std::string_view text, int64_t min, int64_t* out) {
  std::string s(text);
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || v < min) return false;
  *out = v;
  return true;
}

}  // namespace

bool parseOptions(int argc, char** argv, SenderOptions* o, std::string* message) {
  std::map<std::string_view, std::pair<int64_t*, int64_t>> ints = {
      {"--series", {&o->series, 1}},
      {"--samples-per-request", {&o->samples_per_request, 1}},
      {"--interval-ms", {&o->interval_ms, 0}},
      {"--duration-s", {&o->duration_s, 0}},
      {"--connections", {&o->connections, 1}},
      {"--retry-timeout-s", {&o->retry_timeout_s, 1}},
  };
  std::map<std::string_view, std::string*> strings = {
      {"--url", &o->url},       {"--ack-log", &o->ack_log}, {"--metric", &o->metric},
      {"--tenant", &o->tenant}, {"--cacert", &o->cacert},   {"--basic-auth", &o->basic_auth},
      {"--bearer", &o->bearer}};
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      *message = kUsage;
      return false;
    }
    if (i + 1 >= argc) {
      *message = std::string("missing value for ") + argv[i] + "\n" + kUsage;
      return false;
    }
    std::string_view value = argv[++i];
    if (auto it = ints.find(arg); it != ints.end()) {
      if (!parseInt(value, it->second.second, it->second.first)) {
        *message =
            std::string("bad value for ") + std::string(arg) + ": " + std::string(value) + "\n";
        return false;
      }
    } else if (auto st = strings.find(arg); st != strings.end()) {
      *st->second = std::string(value);
    } else {
      *message = "unknown option " + std::string(arg) + "\n" + kUsage;
      return false;
    }
  }
  if (!o->basic_auth.empty() && o->basic_auth.find(':') == std::string::npos) {
    *message = "--basic-auth must be USER:PASS\n";
    return false;
  }
  if (o->url.empty()) {
    *message = std::string("--url is required\n") + kUsage;
    return false;
  }
  return true;
}

}  // namespace strata::rwsender
