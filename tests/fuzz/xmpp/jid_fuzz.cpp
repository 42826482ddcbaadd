// libFuzzer target: Jid::parse. A parsed JID must re-parse to itself (normalisation is
// idempotent), and its bare and domain forms must parse to what bare()/domain() return.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "xmpp/codec/jid.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using fedgate::xmpp::Jid;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto jid = Jid::parse(input);
  if (!jid) {
    return 0;
  }
  auto again = Jid::parse(jid->str());
  if (!again || *again != *jid) {
    std::abort();
  }
  auto bare = Jid::parse(jid->bare().str());
  auto domain = Jid::parse(jid->domain().str());
  if (!bare || *bare != jid->bare() || !domain || *domain != jid->domain() ||
      domain->str() != jid->domain_part() || jid->str().size() > 3 * Jid::kMaxPartBytes + 2) {
    std::abort();
  }
  return 0;
}
