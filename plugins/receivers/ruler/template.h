// A subset of Go's text/template as Prometheus uses it in alert labels and annotations:
// text with `{{ pipeline }}` actions (`{{-`/`-}}` trim, `{{/* comments */}}`). A pipeline is
// commands joined by `|`; a command is an operand ($labels.x, $externalLabels.x, $value,
// $externalURL, .Labels.x, .Value, "string", `raw`, a number) or a function with operands:
// humanize, humanize1024, humanizeDuration, humanizePercentage, humanizeTimestamp, printf,
// toUpper, toLower, title. Not supported: if/range/with/define blocks, variables
// assignments, parentheses, `query` and the other functions that need the engine.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace strata::ruler {

struct TemplateData {
  std::map<std::string, std::string> labels, external_labels;
  double value = 0;
  std::string external_url;
};

class Template {
 public:
  // nullopt with *error set when `text` does not parse.
  static std::optional<Template> parse(const std::string& text, std::string* error);
  // Throws std::runtime_error on an execution error (unknown function, bad argument).
  std::string render(const TemplateData& data) const;

  struct Token {
    enum Kind { kVar, kString, kNumber, kIdent, kPipe } kind;
    std::string text;  // variable path ("$labels.x"), literal text or function name
    double number = 0;
  };
  struct Part {
    std::string text;                          // literal text, or
    std::vector<std::vector<Token>> pipeline;  // an action: commands
  };

 private:
  std::vector<Part> parts_;
};

// Prometheus' template functions, also used directly by tests.
std::string humanize(double v);
std::string humanize1024(double v);
std::string humanizeDuration(double v);
std::string humanizePercentage(double v);
std::string goFloat(double v);  // Go's %v of a float64 (strconv 'g', shortest)
// Go's fmt.Sprintf for the verbs %s %v %d %f %e %g %q %% with flags/width/precision.
struct TemplateValue {
  bool is_number = false;
  double number = 0;
  std::string str;
};
std::string goSprintf(const std::string& format, const std::vector<TemplateValue>& args);

}  // namespace strata::ruler
