#include "bucket/filesystem_bucket.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace strata::bucket {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "strata-bucket-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) std::abort();
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string str(const std::vector<uint8_t>& b) { return std::string(b.begin(), b.end()); }

void writeLocal(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

// Runs f and returns the kind of the BucketError it throws; fails when it throws nothing.
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

class FilesystemBucketTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string root_ = dir_.path() + "/bucket";
  FilesystemBucket bkt_{root_};
};

TEST_F(FilesystemBucketTest, CreatesRootAndDescribesItself) {
  EXPECT_TRUE(fs::is_directory(root_));
  EXPECT_EQ(bkt_.describe(), "filesystem:" + root_);
}

TEST_F(FilesystemBucketTest, PutGetRoundTrip) {
  bkt_.put("a/b/c.bin", std::string("hello"));
  EXPECT_EQ(str(bkt_.get("a/b/c.bin")), "hello");
  EXPECT_TRUE(fs::is_regular_file(root_ + "/a/b/c.bin"));  // name = path under the root

  std::vector<uint8_t> bin(70000);
  for (size_t i = 0; i < bin.size(); ++i) bin[i] = static_cast<uint8_t>(i * 7 + (i >> 8));
  bkt_.put("bin", bin);
  EXPECT_EQ(bkt_.get("bin"), bin);

  bkt_.put("a/b/c.bin", std::string("replaced, longer"));  // overwrite
  EXPECT_EQ(str(bkt_.get("a/b/c.bin")), "replaced, longer");
  bkt_.put("empty", std::string());
  EXPECT_TRUE(bkt_.get("empty").empty());
  EXPECT_TRUE(bkt_.exists("empty"));
}

TEST_F(FilesystemBucketTest, UploadFileStreamsALocalFile) {
  std::string big(3 * 1024 * 1024 + 17, '\0');  // more than one copy buffer
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 23);
  writeLocal(dir_.path() + "/local", big);
  bkt_.uploadFile("up/loaded", dir_.path() + "/local");
  EXPECT_EQ(str(bkt_.get("up/loaded")), big);

  try {
    bkt_.uploadFile("up/missing", dir_.path() + "/no-such-file");
    FAIL() << "uploading a missing local file succeeded";
  } catch (const BucketError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Permanent);
    EXPECT_NE(std::string(e.what()).find("no-such-file"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(bkt_.exists("up/missing"));
}

// Ranges are clipped to the object; an offset at or past the end gives no bytes, not an error.
TEST_F(FilesystemBucketTest, GetRange) {
  bkt_.put("r", std::string("0123456789"));
  EXPECT_EQ(str(bkt_.getRange("r", 0, 3)), "012");
  EXPECT_EQ(str(bkt_.getRange("r", 4, 3)), "456");
  EXPECT_EQ(str(bkt_.getRange("r", 7, 100)), "789");  // clipped at the end
  EXPECT_EQ(str(bkt_.getRange("r", 0, UINT64_MAX)), "0123456789");
  EXPECT_EQ(str(bkt_.getRange("r", 9, 1)), "9");
  EXPECT_TRUE(bkt_.getRange("r", 10, 5).empty());  // offset == size
  EXPECT_TRUE(bkt_.getRange("r", 1000, 5).empty());
  EXPECT_TRUE(bkt_.getRange("r", 2, 0).empty());
  EXPECT_EQ(kindOf([&] { bkt_.getRange("missing", 0, 1); }), ErrorKind::NotFound);
}

TEST_F(FilesystemBucketTest, MissingObjectsAreNotFoundWithANamedMessage) {
  try {
    bkt_.get("01ABC/meta.json");
    FAIL() << "get of a missing object succeeded";
  } catch (const BucketError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NotFound);
    EXPECT_TRUE(e.isNotFound());
    EXPECT_EQ(e.op(), "get");
    EXPECT_EQ(e.object(), "01ABC/meta.json");
    EXPECT_EQ(std::string(e.what()), "bucket get \"01ABC/meta.json\": object not found");
  }
  EXPECT_FALSE(bkt_.exists("01ABC/meta.json"));
  EXPECT_EQ(kindOf([&] { bkt_.attributes("nope"); }), ErrorKind::NotFound);
  EXPECT_EQ(kindOf([&] { bkt_.remove("nope"); }), ErrorKind::NotFound);
  // A "directory" is not an object.
  bkt_.put("d/x", std::string("x"));
  EXPECT_FALSE(bkt_.exists("d"));
  EXPECT_EQ(kindOf([&] { bkt_.get("d"); }), ErrorKind::NotFound);
  EXPECT_EQ(kindOf([&] { bkt_.attributes("d"); }), ErrorKind::NotFound);
  EXPECT_EQ(kindOf([&] { bkt_.remove("d"); }), ErrorKind::NotFound);
  EXPECT_TRUE(bkt_.exists("d/x"));
  // Below an object there is nothing.
  EXPECT_EQ(kindOf([&] { bkt_.get("d/x/y"); }), ErrorKind::NotFound);
}

