// NamespaceScope: the XML namespace bindings in scope on one stream (Namespaces in XML 1.0
// §3-§6), resolved by the stream parser itself: expat runs without namespace processing, which
// spares it building "uri<sep>local" strings for every name. Owned by StreamParser; sans-I/O,
// used on that stream's strand only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fedgate::xmpp {

// A name split at its colon (Namespaces in XML 1.0 §4); `prefix` is empty when unprefixed.
struct QName {
  std::string_view prefix;
  std::string_view local;
};

// What is wrong with a name or a declaration, in namespace terms.
enum class NsFault {
  none,
  not_a_qname,           // §4: a second colon, or a colon first or last
  unbound_prefix,        // §5: a prefix no declaration in scope binds
  reserved_namespace,    // §3: xml/xmlns prefixes and their namespace names misused
  empty_prefix_binding,  // §5: xmlns:p='' (undeclaring a prefix is XML 1.1 only)
  duplicate_attribute,   // §6.3: two attributes with the same expanded name
  too_many_bindings,     // more declarations in scope than the parser allows
};

class NamespaceScope {
 public:
  // Splits `name` (an XML name expat accepted, NUL-terminated), or returns not_a_qname.
  static NsFault split(const char* name, QName& out);
  // True for "xmlns" and "xmlns:<prefix>" attributes: declarations, not attributes.
  static bool is_declaration(const char* attribute_name) {
    return attribute_name[0] == 'x' && attribute_name[1] == 'm' && attribute_name[2] == 'l' &&
           attribute_name[3] == 'n' && attribute_name[4] == 's' &&
           (attribute_name[5] == '\0' || attribute_name[5] == ':');
  }

  // Binds the declaration `attribute_name`='uri' on an element at `depth`; at most `limit`
  // bindings may be in scope at once.
  NsFault declare(const char* attribute_name, std::string_view uri, std::size_t depth,
                  std::size_t limit);
  // Forgets the bindings made at `depth` and deeper (the element there has ended). Their slots
  // stay allocated: the next declarations reuse them without allocating (see compact()).
  void leave(std::size_t depth) {
    while (in_scope_ > 0 && bindings_[in_scope_ - 1].depth >= depth) {
      --in_scope_;
    }
  }
  // The namespace name `prefix` is bound to; the default namespace for ""; nullptr when unbound
  // (the default namespace is never unbound: "" when none is declared).
  const std::string* find(std::string_view prefix) const;
  // The namespace name an element or attribute declared at `depth` bound `prefix` to, if any.
  const std::string* declared_at(std::string_view prefix, std::size_t depth) const;

  void clear() {
    bindings_.clear();
    in_scope_ = 0;
  }
  // Frees the slots of forgotten bindings (an idle stream keeps only what is in scope).
  void compact() {
    bindings_.resize(in_scope_);
    bindings_.shrink_to_fit();
  }
  std::size_t retained_bytes() const;

 private:
  struct Binding {
    std::string prefix;
    std::string uri;
    std::size_t depth = 0;
  };
  std::vector<Binding> bindings_;  // in scope: the first in_scope_; then slots for reuse
  std::size_t in_scope_ = 0;
};

}  // namespace fedgate::xmpp
