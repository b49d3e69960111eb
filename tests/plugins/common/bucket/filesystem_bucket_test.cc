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
  bkt_.put("a/b/c.bin", std::string("hello"));
  EXPECT_TRUE(fs::is_regular_file(root_ + "/a/b/c.bin"));  // name = path under the root
}

// The behaviour shared with other backends is in bucket_conformance_test.cc; the filesystem's
// remove reports a missing object (S3's is idempotent), including a "directory".
TEST_F(FilesystemBucketTest, RemoveOfAMissingObjectOrDirectoryIsNotFound) {
  EXPECT_EQ(kindOf([&] { bkt_.remove("nope"); }), ErrorKind::NotFound);
  bkt_.put("d/x", std::string("x"));
  EXPECT_EQ(kindOf([&] { bkt_.remove("d"); }), ErrorKind::NotFound);
  EXPECT_TRUE(bkt_.exists("d/x"));
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
