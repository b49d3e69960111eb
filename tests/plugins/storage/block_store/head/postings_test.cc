#include "head/postings.h"

#include <gtest/gtest.h>

#include "query/postings_select.h"

namespace strata::block_store {
namespace {

TEST(Postings, SetOperations) {
  std::vector<uint32_t> a{1, 3, 5, 7, 9}, b{3, 4, 5, 10}, c{0, 9};
  EXPECT_EQ(intersectSorted(a, b), (std::vector<uint32_t>{3, 5}));
  EXPECT_EQ(subtractSorted(a, b), (std::vector<uint32_t>{1, 7, 9}));
  EXPECT_EQ(uniteSorted<uint32_t>({&a, &b, &c}), (std::vector<uint32_t>{0, 1, 3, 4, 5, 7, 9, 10}));
  EXPECT_TRUE(uniteSorted<uint32_t>({}).empty());
}

// A tiny index: series id -> labels, through MemPostings, with names/values as symbol ids.
struct Index {
  std::vector<std::string> symbols;
  MemPostings postings;
  uint32_t sym(const std::string& s) {
    for (uint32_t i = 0; i < symbols.size(); ++i)
      if (symbols[i] == s) return i;
    symbols.push_back(s);
    return static_cast<uint32_t>(symbols.size() - 1);
  }
  void add(uint32_t id, std::vector<std::pair<std::string, std::string>> labels) {
    for (auto& [n, v] : labels) postings.add(id, sym(n), sym(v));
  }
  std::vector<uint32_t> select(const std::vector<Matcher>& ms) {
    std::function<std::vector<uint32_t>()> all = [this] { return postings.all(); };
    std::function<std::vector<uint32_t>(const std::string&,
                                        const std::function<bool(std::string_view)>&)>
        where = [this](const std::string& name, const std::function<bool(std::string_view)>& p) {
          std::vector<const PostingList*> lists;
          uint32_t nid = sym(name);
          for (uint32_t v : postings.values(nid))
            if (p(symbols[v])) lists.push_back(postings.get(nid, v));
          return uniteSorted(lists);
        };
    return selectPostings<uint32_t>(ms, all, where);
  }
};

TEST(Postings, MatchersIntersectAndSubtract) {
  Index idx;
  idx.add(0, {{"__name__", "up"}, {"job", "a"}, {"zone", "x"}});
  idx.add(1, {{"__name__", "up"}, {"job", "b"}});
  idx.add(2, {{"__name__", "cpu"}, {"job", "a"}, {"zone", "y"}});
  idx.add(3, {{"__name__", "up"}, {"job", "ab"}, {"zone", "y"}});
  auto m = [](strata_match_type t, const char* n, const char* v) { return Matcher(t, n, v); };
  std::vector<Matcher> q1;
  q1.push_back(m(STRATA_MATCH_EQ, "__name__", "up"));
  q1.push_back(m(STRATA_MATCH_EQ, "job", "a"));
  EXPECT_EQ(idx.select(q1), (std::vector<uint32_t>{0}));
  std::vector<Matcher> q2;
  q2.push_back(m(STRATA_MATCH_RE, "job", "a.*"));  // anchored: "a", "ab"
  EXPECT_EQ(idx.select(q2), (std::vector<uint32_t>{0, 2, 3}));
  std::vector<Matcher> q3;
  q3.push_back(m(STRATA_MATCH_EQ, "__name__", "up"));
  q3.push_back(m(STRATA_MATCH_NEQ, "zone", "y"));  // keeps series without zone
  EXPECT_EQ(idx.select(q3), (std::vector<uint32_t>{0, 1}));
  std::vector<Matcher> q4;
  q4.push_back(m(STRATA_MATCH_EQ, "zone", ""));  // only series without zone
  EXPECT_EQ(idx.select(q4), (std::vector<uint32_t>{1}));
  std::vector<Matcher> q5;
  q5.push_back(m(STRATA_MATCH_NRE, "job", "a|b"));
  EXPECT_EQ(idx.select(q5), (std::vector<uint32_t>{3}));
  std::vector<Matcher> q6;
  q6.push_back(m(STRATA_MATCH_RE, "job", "b"));  // not a substring match
  q6.push_back(m(STRATA_MATCH_RE, "__name__", "u"));
  EXPECT_TRUE(idx.select(q6).empty());
}

TEST(Matcher, BadRegexThrows) {
  EXPECT_THROW(Matcher(STRATA_MATCH_RE, "a", "(("), std::invalid_argument);
}

}  // namespace
}  // namespace strata::block_store
