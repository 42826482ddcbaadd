// Test helpers for the XMPP bridge: parse one stanza from its wire text, serialize one as a
// jabber:server stream would write it (byte-exact comparisons).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <variant>

#include "presence/model/address.hpp"
#include "xmpp/codec/element.hpp"
#include "xmpp/codec/stream_parser.hpp"

namespace fedgate::xmpp::test {

inline Element stanza(std::string_view xml) {
  StreamParser parser;
  parser.feed(
      "<stream:stream xmlns='jabber:server' "
      "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
  parser.feed(xml);
  while (auto event = parser.next()) {
    if (auto* e = std::get_if<Element>(&*event)) {
      return std::move(*e);
    }
  }
  ADD_FAILURE() << "no stanza in " << xml;
  return {};
}

inline std::string wire(const Element& e) {
  return to_string(e, SerializeContext{"jabber:server"});
}

inline presence::Address addr(std::string_view text) {
  return presence::Address::parse(text).value();
}

}  // namespace fedgate::xmpp::test