TEST_F(FilesystemBucketTest, Attributes) {
  auto before = std::chrono::system_clock::now() - std::chrono::seconds(2);
  bkt_.put("x/attr", std::string(1234, 'z'));
  auto after = std::chrono::system_clock::now() + std::chrono::seconds(2);
  ObjectAttributes a = bkt_.attributes("x/attr");
  EXPECT_EQ(a.size, 1234u);
  EXPECT_GT(a.last_modified, before);
  EXPECT_LT(a.last_modified, after);
  bkt_.put("x/attr", std::string("ab"));
  EXPECT_EQ(bkt_.attributes("x/attr").size, 2u);
}

TEST_F(FilesystemBucketTest, ListOneLevelWithDelimiter) {
  for (const char* n : {"b/one", "a/x/deep", "a/y", "a-b", "a.txt", "ab", "c", "01H/meta.json",
                        "01H/chunks/000001", "01H/index"}) {
    bkt_.put(n, std::string(n));
  }
  using V = std::vector<std::string>;
  // Byte order: '-' (0x2d) < '.' (0x2e) < '/' (0x2f) < '0' < 'a'.
  EXPECT_EQ(bkt_.listAll("", "/"), (V{"01H/", "a-b", "a.txt", "a/", "ab", "b/", "c"}));
  EXPECT_EQ(bkt_.listAll("01H/", "/"), (V{"01H/chunks/", "01H/index", "01H/meta.json"}));
  EXPECT_EQ(bkt_.listAll("a/", "/"), (V{"a/x/", "a/y"}));
  // A prefix need not end at a '/'.
  EXPECT_EQ(bkt_.listAll("a", "/"), (V{"a-b", "a.txt", "a/", "ab"}));
  EXPECT_EQ(bkt_.listAll("01H/m", "/"), (V{"01H/meta.json"}));
  EXPECT_EQ(bkt_.listAll("01H/ch", "/"), (V{"01H/chunks/"}));
  EXPECT_EQ(bkt_.listAll("a/x", "/"), (V{"a/x/"}));
  // Nothing there: no entries, no error.
  EXPECT_TRUE(bkt_.listAll("zzz", "/").empty());
  EXPECT_TRUE(bkt_.listAll("nodir/", "/").empty());
  EXPECT_TRUE(bkt_.listAll("c/", "/").empty());  // below an object
}

TEST_F(FilesystemBucketTest, ListRecursive) {
  for (const char* n : {"b/one", "a/x/deep", "a/y", "a-b", "ab", "01H/meta.json",
                        "01H/chunks/000002", "01H/chunks/000001"}) {
    bkt_.put(n, std::string(n));
  }
  using V = std::vector<std::string>;
  EXPECT_EQ(bkt_.listAll("", ""), (V{"01H/chunks/000001", "01H/chunks/000002", "01H/meta.json",
                                     "a-b", "a/x/deep", "a/y", "ab", "b/one"}));
  EXPECT_EQ(bkt_.listAll("a", ""), (V{"a-b", "a/x/deep", "a/y", "ab"}));
  EXPECT_EQ(bkt_.listAll("01H/chunks/", ""), (V{"01H/chunks/000001", "01H/chunks/000002"}));
  EXPECT_EQ(bkt_.listAll("01H/chunks/0000", ""), (V{"01H/chunks/000001", "01H/chunks/000002"}));
  // Another delimiter rolls up as S3 does: cut after its first occurrence past the prefix.
  EXPECT_EQ(bkt_.listAll("", "-"), (V{"01H/chunks/000001", "01H/chunks/000002", "01H/meta.json",
                                      "a-", "a/x/deep", "a/y", "ab", "b/one"}));
  EXPECT_EQ(bkt_.listAll("01H/", "0"), (V{"01H/chunks/0", "01H/meta.json"}));
}

