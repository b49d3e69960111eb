#include "core/config/diag_printer.h"

#include <gtest/gtest.h>

#include <sstream>

namespace strata::config {
namespace {

TEST(DiagPrinter, TextHasLocationSnippetCaretAndHelp) {
  SourceCache sources;
  sources.add("p.yaml", "receivers:\n  gen:\n    intervall: 5s\n");
  Diagnostics d;
  d.error("unknown-option", {"p.yaml", 3, 5}, "unknown option 'intervall'",
          "did you mean 'interval'?");
  d.warning("unused-component", {"p.yaml", 2, 3}, "unused");
  std::ostringstream out;
  printText(out, d.items(), sources);
  EXPECT_EQ(out.str(),
            "p.yaml:3:5: error[unknown-option]: unknown option 'intervall'\n"
            " 3 |     intervall: 5s\n"
            "   |     ^\n"
            "  help: did you mean 'interval'?\n"
            "p.yaml:2:3: warning[unused-component]: unused\n"
            " 2 |   gen:\n"
            "   |   ^\n");
}

TEST(DiagPrinter, TextWithoutPositionOrSource) {
  SourceCache sources;
  Diagnostics d;
  d.error("io-error", {"missing.yaml", 0, 0}, "cannot read the file");
  std::ostringstream out;
  printText(out, d.items(), sources);
  EXPECT_EQ(out.str(), "missing.yaml: error[io-error]: cannot read the file\n");
}

TEST(DiagPrinter, JsonEscapesAndListsEveryField) {
  Diagnostics d;
  d.error("wrong-type", {"a\"b.yaml", 1, 2}, "got \"x\"\n", "h\\");
  std::ostringstream out;
  printJson(out, d.items());
  EXPECT_EQ(out.str(),
            "[\n {\"file\":\"a\\\"b.yaml\",\"line\":1,\"column\":2,\"severity\":\"error\","
            "\"code\":\"wrong-type\",\"message\":\"got \\\"x\\\"\\n\",\"hint\":\"h\\\\\"}\n]\n");
  std::ostringstream empty;
  printJson(empty, {});
  EXPECT_EQ(empty.str(), "[]\n");
}

}  // namespace
}  // namespace strata::config
