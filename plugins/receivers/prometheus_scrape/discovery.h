// Service discovery of one job: static_configs, file_sd_configs (JSON or YAML files, globs in
// the last path element; a file is re-read as soon as its mtime changes, and at least every
// refresh_interval) and http_sd_configs (a JSON list of target groups, re-fetched every
// refresh_interval). Each discovered target is a label set with __address__, its group's
// labels and __meta_filepath / __meta_url.
//
// THREAD: refresh() and targets() from the receiver's discovery thread only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "relabel/label_set.h"
#include "scrape_config.h"

namespace strata::scrape {

// Parses a JSON or YAML list of {targets: [...], labels: {...}} into label sets, adding
// `meta_name`=`meta_value` (if meta_name is not empty). False with `error` on bad input.
bool parseTargetGroups(const std::string& text, const std::string& meta_name,
                       const std::string& meta_value, std::vector<relabel::LabelSet>* out,
                       std::string* error);

class JobDiscovery {
 public:
  explicit JobDiscovery(const JobConfig& job);

  // Re-reads what is due at `now_ms`. Returns true when the discovered set changed. Problems
  // (unreadable file, failed fetch) are appended to `errors`; the source keeps its last good
  // targets, as Prometheus does.
  bool refresh(int64_t now_ms, std::vector<std::string>* errors);
  std::vector<relabel::LabelSet> targets() const;

 private:
  struct FileState {
    int64_t mtime_ns = -1;
    std::vector<relabel::LabelSet> targets;
  };
  struct Source {  // one file_sd or http_sd config
    int64_t refresh_ms = 0, next_ms = 0;
    std::map<std::string, FileState> files;  // file_sd: by path
    std::vector<relabel::LabelSet> http_targets;
  };
  bool refreshFiles(const FileSd& cfg, Source& src, bool due, std::vector<std::string>* errors);
  bool refreshHttp(const HttpSd& cfg, Source& src, std::vector<std::string>* errors);

  JobConfig job_;
  std::vector<relabel::LabelSet> static_targets_;
  std::vector<Source> file_sources_, http_sources_;
};

}  // namespace strata::scrape
