// A `;name[=value]` parameter as found in URIs and header values (RFC 3261 §25.1
// generic-param, uri-parameter). Owned by sip_codec; plain value, any thread.
// Names are stored lower-case; a value is kept as received (quoted-strings keep their quotes).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fedgate::sip {

struct Param {
  std::string name;
  std::optional<std::string> value;  // nullopt: a flag parameter such as ";lr"
  friend bool operator==(const Param&, const Param&) = default;
};

using Params = std::vector<Param>;

// The parameter named `name` (lower-case), or nullptr.
const Param* find_param(const Params& params, std::string_view name);
// The value of `name` with surrounding quotes removed (quoted-pairs resolved), or nullopt
// when absent. A flag parameter yields an empty string.
std::optional<std::string> param_value(const Params& params, std::string_view name);
// Sets or replaces `name` (lower-case) with `value`.
void set_param(Params& params, std::string_view name, std::optional<std::string> value);
// Appends ";name[=value]" for every parameter.
void append_params(std::string& out, const Params& params);

}  // namespace fedgate::sip
