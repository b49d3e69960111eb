#include "core/config/value_tree.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "core/config/diag_printer.h"

namespace strata::config {

// The arena: deques never move what they already hold, so the pointers inside the
// strata_values stay valid for the tree's lifetime.
struct ValueTree::Impl {
  std::deque<std::string> strings;
  std::deque<std::vector<strata_value>> arrays;
  std::deque<std::vector<strata_str>> key_arrays;
  strata_value root{};
  std::string canonical;

  strata_str intern(const std::string& s) {
    strings.push_back(s);
    return {strings.back().data(), strings.back().size()};
  }
  void freeze(const ValueNode& in, strata_value& out);
};

void ValueTree::Impl::freeze(const ValueNode& in, strata_value& out) {
  out = strata_value{};
  out.kind = in.kind;
  out.line = in.line;
  out.column = in.column;
  out.int_value = in.int_value;
  out.float_value = in.float_value;
  out.string_value = intern(in.text);
  if (in.kind != STRATA_VALUE_LIST && in.kind != STRATA_VALUE_MAP) return;
  arrays.emplace_back(in.items.size());
  std::vector<strata_value>& items = arrays.back();
  for (size_t i = 0; i < in.items.size(); ++i) freeze(in.items[i], items[i]);
  out.items = items.data();
  out.count = items.size();
  if (in.kind == STRATA_VALUE_MAP) {
    key_arrays.emplace_back();
    for (const std::string& k : in.keys) key_arrays.back().push_back(intern(k));
    out.keys = key_arrays.back().data();
  }
}

namespace {

// Positions and scalar spelling are left out on purpose: "15s" and "15000ms" mean the same.
void canonicalText(const ValueNode& v, std::string& out) {
  switch (v.kind) {
    case STRATA_VALUE_NULL:
      out += "null";
      return;
    case STRATA_VALUE_BOOL:
      out += v.int_value ? "true" : "false";
      return;
    case STRATA_VALUE_INT:
      out += std::to_string(v.int_value);
      return;
    case STRATA_VALUE_FLOAT: {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", v.float_value);
      out += buf;
      return;
    }
    case STRATA_VALUE_STRING:
      out += jsonString(v.text);
      return;
    case STRATA_VALUE_LIST:
      out += '[';
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (i) out += ',';
        canonicalText(v.items[i], out);
      }
      out += ']';
      return;
    case STRATA_VALUE_MAP: {
      std::vector<size_t> order(v.keys.size());
      std::iota(order.begin(), order.end(), 0);
      std::sort(order.begin(), order.end(),
                [&](size_t a, size_t b) { return v.keys[a] < v.keys[b]; });
      out += '{';
      for (size_t i = 0; i < order.size(); ++i) {
        if (i) out += ',';
        out += jsonString(v.keys[order[i]]) + ':';
        canonicalText(v.items[order[i]], out);
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

ValueTree::ValueTree(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ValueTree::~ValueTree() = default;

const strata_value* ValueTree::root() const { return &impl_->root; }
const std::string& ValueTree::canonical() const { return impl_->canonical; }

std::shared_ptr<const ValueTree> ValueTree::build(const ValueNode& root) {
  auto impl = std::make_unique<Impl>();
  impl->freeze(root, impl->root);
  canonicalText(root, impl->canonical);
  return std::make_shared<const ValueTree>(std::move(impl));
}

}  // namespace strata::config
