#include "xmpp/stream/stream_actions.hpp"

#include <iterator>

namespace fedgate::xmpp {
namespace {

template <class T>
void move_append(std::vector<T>& into, std::vector<T>& later) {
  if (into.empty()) {
    into.swap(later);
    return;
  }
  into.insert(into.end(), std::make_move_iterator(later.begin()),
              std::make_move_iterator(later.end()));
}

}  // namespace

std::string_view auth_method_name(AuthMethod m) {
  switch (m) {
    case AuthMethod::sasl_external:
      return "sasl_external";
    case AuthMethod::certificate:
      return "certificate";
    case AuthMethod::dialback:
      break;
  }
  return "dialback";
}

void append(StreamActions& into, StreamActions&& later) {
  into.write += later.write;
  into.start_tls = into.start_tls || later.start_tls;
  move_append(into.stanzas, later.stanzas);
  move_append(into.verify, later.verify);
  move_append(into.verdicts, later.verdicts);
  move_append(into.authenticated, later.authenticated);
  move_append(into.refused, later.refused);
  move_append(into.delivered, later.delivered);
  if (later.ping_id) {
    into.ping_id = std::move(later.ping_id);
  }
  if (later.close && !into.close) {
    into.close = std::move(later.close);
  }
  if (later.wake_at) {
    into.wake_at = later.wake_at;
  }
}

}  // namespace fedgate::xmpp