// The same listing as an S3 store would give for a directory tree built by hand: empty
// directories and directories holding only temp files are not "common prefixes".
TEST_F(FilesystemBucketTest, ListSkipsTempFilesAndEmptyDirectories) {
  bkt_.put("blk/meta.json", std::string("{}"));
  fs::create_directories(root_ + "/empty/nested");
  fs::create_directories(root_ + "/crashed");
  writeLocal(root_ + "/crashed/meta.json.strata-tmp.0123456789abcdef", "half");
  writeLocal(root_ + "/blk/index.strata-tmp.fedcba9876543210", "half");
  using V = std::vector<std::string>;
  EXPECT_EQ(bkt_.listAll("", "/"), (V{"blk/"}));
  EXPECT_EQ(bkt_.listAll("", ""), (V{"blk/meta.json"}));
  EXPECT_EQ(bkt_.listAll("blk/", "/"), (V{"blk/meta.json"}));
  EXPECT_TRUE(FilesystemBucket::isTempFileName("index.strata-tmp.fedcba9876543210"));
  EXPECT_FALSE(FilesystemBucket::isTempFileName("index"));
  EXPECT_FALSE(FilesystemBucket::isTempFileName("index.strata-tmp.xyz"));
  // A temp file is not reachable as an object.
  EXPECT_EQ(kindOf([&] { bkt_.get("blk/index.strata-tmp.fedcba9876543210"); }),
            ErrorKind::Permanent);
}

TEST_F(FilesystemBucketTest, PutLeavesNoTempFiles) {
  for (int i = 0; i < 20; ++i) bkt_.put("t/obj", std::to_string(i));
  std::vector<std::string> files;
  for (auto& e : fs::recursive_directory_iterator(root_)) {
    if (e.is_regular_file()) files.push_back(e.path().filename().string());
  }
  EXPECT_EQ(files, (std::vector<std::string>{"obj"}));
}

TEST_F(FilesystemBucketTest, ListCallbackExceptionsPropagate) {
  bkt_.put("a", std::string("1"));
  bkt_.put("b", std::string("2"));
  int calls = 0;
  EXPECT_THROW(bkt_.list("", "/",
                         [&](const std::string&) {
                           ++calls;
                           throw std::runtime_error("stop");
                         }),
               std::runtime_error);
  EXPECT_EQ(calls, 1);
}

TEST_F(FilesystemBucketTest, RemovePrunesEmptyParentsUpToTheRoot) {
  bkt_.put("blk/chunks/000001", std::string("c1"));
  bkt_.put("blk/chunks/000002", std::string("c2"));
  bkt_.put("blk/meta.json", std::string("{}"));
  bkt_.remove("blk/chunks/000001");
  EXPECT_FALSE(bkt_.exists("blk/chunks/000001"));
  EXPECT_TRUE(fs::is_directory(root_ + "/blk/chunks"));  // still holds 000002
  bkt_.remove("blk/chunks/000002");
  EXPECT_FALSE(fs::exists(root_ + "/blk/chunks"));  // pruned
  EXPECT_TRUE(fs::is_directory(root_ + "/blk"));    // still holds meta.json
  bkt_.remove("blk/meta.json");
  EXPECT_FALSE(fs::exists(root_ + "/blk"));
  EXPECT_TRUE(fs::is_directory(root_));  // the root itself stays
  EXPECT_TRUE(fs::is_empty(root_));
  EXPECT_TRUE(bkt_.listAll("", "").empty());
  // A put after pruning recreates the directories.
  bkt_.put("blk/chunks/000001", std::string("again"));
  EXPECT_EQ(str(bkt_.get("blk/chunks/000001")), "again");
}

TEST_F(FilesystemBucketTest, MalformedAndEscapingNamesAreRefused) {
  // A file just outside the root that an escaping name would reach.
  writeLocal(dir_.path() + "/secret", "outside");
  const std::vector<std::string> bad = {"",
                                        "/abs",
                                        "../secret",
                                        "a/../../secret",
                                        "a/..",
                                        "..",
                                        ".",
                                        "./a",
                                        "a/./b",
                                        "a//b",
                                        "a/",
                                        "/",
                                        "a/b/",
                                        std::string("a\0b", 3),
                                        "x.strata-tmp.0123456789abcdef"};
  for (const auto& n : bad) {
    SCOPED_TRACE(n);
    EXPECT_FALSE(isValidObjectName(n));
    EXPECT_EQ(kindOf([&] { bkt_.get(n); }), ErrorKind::Permanent);
    EXPECT_EQ(kindOf([&] { bkt_.getRange(n, 0, 1); }), ErrorKind::Permanent);
    EXPECT_EQ(kindOf([&] { bkt_.put(n, std::string("x")); }), ErrorKind::Permanent);
    EXPECT_EQ(kindOf([&] { bkt_.uploadFile(n, dir_.path() + "/secret"); }), ErrorKind::Permanent);
    EXPECT_EQ(kindOf([&] { bkt_.exists(n); }), ErrorKind::Permanent);
    EXPECT_EQ(kindOf([&] { bkt_.attributes(n); }), ErrorKind::Permanent);
    EXPECT_EQ(kindOf([&] { bkt_.remove(n); }), ErrorKind::Permanent);
  }
  EXPECT_EQ(kindOf([&] { bkt_.list("../", "/", [](const std::string&) {}); }),
            ErrorKind::Permanent);
  EXPECT_EQ(kindOf([&] { bkt_.list("/", "", [](const std::string&) {}); }), ErrorKind::Permanent);
  EXPECT_EQ(kindOf([&] { bkt_.list("a/../", "", [](const std::string&) {}); }),
            ErrorKind::Permanent);
  // Nothing was written or removed outside (or inside) the root.
  std::ifstream in(dir_.path() + "/secret");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "outside");
  EXPECT_TRUE(fs::is_empty(root_));
  // Valid names that merely look odd.
  for (const char* n : {"a..b", "..a", "a/.hidden", "a b/c", "x.strata-tmp"}) {
    EXPECT_TRUE(isValidObjectName(n)) << n;
  }
  EXPECT_TRUE(isValidPrefix(""));
  EXPECT_TRUE(isValidPrefix("a/"));
  EXPECT_FALSE(isValidPrefix("a//"));
}

