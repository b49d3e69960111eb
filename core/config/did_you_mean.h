// "Did you mean ...?" for misspelt names: the closest candidate by Levenshtein distance,
// offered only when it is close enough to be a plausible typo.
#pragma once

#include <string>
#include <vector>

namespace strata::config {

size_t editDistance(const std::string& a, const std::string& b);

// The closest candidate within max(2, word.size() / 3) edits, or "" (ties: the first given).
std::string didYouMean(const std::string& word, const std::vector<std::string>& candidates);

// "did you mean 'x'?" or "" when there is no suggestion.
std::string didYouMeanHint(const std::string& word, const std::vector<std::string>& candidates);

// "a, b, c": a list for a hint.
std::string joinNames(const std::vector<std::string>& names);

}  // namespace strata::config
