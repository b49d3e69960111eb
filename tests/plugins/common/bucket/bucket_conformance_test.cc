// The behaviour every Bucket backend shares (bucket.h), run against each backend a fixture
// factory can build: the filesystem backend always, the s3 backend when STRATA_TEST_S3_* name
// a server (s3_test_env.h; tests/integration/bucket/s3_conformance.sh starts radosgw for it).
// Each test gets an empty bucket: a fresh directory, or a fresh prefix of the S3 bucket (the
// PrefixedBucket adapter below), emptied afterwards.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bucket/filesystem_bucket.h"
#include "bucket/s3_bucket.h"
#include "s3_test_env.h"

namespace strata::bucket {
namespace {

namespace fs = std::filesystem;

std::string str(const std::vector<uint8_t>& b) { return std::string(b.begin(), b.end()); }

template <typename F>
ErrorKind kindOf(F&& f) {
  try {
    f();
  } catch (const BucketError& e) {
    return e.kind();
  }
  ADD_FAILURE() << "no BucketError thrown";
  return ErrorKind::Transient;
}

std::string randomHex(int n) {
  static std::mt19937_64 rng(std::random_device{}());
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < n; ++i) s += hex[rng() & 15];
  return s;
}

// Presents the objects below `prefix` of another bucket as a bucket of their own.
class PrefixedBucket : public Bucket {
 public:
  PrefixedBucket(std::unique_ptr<Bucket> inner, std::string prefix)
      : inner_(std::move(inner)), p_(std::move(prefix)) {}
  std::string describe() const override { return inner_->describe() + "/" + p_; }
  std::vector<uint8_t> get(std::string_view n) override { return inner_->get(p_ + std::string(n)); }
  std::vector<uint8_t> getRange(std::string_view n, uint64_t o, uint64_t l) override {
    return inner_->getRange(p_ + std::string(n), o, l);
  }
  using Bucket::put;
  void put(std::string_view n, std::span<const uint8_t> d) override {
    inner_->put(p_ + std::string(n), d);
  }
  void uploadFile(std::string_view n, const std::string& path) override {
    inner_->uploadFile(p_ + std::string(n), path);
  }
  void list(std::string_view prefix, std::string_view delimiter,
            const std::function<void(const std::string&)>& fn) override {
    inner_->list(p_ + std::string(prefix), delimiter,
                 [&](const std::string& e) { fn(e.substr(p_.size())); });
  }
  bool exists(std::string_view n) override { return inner_->exists(p_ + std::string(n)); }
  ObjectAttributes attributes(std::string_view n) override {
    return inner_->attributes(p_ + std::string(n));
  }
  void remove(std::string_view n) override { inner_->remove(p_ + std::string(n)); }

