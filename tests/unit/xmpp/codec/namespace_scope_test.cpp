// NamespaceScope on its own: bindings forgotten at the end of an element leave their slots for
// reuse (no allocation per declaration), and a reused slot never shows an old binding.
#include "xmpp/codec/namespace_scope.hpp"

#include <gtest/gtest.h>

namespace fedgate::xmpp {
namespace {

constexpr std::size_t kLimit = 8;

TEST(NamespaceScope, AReusedSlotResolvesToTheNewDeclaration) {
  NamespaceScope scope;
  ASSERT_EQ(scope.declare("xmlns", "jabber:server", 1, kLimit), NsFault::none);
  ASSERT_EQ(scope.declare("xmlns:p", "http://jabber.org/protocol/caps", 2, kLimit), NsFault::none);
  scope.leave(2);
  EXPECT_EQ(scope.find("p"), nullptr);
  ASSERT_EQ(scope.declare("xmlns", "urn:xmpp:delay", 2, kLimit), NsFault::none);
  ASSERT_NE(scope.find(""), nullptr);
  EXPECT_EQ(*scope.find(""), "urn:xmpp:delay");
  EXPECT_EQ(scope.find("p"), nullptr);  // the slot's old binding is gone
  scope.leave(2);
  EXPECT_EQ(*scope.find(""), "jabber:server");
}

TEST(NamespaceScope, DeclaredAtSeesOnlyBindingsInScope) {
  NamespaceScope scope;
  ASSERT_EQ(scope.declare("xmlns:db", "jabber:server:dialback", 1, kLimit), NsFault::none);
  ASSERT_EQ(scope.declare("xmlns:x", "urn:x", 2, kLimit), NsFault::none);
  scope.leave(2);
  EXPECT_EQ(scope.declared_at("x", 2), nullptr);
  ASSERT_NE(scope.declared_at("db", 1), nullptr);
  EXPECT_EQ(*scope.declared_at("db", 1), "jabber:server:dialback");
}

TEST(NamespaceScope, TheLimitCountsBindingsInScopeNotSlots) {
  NamespaceScope scope;
  ASSERT_EQ(scope.declare("xmlns", "jabber:server", 1, 2), NsFault::none);
  for (int i = 0; i < 5; ++i) {  // each element's declaration ends with it
    ASSERT_EQ(scope.declare("xmlns:a", "urn:a", 2, 2), NsFault::none);
    scope.leave(2);
  }
  ASSERT_EQ(scope.declare("xmlns:a", "urn:a", 2, 2), NsFault::none);
  EXPECT_EQ(scope.declare("xmlns:b", "urn:b", 2, 2), NsFault::too_many_bindings);
}

TEST(NamespaceScope, CompactFreesForgottenSlotsAndKeepsBindingsInScope) {
  NamespaceScope scope;
  ASSERT_EQ(scope.declare("xmlns", "jabber:server", 1, kLimit), NsFault::none);
  ASSERT_EQ(scope.declare("xmlns:p", "http://jabber.org/protocol/xhtml-im", 2, kLimit),
            NsFault::none);
  ASSERT_EQ(scope.declare("xmlns:q", "http://www.w3.org/1999/xhtml", 3, kLimit), NsFault::none);
  scope.leave(2);
  const std::size_t before = scope.retained_bytes();
  scope.compact();
  EXPECT_LT(scope.retained_bytes(), before);
  ASSERT_NE(scope.find(""), nullptr);
  EXPECT_EQ(*scope.find(""), "jabber:server");
  EXPECT_EQ(scope.find("p"), nullptr);
}

}  // namespace
}  // namespace fedgate::xmpp
