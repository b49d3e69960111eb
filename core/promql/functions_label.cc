// label_replace and label_join.
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "core/promql/evaluator.h"
#include "core/promql/function_table.h"

namespace strata::promql {
namespace {

bool validLabelName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (!(c == '_' || std::isalpha(static_cast<unsigned char>(c)) ||
          (i > 0 && std::isdigit(static_cast<unsigned char>(c))))) {
      return false;
    }
  }
  return true;
}

// Go's regexp.Expand template syntax: $1, ${1}, $name, ${name}, $$.
std::string expandTemplate(const std::string& tmpl, const RE2& re,
                           const std::vector<re2::StringPiece>& groups) {
  std::string out;
  const auto& names = re.NamedCapturingGroups();
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '$' || i + 1 >= tmpl.size()) {
      out += tmpl[i];
      continue;
    }
    if (tmpl[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    std::string name;
    size_t j = i + 1;
    if (tmpl[j] == '{') {
      size_t close = tmpl.find('}', j);
      if (close == std::string::npos) {
        out += tmpl[i];
        continue;
      }
      name = tmpl.substr(j + 1, close - j - 1);
      j = close + 1;
    } else {
      while (j < tmpl.size() &&
             (std::isalnum(static_cast<unsigned char>(tmpl[j])) || tmpl[j] == '_'))
        ++j;
      name = tmpl.substr(i + 1, j - i - 1);
    }
    if (name.empty()) {
      out += tmpl[i];
      continue;
    }
    i = j - 1;
    if (std::all_of(name.begin(), name.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      size_t idx = std::stoul(name);
      if (idx < groups.size()) out.append(groups[idx].data(), groups[idx].size());
    } else if (auto it = names.find(name); it != names.end()) {
      size_t idx = static_cast<size_t>(it->second);
      if (idx < groups.size()) out.append(groups[idx].data(), groups[idx].size());
    }
  }
  return out;
}

}  // namespace

EvalValue Evaluator::labelFunction(const Call& c, std::vector<EvalValue>& args) {
  std::string_view name = c.func->name;
  EvalValue out{ValueType::kVector, {}, {}, {}};
  const std::string& dst = args[1].str;
  if (!validLabelName(dst)) {
    execError("invalid destination label name in " + std::string(name) + "(): " + dst);
  }
  std::unique_ptr<RE2> re;
  if (name == "label_replace") {
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_dot_nl(true);
    re = std::make_unique<RE2>("^(?:" + args[4].str + ")$", opts);
    if (!re->ok()) execError("invalid regular expression in label_replace(): " + args[4].str);
  }
  SeriesCollector col;
  for (auto& s : args[0].series) {
    Labels l = s.metric;
    if (re) {
      std::string src(l.get(args[3].str));
      std::vector<re2::StringPiece> groups(re->NumberOfCapturingGroups() + 1);
      if (re->Match(src, 0, src.size(), RE2::UNANCHORED, groups.data(),
                    static_cast<int>(groups.size()))) {
        l.set(dst, expandTemplate(args[2].str, *re, groups));
      }
    } else {
      std::string joined;
      for (size_t i = 3; i < args.size(); ++i) {
        if (i > 3) joined += args[2].str;
        joined += std::string(l.get(args[i].str));
      }
      l.set(dst, joined);
    }
    size_t idx = col.seriesFor(std::move(l));
    for (const auto& p : s.points) col.add(idx, p.t, p.v);
  }
  out.series = col.take();
  return out;
}

}  // namespace strata::promql