 private:
  std::unique_ptr<Bucket> inner_;
  std::string p_;
};

// A backend under test: builds an empty bucket per test and says what differs.
struct Backend {
  std::string name;
  std::function<std::unique_ptr<Bucket>(const std::string& scratch_dir)> make;
  bool remove_missing_is_not_found = true;  // S3 deletes are idempotent
  int replace_rounds = 200;                 // the atomic-replace race (S3 is slower)
};

std::vector<Backend> backends() {
  std::vector<Backend> out;
  out.push_back({"filesystem",
                 [](const std::string& dir) -> std::unique_ptr<Bucket> {
                   return std::make_unique<FilesystemBucket>(dir + "/bucket");
                 },
                 true, 200});
  if (testing::s3ConfigFromEnv()) {
    out.push_back({"s3",
                   [](const std::string&) -> std::unique_ptr<Bucket> {
                     return std::make_unique<PrefixedBucket>(
                         std::make_unique<S3Bucket>(*testing::s3ConfigFromEnv()),
                         "conformance-" + randomHex(12) + "/");
                   },
                   false, 30});
  }
  return out;
}

class BucketConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "strata-bucket-conf-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) std::abort();
    dir_ = tmpl;
    bkt_ = GetParam().make(dir_);
  }
  void TearDown() override {
    if (bkt_) {
      try {
        for (const auto& n : bkt_->listAll("", "")) bkt_->remove(n);
      } catch (const std::exception& e) {
        ADD_FAILURE() << "cleanup: " << e.what();
      }
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  Bucket& b() { return *bkt_; }
  void writeLocal(const std::string& path, const std::string& content) {
    std::ofstream(path, std::ios::binary) << content;
  }

  std::string dir_;
  std::unique_ptr<Bucket> bkt_;
};

TEST_P(BucketConformance, PutGetRoundTrip) {
  b().put("a/b/c.bin", std::string("hello"));
  EXPECT_EQ(str(b().get("a/b/c.bin")), "hello");

  std::vector<uint8_t> bin(70000);
  for (size_t i = 0; i < bin.size(); ++i) bin[i] = static_cast<uint8_t>(i * 7 + (i >> 8));
  b().put("bin", bin);
  EXPECT_EQ(b().get("bin"), bin);

  b().put("a/b/c.bin", std::string("replaced, longer"));
  EXPECT_EQ(str(b().get("a/b/c.bin")), "replaced, longer");
  b().put("empty", std::string());
  EXPECT_TRUE(b().get("empty").empty());
  EXPECT_TRUE(b().exists("empty"));
  // Names needing escapes in a URL and in XML.
  b().put("odd name/+&=%?#~'\"<x>", std::string("odd"));
  EXPECT_EQ(str(b().get("odd name/+&=%?#~'\"<x>")), "odd");
  EXPECT_EQ(b().listAll("odd name/", ""), std::vector<std::string>{"odd name/+&=%?#~'\"<x>"});
}

TEST_P(BucketConformance, UploadFileStreamsALocalFile) {
  std::string big(3 * 1024 * 1024 + 17, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 23);
  writeLocal(dir_ + "/local", big);
  b().uploadFile("up/loaded", dir_ + "/local");
  EXPECT_EQ(str(b().get("up/loaded")), big);
  writeLocal(dir_ + "/empty", "");
  b().uploadFile("up/empty", dir_ + "/empty");
  EXPECT_TRUE(b().get("up/empty").empty());

  try {
    b().uploadFile("up/missing", dir_ + "/no-such-file");
    FAIL() << "uploading a missing local file succeeded";
  } catch (const BucketError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Permanent);
    EXPECT_NE(std::string(e.what()).find("no-such-file"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(b().exists("up/missing"));
}

TEST_P(BucketConformance, GetRange) {
  b().put("r", std::string("0123456789"));
  EXPECT_EQ(str(b().getRange("r", 0, 3)), "012");
  EXPECT_EQ(str(b().getRange("r", 4, 3)), "456");
  EXPECT_EQ(str(b().getRange("r", 7, 100)), "789");
  EXPECT_EQ(str(b().getRange("r", 0, UINT64_MAX)), "0123456789");
  EXPECT_EQ(str(b().getRange("r", 9, 1)), "9");
  EXPECT_TRUE(b().getRange("r", 10, 5).empty());
  EXPECT_TRUE(b().getRange("r", 1000, 5).empty());
  EXPECT_TRUE(b().getRange("r", 2, 0).empty());
  b().put("zero", std::string());
  EXPECT_TRUE(b().getRange("zero", 0, 5).empty());
  EXPECT_EQ(kindOf([&] { b().getRange("missing", 0, 1); }), ErrorKind::NotFound);
  EXPECT_EQ(kindOf([&] { b().getRange("missing", 0, 0); }), ErrorKind::NotFound);
}

TEST_P(BucketConformance, MissingObjectsAreNotFoundWithANamedMessage) {
  try {
    b().get("01ABC/meta.json");
    FAIL() << "get of a missing object succeeded";
  } catch (const BucketError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NotFound);
    EXPECT_TRUE(e.isNotFound());
    EXPECT_EQ(e.op(), "get");
    EXPECT_NE(e.object().find("01ABC/meta.json"), std::string::npos);
    EXPECT_TRUE(std::string(e.what()).starts_with("bucket get \"")) << e.what();
  }
  EXPECT_FALSE(b().exists("01ABC/meta.json"));
  EXPECT_EQ(kindOf([&] { b().attributes("nope"); }), ErrorKind::NotFound);
  if (GetParam().remove_missing_is_not_found) {
    EXPECT_EQ(kindOf([&] { b().remove("nope"); }), ErrorKind::NotFound);
  } else {
    EXPECT_NO_THROW(b().remove("nope"));
  }
  // A "directory" is not an object.
  b().put("d/x", std::string("x"));
  EXPECT_FALSE(b().exists("d"));
  EXPECT_EQ(kindOf([&] { b().get("d"); }), ErrorKind::NotFound);
  EXPECT_EQ(kindOf([&] { b().attributes("d"); }), ErrorKind::NotFound);
  EXPECT_TRUE(b().exists("d/x"));
  EXPECT_EQ(kindOf([&] { b().get("d/x/y"); }), ErrorKind::NotFound);
}

TEST_P(BucketConformance, Attributes) {
  auto before = std::chrono::system_clock::now() - std::chrono::seconds(2);
  b().put("x/attr", std::string(1234, 'z'));
  auto after = std::chrono::system_clock::now() + std::chrono::seconds(2);
  ObjectAttributes a = b().attributes("x/attr");
  EXPECT_EQ(a.size, 1234u);
  EXPECT_GT(a.last_modified, before);
  EXPECT_LT(a.last_modified, after);
  b().put("x/attr", std::string("ab"));
  EXPECT_EQ(b().attributes("x/attr").size, 2u);
}

TEST_P(BucketConformance, ListOneLevelWithDelimiter) {
  for (const char* n : {"b/one", "a/x/deep", "a/y", "a-b", "a.txt", "ab", "c", "01H/meta.json",
                        "01H/chunks/000001", "01H/index"}) {
    b().put(n, std::string(n));
  }
  using V = std::vector<std::string>;
  EXPECT_EQ(b().listAll("", "/"), (V{"01H/", "a-b", "a.txt", "a/", "ab", "b/", "c"}));
  EXPECT_EQ(b().listAll("01H/", "/"), (V{"01H/chunks/", "01H/index", "01H/meta.json"}));
  EXPECT_EQ(b().listAll("a/", "/"), (V{"a/x/", "a/y"}));
  EXPECT_EQ(b().listAll("a", "/"), (V{"a-b", "a.txt", "a/", "ab"}));
  EXPECT_EQ(b().listAll("01H/m", "/"), (V{"01H/meta.json"}));
  EXPECT_EQ(b().listAll("01H/ch", "/"), (V{"01H/chunks/"}));
  EXPECT_EQ(b().listAll("a/x", "/"), (V{"a/x/"}));
  EXPECT_TRUE(b().listAll("zzz", "/").empty());
  EXPECT_TRUE(b().listAll("nodir/", "/").empty());
  EXPECT_TRUE(b().listAll("c/", "/").empty());
}

TEST_P(BucketConformance, ListRecursive) {
  for (const char* n : {"b/one", "a/x/deep", "a/y", "a-b", "ab", "01H/meta.json",
                        "01H/chunks/000002", "01H/chunks/000001"}) {
    b().put(n, std::string(n));
  }
  using V = std::vector<std::string>;
  EXPECT_EQ(b().listAll("", ""), (V{"01H/chunks/000001", "01H/chunks/000002", "01H/meta.json",
                                    "a-b", "a/x/deep", "a/y", "ab", "b/one"}));
  EXPECT_EQ(b().listAll("a", ""), (V{"a-b", "a/x/deep", "a/y", "ab"}));
  EXPECT_EQ(b().listAll("01H/chunks/", ""), (V{"01H/chunks/000001", "01H/chunks/000002"}));
  EXPECT_EQ(b().listAll("01H/chunks/0000", ""), (V{"01H/chunks/000001", "01H/chunks/000002"}));
  EXPECT_EQ(b().listAll("", "-"), (V{"01H/chunks/000001", "01H/chunks/000002", "01H/meta.json",
                                     "a-", "a/x/deep", "a/y", "ab", "b/one"}));
  EXPECT_EQ(b().listAll("01H/", "0"), (V{"01H/chunks/0", "01H/meta.json"}));
}

// More objects than one ListObjectsV2 page holds (1000): continuation tokens.
TEST_P(BucketConformance, ListContinuesAcrossPages) {
  constexpr int kObjects = 1037;
  std::vector<std::thread> threads;
  std::atomic<int> next{0}, failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < kObjects; i = next++) {
        char n[32];
        std::snprintf(n, sizeof n, "many/%05d", i);
        try {
          b().put(n, std::string("x"));
        } catch (const std::exception& e) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);
  b().put("many0", std::string("after"));
  auto all = b().listAll("many/", "");
  ASSERT_EQ(all.size(), static_cast<size_t>(kObjects));
  for (int i = 0; i < kObjects; ++i) {
    char n[32];
    std::snprintf(n, sizeof n, "many/%05d", i);
    ASSERT_EQ(all[i], n);
  }
  EXPECT_EQ(b().listAll("", "/"), (std::vector<std::string>{"many/", "many0"}));
  EXPECT_EQ(b().listAll("many", "").size(), static_cast<size_t>(kObjects + 1));
}

TEST_P(BucketConformance, ListCallbackExceptionsPropagate) {
  b().put("a", std::string("1"));
  b().put("b", std::string("2"));
  int calls = 0;
  EXPECT_THROW(b().list("", "/",
                        [&](const std::string&) {
                          ++calls;
                          throw std::runtime_error("stop");
                        }),
               std::runtime_error);
  EXPECT_EQ(calls, 1);
}

TEST_P(BucketConformance, Remove) {
  b().put("blk/chunks/000001", std::string("c1"));
  b().put("blk/meta.json", std::string("{}"));
  b().remove("blk/chunks/000001");
  EXPECT_FALSE(b().exists("blk/chunks/000001"));
  EXPECT_EQ(kindOf([&] { b().get("blk/chunks/000001"); }), ErrorKind::NotFound);
  EXPECT_EQ(b().listAll("", "/"), std::vector<std::string>{"blk/"});
  EXPECT_EQ(b().listAll("blk/", "/"), std::vector<std::string>{"blk/meta.json"});
  b().remove("blk/meta.json");
  EXPECT_TRUE(b().listAll("", "").empty());
  EXPECT_TRUE(b().listAll("", "/").empty());
  b().put("blk/chunks/000001", std::string("again"));
  EXPECT_EQ(str(b().get("blk/chunks/000001")), "again");
}

TEST_P(BucketConformance, InvalidNamesArePermanent) {
  for (const std::string n : {"", "/abs", "../x", "a//b", "a/", "a/./b"}) {
    SCOPED_TRACE(n);
    EXPECT_EQ(kindOf([&] { b().get(n); }), ErrorKind::Permanent);
    EXPECT_EQ(kindOf([&] { b().put(n, std::string("x")); }), ErrorKind::Permanent);
    EXPECT_EQ(kindOf([&] { b().exists(n); }), ErrorKind::Permanent);
    EXPECT_EQ(kindOf([&] { b().remove(n); }), ErrorKind::Permanent);
  }
  EXPECT_TRUE(b().listAll("", "").empty());
}

// Readers racing replacements of one object only ever see one complete version.
TEST_P(BucketConformance, ConcurrentReaderSeesOnlyCompleteVersions) {
  const std::string old_v(512 * 1024, 'o');
  const std::string new_v(768 * 1024 + 3, 'n');
  b().put("blk/index", old_v);
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, bad{0}, errors{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        try {
          std::string got = str(b().get("blk/index"));
          if (got != old_v && got != new_v) ++bad;
          std::string tail = str(b().getRange("blk/index", old_v.size() - 4, 4));
          if (tail != "oooo" && tail != "nnnn") ++bad;
        } catch (const BucketError&) {
          ++errors;
        }
        ++reads;
      }
    });
  }
  const int rounds = GetParam().replace_rounds;
  for (int i = 0; i < rounds; ++i) b().put("blk/index", i % 2 ? old_v : new_v);
  for (int i = 0; i < 10 * rounds && reads.load() < rounds; ++i) {
    b().put("blk/index", i % 2 ? old_v : new_v);
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(errors.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, BucketConformance, ::testing::ValuesIn(backends()),
                         [](const ::testing::TestParamInfo<Backend>& i) { return i.param.name; });

}  // namespace
}  // namespace strata::bucket