TEST_F(FilesystemBucketTest, SymlinksAreNotFollowed) {
  writeLocal(dir_.path() + "/secret", "outside");
  fs::create_symlink(dir_.path() + "/secret", root_ + "/link");
  EXPECT_EQ(kindOf([&] { bkt_.get("link"); }), ErrorKind::NotFound);
  EXPECT_FALSE(bkt_.exists("link"));
  EXPECT_TRUE(bkt_.listAll("", "").empty());
}

TEST_F(FilesystemBucketTest, NameClashesBetweenObjectAndDirectoryArePermanent) {
  bkt_.put("a/b", std::string("x"));
  EXPECT_EQ(kindOf([&] { bkt_.put("a", std::string("y")); }), ErrorKind::Permanent);
  bkt_.put("f", std::string("x"));
  EXPECT_EQ(kindOf([&] { bkt_.put("f/g", std::string("y")); }), ErrorKind::Permanent);
  EXPECT_EQ(str(bkt_.get("a/b")), "x");
  EXPECT_EQ(str(bkt_.get("f")), "x");
}

// A reader racing many puts of one object only ever sees one complete version. Writing in
// place (open with O_TRUNC + write) fails this test: readers see empty or truncated content.
TEST_F(FilesystemBucketTest, ConcurrentReaderSeesOnlyCompleteVersions) {
  const std::string old_v(512 * 1024, 'o');
  const std::string new_v(768 * 1024 + 3, 'n');
  bkt_.put("blk/index", old_v);
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, bad{0}, not_found{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        try {
          std::string got = str(bkt_.get("blk/index"));
          if (got != old_v && got != new_v) ++bad;
          std::string tail = str(bkt_.getRange("blk/index", old_v.size() - 4, 4));
          if (tail != "oooo" && tail != "nnnn") ++bad;
        } catch (const BucketError&) {
          ++not_found;
        }
        ++reads;
      }
    });
  }
  for (int i = 0; i < 200; ++i) bkt_.put("blk/index", i % 2 ? old_v : new_v);
  // Keep writing until the readers had a fair chance to overlap with writes.
  for (int i = 0; i < 2000 && reads.load() < 200; ++i) bkt_.put("blk/index", i % 2 ? old_v : new_v);
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(not_found.load(), 0);  // the name never disappears during a replace
}

// Puts and removes of neighbouring objects race on directory creation and pruning.
TEST_F(FilesystemBucketTest, ConcurrentPutsAndRemovesInOneDirectory) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        std::string n = "dir/sub/obj" + std::to_string(t);
        try {
          bkt_.put(n, std::to_string(i));
          if (str(bkt_.get(n)) != std::to_string(i)) ++failures;
          bkt_.remove(n);
        } catch (const std::exception& e) {
          ++failures;
          ADD_FAILURE() << e.what();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE(bkt_.listAll("", "").empty());
}

TEST(BucketError, KindsAndMessage) {
  BucketError e(ErrorKind::Transient, "put", "a/b", "fsync temp file: I/O error");
  EXPECT_STREQ(e.what(), "bucket put \"a/b\": fsync temp file: I/O error");
  EXPECT_TRUE(e.isTransient());
  EXPECT_FALSE(e.isNotFound());
  BucketError noobj(ErrorKind::Unauthorized, "list", "", "401 from server");
  EXPECT_STREQ(noobj.what(), "bucket list: 401 from server");
  EXPECT_STREQ(errorKindName(ErrorKind::Forbidden), "forbidden");
}

}  // namespace
}  // namespace strata::bucket
