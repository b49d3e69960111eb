// The template subset and Prometheus' humanize functions.
#include "template.h"

#include <gtest/gtest.h>

namespace strata::ruler {
namespace {

std::string render(const std::string& text, double value = 0) {
  std::string err;
  auto t = Template::parse(text, &err);
  EXPECT_TRUE(t) << err;
  TemplateData d;
  d.labels = {{"instance", "i1"}, {"job", "api"}};
  d.external_labels = {{"cluster", "eu"}};
  d.value = value;
  return t ? t->render(d) : "";
}

TEST(Template, Variables) {
  EXPECT_EQ(render("{{ $labels.instance }} of {{ $labels.job }}"), "i1 of api");
  EXPECT_EQ(render("{{ $value }}", 0.5), "0.5");
  EXPECT_EQ(render("{{ $externalLabels.cluster }}"), "eu");
  EXPECT_EQ(render("[{{ $labels.nosuch }}]"), "[]");
  EXPECT_EQ(render("a {{- \" b \" -}} c"), "a b c");
  EXPECT_EQ(render("x{{/* comment */}}y"), "xy");
}

TEST(Template, Functions) {
  EXPECT_EQ(render("{{ $value | humanize }}", 1234567), "1.235M");
  EXPECT_EQ(render("{{ humanize $value }}", 0.0012), "1.2m");
  EXPECT_EQ(render("{{ $value | humanizePercentage }}", 0.256), "25.6%");
  EXPECT_EQ(render("{{ $value | humanizeDuration }}", 90061), "1d 1h 1m 1s");
  EXPECT_EQ(render("{{ printf \"%.2f\" $value }}", 3.14159), "3.14");
  EXPECT_EQ(render("{{ printf \"%s=%d\" $labels.job 42 }}"), "api=42");
  EXPECT_EQ(render("{{ $labels.job | toUpper }}"), "API");
}

TEST(Template, Humanize) {
  EXPECT_EQ(humanize(0), "0");
  EXPECT_EQ(humanize(1000), "1k");
  EXPECT_EQ(humanize(-2500), "-2.5k");
  EXPECT_EQ(humanize1024(2048), "2ki");
  EXPECT_EQ(humanizeDuration(0.25), "250ms");
  EXPECT_EQ(humanizeDuration(65), "1m 5s");
  EXPECT_EQ(humanizeDuration(2.5), "2.5s");
  EXPECT_EQ(goFloat(1e21), "1e+21");
  EXPECT_EQ(goFloat(123456), "123456");
}

TEST(Template, ParseErrors) {
  std::string err;
  EXPECT_FALSE(Template::parse("{{ $value ", &err));
  EXPECT_EQ(err, "unclosed action");
  EXPECT_FALSE(Template::parse("{{ frob $value }}", &err));
  EXPECT_EQ(err, "function \"frob\" not defined");
}

}  // namespace
}  // namespace strata::ruler
