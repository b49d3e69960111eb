#include "core/config/diag_printer.h"

#include <cstdio>
#include <strata/sdk/json.hpp>

#include "core/config/config_node.h"

namespace strata::config {
namespace {

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string l = text.substr(start, end - start);
    if (!l.empty() && l.back() == '\r') l.pop_back();
    lines.push_back(std::move(l));
    start = end + 1;
  }
  return lines;
}

const char* severityName(Severity s) { return s == Severity::kError ? "error" : "warning"; }

// Spaces up to the caret, keeping the line's tabs so the caret lines up in a terminal.
std::string caretIndent(const std::string& line, int column) {
  std::string pad;
  for (int i = 0; i + 1 < column; ++i) {
    pad += (i < static_cast<int>(line.size()) && line[i] == '\t') ? '\t' : ' ';
  }
  return pad;
}

}  // namespace

void SourceCache::add(const std::string& file, const std::string& text) {
  files_[file] = splitLines(text);
}

std::string SourceCache::line(const std::string& file, int line) {
  auto it = files_.find(file);
  if (it == files_.end()) {
    std::string text;
    it = files_.emplace(file, readFile(file, text) ? splitLines(text) : std::vector<std::string>{})
             .first;
  }
  if (line < 1 || line > static_cast<int>(it->second.size())) return "";
  return it->second[line - 1];
}

void printText(std::ostream& out, const std::vector<Diagnostic>& diags, SourceCache& sources) {
  for (const Diagnostic& d : diags) {
    out << d.pos.file;
    if (d.pos.line > 0) out << ':' << d.pos.line << ':' << d.pos.column;
    out << ": " << severityName(d.severity) << '[' << d.code << "]: " << d.message << '\n';
    std::string src = d.pos.line > 0 ? sources.line(d.pos.file, d.pos.line) : "";
    if (!src.empty()) {
      std::string num = std::to_string(d.pos.line);
      std::string gutter(num.size(), ' ');
      out << ' ' << num << " | " << src << '\n';
      out << ' ' << gutter << " | " << caretIndent(src, d.pos.column) << "^\n";
    }
    if (!d.hint.empty()) out << "  help: " << d.hint << '\n';
  }
}

std::string jsonString(const std::string& s) { return sdk::jsonString(s); }

void printJson(std::ostream& out, const std::vector<Diagnostic>& diags) {
  out << '[';
  for (size_t i = 0; i < diags.size(); ++i) {
    const Diagnostic& d = diags[i];
    out << (i ? ",\n " : "\n ") << "{\"file\":" << jsonString(d.pos.file)
        << ",\"line\":" << d.pos.line << ",\"column\":" << d.pos.column << ",\"severity\":\""
        << severityName(d.severity) << "\",\"code\":" << jsonString(d.code)
        << ",\"message\":" << jsonString(d.message) << ",\"hint\":" << jsonString(d.hint) << '}';
  }
  out << (diags.empty() ? "]\n" : "\n]\n");
}

}  // namespace strata::config
