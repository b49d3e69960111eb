// Prometheus' template functions (template/template.go) and the bits of Go's fmt they need.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "template.h"

namespace strata::ruler {
namespace {

std::string cfmt(const std::string& spec, double v) {
  char buf[512];
  std::snprintf(buf, sizeof buf, spec.c_str(), v);
  return buf;
}

std::string special(double v) {
  if (std::isnan(v)) return "NaN";
  return v > 0 ? "+Inf" : "-Inf";
}

// Go's %.4g (C's, but NaN/±Inf spelled as Go spells them).
std::string g4(double v) { return std::isfinite(v) ? cfmt("%.4g", v) : special(v); }

std::string scaled(double v, const char* const* big, const char* const* small, double base) {
  if (v == 0 || !std::isfinite(v)) return g4(v);
  std::string prefix;
  if (std::fabs(v) >= 1) {
    for (int i = 0; big[i] && std::fabs(v) >= base; ++i) {
      prefix = big[i];
      v /= base;
    }
  } else if (small) {
    for (int i = 0; small[i] && std::fabs(v) < 1; ++i) {
      prefix = small[i];
      v *= 1000;
    }
  }
  return g4(v) + prefix;
}

const char* const kBig[] = {"k", "M", "G", "T", "P", "E", "Z", "Y", nullptr};
const char* const kBig1024[] = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi", nullptr};
const char* const kSmall[] = {"m", "u", "n", "p", "f", "a", "z", "y", nullptr};

}  // namespace

std::string humanize(double v) { return scaled(v, kBig, kSmall, 1000); }
std::string humanize1024(double v) {
  if (std::fabs(v) <= 1) return g4(v);
  return scaled(v, kBig1024, nullptr, 1024);
}

std::string humanizeDuration(double v) {
  if (!std::isfinite(v)) return g4(v);
  if (v == 0) return "0s";
  std::string sign;
  if (v < 0) {
    sign = "-";
    v = -v;
  }
  int64_t whole = static_cast<int64_t>(v);
  int64_t seconds = whole % 60, minutes = whole / 60 % 60, hours = whole / 3600 % 24,
          days = whole / 86400;
  auto n = [](int64_t x) { return std::to_string(x); };
  if (days) return sign + n(days) + "d " + n(hours) + "h " + n(minutes) + "m " + n(seconds) + "s";
  if (hours) return sign + n(hours) + "h " + n(minutes) + "m " + n(seconds) + "s";
  if (minutes) return sign + n(minutes) + "m " + n(seconds) + "s";
  if (v >= 1) return sign + g4(v) + "s";
  std::string prefix;
  for (int i = 0; kSmall[i] && v < 1; ++i) {
    prefix = kSmall[i];
    v *= 1000;
  }
  return sign + g4(v) + prefix + "s";
}

std::string humanizePercentage(double v) { return g4(v * 100) + "%"; }

std::string goFloat(double v) {
  if (!std::isfinite(v)) return special(v);
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  int prec = 1;
  for (; prec < 17; ++prec) {
    if (std::strtod(cfmt("%." + std::to_string(prec - 1) + "e", v).c_str(), nullptr) == v) break;
  }
  std::string e = cfmt("%." + std::to_string(prec - 1) + "e", v);
  int exp = std::atoi(e.c_str() + e.find('e') + 1);
  if (exp < -4 || exp >= 21) {
    // Go: mantissa without trailing zeros, exponent with at least two digits.
    std::string mant = e.substr(0, e.find('e'));
    std::string ex = e.substr(e.find('e') + 1);
    char sign = ex[0];
    std::string digits = ex.substr(1);
    while (digits.size() > 2 && digits[0] == '0') digits.erase(0, 1);
    return mant + "e" + sign + digits;
  }
  int decimals = std::max(0, prec - 1 - exp);
  return cfmt("%." + std::to_string(decimals) + "f", v);
}

std::string goSprintf(const std::string& f, const std::vector<TemplateValue>& args) {
  std::string out;
  size_t arg = 0;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') {
      out += f[i];
      continue;
    }
    size_t j = i + 1;
    while (j < f.size() && std::string("+-# 0123456789.").find(f[j]) != std::string::npos) ++j;
    if (j >= f.size()) {
      out += "%!(NOVERB)";
      break;
    }
    char verb = f[j];
    std::string flags = f.substr(i + 1, j - i - 1);
    i = j;
    if (verb == '%') {
      out += '%';
      continue;
    }
    if (arg >= args.size()) {
      out += std::string("%!") + verb + "(MISSING)";
      continue;
    }
    const TemplateValue& a = args[arg++];
    double num = a.is_number ? a.number : std::strtod(a.str.c_str(), nullptr);
    std::string s = a.is_number ? goFloat(a.number) : a.str;
    switch (verb) {
      case 'd': {
        char buf[128];
        std::snprintf(buf, sizeof buf, ("%" + flags + "lld").c_str(), static_cast<long long>(num));
        out += buf;
        break;
      }
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G':
        out += std::isfinite(num) ? cfmt("%" + flags + verb, num) : special(num);
        break;
      case 'q':
        out += "\"" + s + "\"";
        break;
      default: {  // s, v
        char buf[1024];
        std::snprintf(buf, sizeof buf, ("%" + flags + "s").c_str(), s.c_str());
        out += buf;
      }
    }
  }
  if (arg < args.size()) out += "%!(EXTRA)";
  return out;
}

}  // namespace strata::ruler
