// strata-bucket: look into a bucket the way Strata sees it (like `thanos tools bucket`).
//
//   strata-bucket --objstore.config-file FILE ls [PREFIX]     objects, recursively
//   strata-bucket --objstore.config-file FILE blocks          blocks (ULID with meta.json):
//                                                             ULID, minTime, maxTime, source
//   strata-bucket --objstore.config-file FILE get NAME        an object's bytes to stdout
//   strata-bucket --objstore.config-file FILE download ULID DIR   a block into DIR/ULID
//
// FILE is Thanos' objstore config: `type: FILESYSTEM|S3` and `config: {...}` (docs/bucket.md).
// Exit 0 on success, 1 on a bucket error (the message names the object and the reason), 2 on
// usage errors.
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "bucket/bucket_factory.h"
#include "bucket/bucket_layout.h"

namespace {

using strata::bucket::Bucket;

int usage(const std::string& why = "") {
  if (!why.empty()) std::cerr << "strata-bucket: " << why << "\n";
  std::cerr << "usage: strata-bucket --objstore.config-file FILE ls [PREFIX] | blocks | "
               "get NAME | download ULID DIR\n";
  return 2;
}

strata::bucket::BucketConfig readConfig(const std::string& file) {
  YAML::Node root = YAML::LoadFile(file);
  strata::bucket::BucketConfig c;
  c.type = root["type"] ? root["type"].as<std::string>() : "";
  if (root["config"] && root["config"].IsMap())
    for (const auto& kv : root["config"])
      c.config[kv.first.as<std::string>()] = kv.second.as<std::string>();
  return c;
}

std::string text(const std::vector<uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

// A few fields of meta.json without a JSON library: enough for a listing.
std::string field(const std::string& json, const std::string& key) {
  auto at = json.find("\"" + key + "\"");
  if (at == std::string::npos) return "-";
  at = json.find(':', at);
  if (at == std::string::npos) return "-";
  ++at;
  while (at < json.size() && (json[at] == ' ' || json[at] == '"')) ++at;
  auto end = json.find_first_of(",}\"", at);
  return json.substr(at, end - at);
}

std::vector<std::string> listAll(Bucket& b, const std::string& prefix) {
  std::vector<std::string> out;
  b.list(prefix, "", [&](const std::string& name) { out.push_back(name); });
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_file;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--objstore.config-file" && i + 1 < argc)
      config_file = argv[++i];
    else if (a.rfind("--objstore.config-file=", 0) == 0)
      config_file = a.substr(23);
    else if (a == "-h" || a == "--help")
      return usage();
    else
      args.push_back(a);
  }
  if (config_file.empty()) return usage("--objstore.config-file is required");
  if (args.empty()) return usage("no command");
  try {
    auto bucket = strata::bucket::makeBucket(readConfig(config_file));
    const std::string& cmd = args[0];
    if (cmd == "ls") {
      for (const auto& name : listAll(*bucket, args.size() > 1 ? args[1] : ""))
        std::cout << name << "\n";
    } else if (cmd == "blocks") {
      std::vector<std::string> dirs;
      bucket->list("", "/", [&](const std::string& name) { dirs.push_back(name); });
      for (const auto& dir : dirs) {
        std::string ulid = dir.substr(0, dir.size() - 1);
        if (!strata::bucket::isUlid(ulid)) continue;
        if (!bucket->exists(ulid + "/meta.json")) {
          std::cout << ulid << " partial (no meta.json)\n";
          continue;
        }
        std::string meta = text(bucket->get(ulid + "/meta.json"));
        std::cout << ulid << " " << field(meta, "minTime") << " " << field(meta, "maxTime") << " "
                  << field(meta, "source") << "\n";
      }
    } else if (cmd == "get" && args.size() == 2) {
      auto bytes = bucket->get(args[1]);
      std::fwrite(bytes.data(), 1, bytes.size(), stdout);
    } else if (cmd == "download" && args.size() == 3) {
      std::filesystem::path dir = std::filesystem::path(args[2]) / args[1];
      for (const auto& name : listAll(*bucket, args[1] + "/")) {
        std::filesystem::path local = std::filesystem::path(args[2]) / name;
        std::filesystem::create_directories(local.parent_path());
        auto bytes = bucket->get(name);
        std::ofstream(local, std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()),
                   static_cast<std::streamsize>(bytes.size()));
      }
      if (!std::filesystem::exists(dir / "meta.json"))
        throw std::runtime_error("block " + args[1] + " has no meta.json in the bucket");
    } else {
      return usage("unknown command or wrong arguments: " + cmd);
    }
  } catch (const std::exception& e) {
    std::cerr << "strata-bucket: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
