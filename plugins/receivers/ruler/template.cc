// Template parsing and execution; the functions are in template_funcs.cc.
#include "template.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <stdexcept>

namespace strata::ruler {
namespace {

using Token = Template::Token;

bool tokenize(const std::string& s, std::vector<std::vector<Token>>* out, std::string* error) {
  out->emplace_back();
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '|') {
      out->emplace_back();
      ++i;
    } else if (c == '"' || c == '`') {
      std::string lit;
      size_t j = i + 1;
      for (; j < s.size() && s[j] != c; ++j) {
        if (c == '"' && s[j] == '\\' && j + 1 < s.size()) {
          char e = s[++j];
          lit += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        } else {
          lit += s[j];
        }
      }
      if (j >= s.size()) {
        *error = "unterminated quoted string";
        return false;
      }
      out->back().push_back({Token::kString, lit});
      i = j + 1;
    } else if (c == '$' || c == '.' || std::isalpha(static_cast<unsigned char>(c))) {
      size_t j = i + 1;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' ||
                              s[j] == '.' || s[j] == '$'))
        ++j;
      std::string w = s.substr(i, j - i);
      out->back().push_back({c == '$' || c == '.' ? Token::kVar : Token::kIdent, w});
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+') {
      char* end = nullptr;
      double v = std::strtod(s.c_str() + i, &end);
      if (end == s.c_str() + i) {
        *error = std::string("unexpected \"") + c + "\" in command";
        return false;
      }
      out->back().push_back({Token::kNumber, s.substr(i, end - s.c_str() - i), v});
      i = end - s.c_str();
    } else {
      *error = std::string("unexpected \"") + c + "\" in command";
      return false;
    }
  }
  for (const auto& cmd : *out) {
    if (cmd.empty()) {
      *error = "missing value for command";
      return false;
    }
  }
  return true;
}

TemplateValue variable(const std::string& path, const TemplateData& d) {
  auto field = [&](const std::map<std::string, std::string>& m, size_t prefix) {
    TemplateValue v;
    auto it = m.find(path.substr(prefix));
    if (it != m.end()) v.str = it->second;
    // Prometheus executes with missingkey=zero: an absent label is empty.
    return v;
  };
  if (path.rfind("$labels.", 0) == 0) return field(d.labels, 8);
  if (path.rfind(".Labels.", 0) == 0) return field(d.labels, 8);
  if (path.rfind("$externalLabels.", 0) == 0) return field(d.external_labels, 16);
  if (path.rfind(".ExternalLabels.", 0) == 0) return field(d.external_labels, 16);
  if (path == "$value" || path == ".Value") return {true, d.value, ""};
  if (path == "$externalURL" || path == ".ExternalURL") return {false, 0, d.external_url};
  throw std::runtime_error("undefined variable or field: " + path);
}

double number(const TemplateValue& v, const std::string& fn) {
  if (v.is_number) return v.number;
  char* end = nullptr;
  double d = std::strtod(v.str.c_str(), &end);
  if (v.str.empty() || *end)
    throw std::runtime_error(fn + ": cannot convert \"" + v.str + "\" to a number");
  return d;
}

std::string text(const TemplateValue& v) { return v.is_number ? goFloat(v.number) : v.str; }

TemplateValue call(const std::string& fn, const std::vector<TemplateValue>& args) {
  auto one = [&]() -> double {
    if (args.size() != 1) throw std::runtime_error(fn + ": wrong number of args: want 1");
    return number(args[0], fn);
  };
  auto str = [](std::string s) { return TemplateValue{false, 0, std::move(s)}; };
  if (fn == "humanize") return str(humanize(one()));
  if (fn == "humanize1024") return str(humanize1024(one()));
  if (fn == "humanizeDuration") return str(humanizeDuration(one()));
  if (fn == "humanizePercentage") return str(humanizePercentage(one()));
  if (fn == "humanizeTimestamp") {
    double v = one();
    if (std::isnan(v) || std::isinf(v)) return str(goSprintf("%.4g", {{true, v, ""}}));
    time_t t = static_cast<time_t>(v);
    char buf[64];
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return str(std::string(buf) + " +0000 UTC");
  }
  if (fn == "printf") {
    if (args.empty()) throw std::runtime_error("printf: wrong number of args");
    return str(goSprintf(text(args[0]), {args.begin() + 1, args.end()}));
  }
  if (fn == "toUpper" || fn == "toLower" || fn == "title") {
    if (args.size() != 1) throw std::runtime_error(fn + ": wrong number of args: want 1");
    std::string s = text(args[0]);
    bool start = true;
    for (char& c : s) {
      unsigned char u = static_cast<unsigned char>(c);
      if (fn == "toUpper")
        c = static_cast<char>(std::toupper(u));
      else if (fn == "toLower")
        c = static_cast<char>(std::tolower(u));
      else if (start && std::isalpha(u))
        c = static_cast<char>(std::toupper(u));
      start = !std::isalnum(u);
    }
    return str(s);
  }
  throw std::runtime_error("function \"" + fn + "\" not defined");
}

