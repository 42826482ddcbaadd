// Helpers shared by the dialog usages.
#include "sip/dialog/usage.hpp"

#include <algorithm>
#include <utility>

#include "sip/codec/grammar.hpp"

namespace fedgate::sip {

Via LocalEndpoint::next_via(BranchGenerator& branches) const {
  Via v = via;
  set_param(v.params, "branch", branches.next());
  return v;
}

std::string_view to_string(SubState s) noexcept {
  switch (s) {
    case SubState::pending:
      return "pending";
    case SubState::active:
      return "active";
    case SubState::terminated:
      return "terminated";
  }
  return "terminated";
}

void attach_body(MessageHeaders& m, Body body) {
  m.content_type = std::move(body.type);
  m.body = std::move(body.bytes);
}

bool supports(const MessageHeaders& m, std::string_view option_tag) {
  return std::any_of(m.supported.begin(), m.supported.end(),
                     [&](const std::string& t) { return grammar::iequals(t, option_tag); });
}

}  // namespace fedgate::sip
