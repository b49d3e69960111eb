// A block goes to the bucket in the Thanos layout with meta.json last, so a half-shipped block
// is never visible as a block; a failure part-way leaves no meta.json behind.
#include "block_upload.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "bucket/filesystem_bucket.h"

namespace strata::uploader {
namespace {

namespace fs = std::filesystem;

class RecordingBucket : public bucket::FilesystemBucket {
 public:
  using FilesystemBucket::FilesystemBucket;
  std::vector<std::string> uploads;
  std::string fail_on;  // an object name whose upload throws
  void uploadFile(std::string_view name, const std::string& path) override {
    if (name == fail_on)
      throw bucket::BucketError(bucket::ErrorKind::Transient, "put", std::string(name), "injected");
    uploads.emplace_back(name);
    FilesystemBucket::uploadFile(name, path);
  }
};

struct Dirs {
  fs::path root = fs::temp_directory_path() /
                  ("uploader_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  static inline int counter = 0;
  Dirs() { fs::create_directories(root); }
  ~Dirs() { fs::remove_all(root); }
};

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

const char kUlid[] = "01HB7PZJ5Y4Q8W6VQG1X2K3M4N";

fs::path makeBlock(const fs::path& root) {
  fs::path dir = root / "local" / kUlid;
  write(dir / "meta.json", "{\"ulid\":\"x\"}");
  write(dir / "index", "index bytes");
  write(dir / "chunks" / "000001", "chunk bytes");
  write(dir / "tombstones", "");
  return dir;
}

TEST(BlockUpload, MetaJsonIsWrittenLastInTheThanosLayout) {
  Dirs d;
  fs::path dir = makeBlock(d.root);
  RecordingBucket b((d.root / "bucket").string());
  UploadResult r = uploadBlock(b, dir.string(), kUlid);
  ASSERT_EQ(b.uploads.size(), 4u);
  EXPECT_EQ(b.uploads.back(), std::string(kUlid) + "/meta.json");
  EXPECT_EQ(r.files, 4u);
  EXPECT_EQ(r.bytes, std::string("{\"ulid\":\"x\"}index byteschunk bytes").size());
  EXPECT_TRUE(b.exists(std::string(kUlid) + "/chunks/000001"));
}

TEST(BlockUpload, AFailurePartWayLeavesNoMetaJson) {
  Dirs d;
  fs::path dir = makeBlock(d.root);
  RecordingBucket b((d.root / "bucket").string());
  b.fail_on = std::string(kUlid) + "/index";
  EXPECT_THROW(uploadBlock(b, dir.string(), kUlid), bucket::BucketError);
  EXPECT_FALSE(b.exists(std::string(kUlid) + "/meta.json"));
  // The retry overwrites what the failed attempt wrote and completes the block.
  b.fail_on.clear();
  uploadBlock(b, dir.string(), kUlid);
  EXPECT_TRUE(b.exists(std::string(kUlid) + "/meta.json"));
}

TEST(BlockUpload, AMissingBlockIsTold) {
  Dirs d;
  RecordingBucket b((d.root / "bucket").string());
  EXPECT_FALSE(blockDirExists((d.root / "gone").string()));
  EXPECT_THROW(uploadBlock(b, (d.root / "gone").string(), kUlid), std::runtime_error);
  EXPECT_TRUE(b.uploads.empty());
}

}  // namespace
}  // namespace strata::uploader
