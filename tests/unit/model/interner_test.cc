#include "core/model/interner.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace strata::model {
namespace {

TEST(Interner, SameStringSameStorage) {
  Interner in;
  std::string a = "instance";
  std::string b = "instance";
  std::string_view va = in.intern(a);
  std::string_view vb = in.intern(b);
  EXPECT_EQ(va, "instance");
  EXPECT_EQ(va.data(), vb.data());
  EXPECT_NE(va.data(), a.data());  // a copy, not the caller's buffer
  EXPECT_EQ(in.size(), 1u);
}

TEST(Interner, ViewsStayValidAcrossGrowth) {
  Interner in;
  std::string_view first = in.intern("x");  // short: lives inline in the set's node
  const char* where = first.data();
  for (int i = 0; i < 10000; ++i) in.intern("value_" + std::to_string(i));
  EXPECT_EQ(in.intern("x").data(), where);
  EXPECT_EQ(first, "x");
}

TEST(Interner, ConcurrentInternsAgree) {
  Interner in;
  constexpr int kThreads = 4, kStrings = 2000;
  std::vector<std::vector<const char*>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kStrings; ++i) seen[t].push_back(in.intern(std::to_string(i)).data());
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(in.size(), static_cast<size_t>(kStrings));
  for (int t = 1; t < kThreads; ++t) EXPECT_EQ(seen[t], seen[0]);
}

}  // namespace
}  // namespace strata::model
