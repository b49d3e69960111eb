// Go's regexp.Expand template semantics, which Prometheus uses for `replacement` and
// `target_label`: $1, ${1}, $name, ${name}, $$ for a literal $. `$name` takes the longest run
// of letters, digits and '_', so "$1x" names group "1x" (empty), as in Prometheus; write
// "${1}x". A malformed reference keeps the '$' as text. Unmatched groups expand to "".
#pragma once

#include <re2/re2.h>

#include <string>
#include <string_view>

namespace strata::relabel {

// `groups[0..n)` are the submatches of `re` (groups[0] the whole match).
void expandTemplate(const re2::RE2& re, std::string_view tmpl, const re2::StringPiece* groups,
                    int n, std::string& out);

}  // namespace strata::relabel
