#include "core/config/env_expand.h"

#include <gtest/gtest.h>

#include <map>

namespace strata::config {
namespace {

EnvLookup fakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string expand(const std::string& in, const EnvLookup& env) {
  std::string out, error;
  EXPECT_TRUE(expandEnvString(in, env, out, error)) << error;
  return out;
}

TEST(EnvExpand, VariablesDefaultsAndLiterals) {
  auto env = fakeEnv({{"HOST", "db"}, {"EMPTY", ""}});
  EXPECT_EQ(expand("${HOST}:5432", env), "db:5432");
  EXPECT_EQ(expand("${MISSING:-x}/${HOST:-y}", env), "x/db");
  EXPECT_EQ(expand("${EMPTY:-fallback}", env), "fallback");
  EXPECT_EQ(expand("$${HOST}", env), "${HOST}");
  EXPECT_EQ(expand("${1}-$2", env), "${1}-$2");  // relabel replacements stay
  EXPECT_EQ(expand("no vars", env), "no vars");
}

TEST(EnvExpand, UnsetWithoutDefaultIsAnErrorAtTheScalar) {
  Diagnostics diags;
  ConfigNode root = parseYaml("a:\n  b: x-${NOPE}\n  c: ${HOST}\n", "f.yaml", diags);
  expandEnv(root, diags, fakeEnv({{"HOST", "h"}}));
  ASSERT_EQ(diags.items().size(), 1u);
  EXPECT_EQ(diags.items()[0].code, "env-unset");
  EXPECT_EQ(diags.items()[0].pos.line, 2);
  EXPECT_EQ(diags.items()[0].pos.column, 6);
  EXPECT_NE(diags.items()[0].message.find("NOPE"), std::string::npos);
  EXPECT_EQ(root.find("a")->find("c")->scalar, "h");
  EXPECT_EQ(root.find("a")->find("c")->pos.column, 6);  // positions stay those of the file
}

TEST(EnvExpand, KeysAreNotExpanded) {
  Diagnostics diags;
  ConfigNode root = parseYaml("${HOST}: 1\n", "f.yaml", diags);
  expandEnv(root, diags, fakeEnv({{"HOST", "h"}}));
  EXPECT_EQ(root.keys[0].scalar, "${HOST}");
}

TEST(EnvExpand, UnterminatedReference) {
  std::string out, error;
  EXPECT_FALSE(expandEnvString("${HOST", fakeEnv({}), out, error));
  EXPECT_NE(error.find("unterminated"), std::string::npos);
}

}  // namespace
}  // namespace strata::config