bool knownFunction(const std::string& fn) {
  static const char* kNames[] = {"humanize",
                                 "humanize1024",
                                 "humanizeDuration",
                                 "humanizePercentage",
                                 "humanizeTimestamp",
                                 "printf",
                                 "toUpper",
                                 "toLower",
                                 "title"};
  return std::any_of(std::begin(kNames), std::end(kNames), [&](const char* n) { return fn == n; });
}

TemplateValue operand(const Token& t, const TemplateData& d) {
  if (t.kind == Token::kVar) return variable(t.text, d);
  if (t.kind == Token::kNumber) return {true, t.number, ""};
  return {false, 0, t.text};
}

}  // namespace

std::optional<Template> Template::parse(const std::string& s, std::string* error) {
  Template t;
  size_t i = 0;
  while (i < s.size()) {
    size_t open = s.find("{{", i);
    std::string lit = s.substr(i, open == std::string::npos ? std::string::npos : open - i);
    if (open == std::string::npos) {
      t.parts_.push_back({lit, {}});
      break;
    }
    size_t close = s.find("}}", open + 2);
    if (close == std::string::npos) {
      *error = "unclosed action";
      return std::nullopt;
    }
    std::string body = s.substr(open + 2, close - open - 2);
    if (body.size() >= 2 && body[0] == '-' && body[1] == ' ') {  // {{- trims before
      while (!lit.empty() && std::isspace(static_cast<unsigned char>(lit.back()))) lit.pop_back();
      body = body.substr(1);
    }
    bool trim_after = body.size() >= 2 && body.back() == '-' && body[body.size() - 2] == ' ';
    if (trim_after) body.pop_back();
    t.parts_.push_back({lit, {}});
    size_t b = body.find_first_not_of(" \t\n");
    bool comment = b != std::string::npos && body.compare(b, 2, "/*") == 0;
    if (!comment) {
      Part p;
      if (!tokenize(body, &p.pipeline, error)) return std::nullopt;
      for (const auto& cmd : p.pipeline) {
        const Token& first = cmd.front();
        if (first.kind == Token::kIdent && !knownFunction(first.text)) {
          *error = "function \"" + first.text + "\" not defined";
          return std::nullopt;
        }
        if (first.kind != Token::kIdent && cmd.size() > 1) {
          *error = "can't give argument to non-function " + first.text;
          return std::nullopt;
        }
      }
      t.parts_.push_back(std::move(p));
    }
    i = close + 2;
    if (trim_after)
      while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  }
  return t;
}

std::string Template::render(const TemplateData& d) const {
  std::string out;
  for (const Part& p : parts_) {
    if (p.pipeline.empty()) {
      out += p.text;
      continue;
    }
    std::optional<TemplateValue> piped;
    for (const auto& cmd : p.pipeline) {
      const Token& first = cmd.front();
      if (first.kind != Token::kIdent) {
        if (piped) throw std::runtime_error("can't give argument to non-function " + first.text);
        piped = operand(first, d);
        continue;
      }
      std::vector<TemplateValue> args;
      for (size_t k = 1; k < cmd.size(); ++k) args.push_back(operand(cmd[k], d));
      if (piped) args.push_back(*piped);
      piped = call(first.text, args);
    }
    out += text(*piped);
  }
  return out;
}

}  // namespace strata::ruler
