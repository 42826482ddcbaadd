// The reused, restricted expat parser behind every SIP body parser (see xml_sax.hpp).
#include "sip/codec/xml_sax.hpp"

#include <expat.h>

#include <cstring>
#include <memory>
#include <random>

namespace fedgate::sip::detail {
namespace {

constexpr char kNsSeparator = '\x01';
// A thread keeps its parser's buffers between documents up to this size; a larger document
// gets them freed after it (expat copies the document into its own buffer).
constexpr std::size_t kKeepBuffersBelow = 64 * 1024;

using ParserPtr = std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)>;

struct Run {
  XML_Parser parser = nullptr;
  const XmlLimits* limits = nullptr;
  XmlSaxHandler* handler = nullptr;
  std::size_t depth = 0;
  std::size_t elements = 0;
  ParseErrc error{};

  void stop(ParseErrc e) {
    if (error == ParseErrc{}) {
      error = e;
    }
    XML_StopParser(parser, XML_FALSE);
  }
};

void on_start(void* data, const XML_Char* name, const XML_Char** attrs) {
  auto* r = static_cast<Run*>(data);
  if (r->depth >= r->limits->max_depth || ++r->elements > r->limits->max_elements) {
    r->stop(ParseErrc::xml_too_deep);
    return;
  }
  ++r->depth;
  std::string_view q(name);
  std::size_t sep = q.find(kNsSeparator);
  if (sep == std::string_view::npos) {
    r->handler->start({}, q, attrs);
  } else {
    r->handler->start(q.substr(0, sep), q.substr(sep + 1), attrs);
  }
}

void on_end(void* data, const XML_Char*) {
  auto* r = static_cast<Run*>(data);
  if (r->depth > 0) {
    --r->depth;
    r->handler->end();
  }
}

void on_text(void* data, const XML_Char* s, int len) {
  auto* r = static_cast<Run*>(data);
  if (r->depth > 0) {
    r->handler->text(std::string_view(s, static_cast<std::size_t>(len)));
  }
}

void on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<Run*>(data)->stop(ParseErrc::bad_xml);
}

void on_entity(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
               const XML_Char*, const XML_Char*, const XML_Char*) {
  static_cast<Run*>(data)->stop(ParseErrc::bad_xml);
}

ParserPtr new_parser() { return ParserPtr(XML_ParserCreateNS(nullptr, kNsSeparator), &XML_ParserFree); }

// The hash salt of this thread's parser (expat's defence against hash flooding): drawn once
// per thread, so a reset does not ask the kernel for entropy on every document.
unsigned long thread_salt() {
  thread_local const unsigned long salt = [] {
    std::random_device rd;
    unsigned long s = (static_cast<unsigned long>(rd()) << 32) ^ rd();
    return s == 0 ? 1UL : s;
  }();
  return salt;
}

ParseErrc parse_with(XML_Parser parser, std::string_view document, const XmlLimits& limits,
                     XmlSaxHandler& handler) {
  Run run;
  run.parser = parser;
  run.limits = &limits;
  run.handler = &handler;
  XML_SetUserData(parser, &run);
  XML_SetElementHandler(parser, on_start, on_end);
  XML_SetCharacterDataHandler(parser, on_text);
  XML_SetStartDoctypeDeclHandler(parser, on_doctype);
  XML_SetEntityDeclHandler(parser, on_entity);
  auto status = XML_Parse(parser, document.data(), static_cast<int>(document.size()), 1);
  if (run.error != ParseErrc{}) {
    return run.error;
  }
  return status != XML_STATUS_OK || run.elements == 0 ? ParseErrc::bad_xml : ParseErrc{};
}

struct ThreadParser {
  ParserPtr parser{nullptr, &XML_ParserFree};
  bool busy = false;
};

}  // namespace

ParseErrc run_xml_sax(std::string_view document, const XmlLimits& limits,
                      XmlSaxHandler& handler) {
  if (document.size() > limits.max_bytes) {
    return ParseErrc::xml_too_deep;
  }
  thread_local ThreadParser mine;
  if (mine.busy) {  // a handler parsing another document: not this thread's parser
    ParserPtr own = new_parser();
    return own ? parse_with(own.get(), document, limits, handler) : ParseErrc::bad_xml;
  }
  if (!mine.parser || XML_ParserReset(mine.parser.get(), nullptr) != XML_TRUE) {
    mine.parser = new_parser();
    if (!mine.parser) {
      return ParseErrc::bad_xml;
    }
  }
  XML_SetHashSalt(mine.parser.get(), thread_salt());
  struct Busy {
    bool& flag;
    explicit Busy(bool& f) : flag(f) { flag = true; }
    ~Busy() { flag = false; }
  } busy(mine.busy);
  ParseErrc e = parse_with(mine.parser.get(), document, limits, handler);
  if (document.size() >= kKeepBuffersBelow) {
    mine.parser.reset();
  }
  return e;
}

std::string_view xml_local_name(const char* qualified) {
  std::string_view q(qualified);
  std::size_t sep = q.find(kNsSeparator);
  return sep == std::string_view::npos ? q : q.substr(sep + 1);
}

std::optional<std::string_view> xml_attribute(const char** attributes, std::string_view local) {
  for (int i = 0; attributes[i] != nullptr; i += 2) {
    if (xml_local_name(attributes[i]) == local) {
      return std::string_view(attributes[i + 1]);
    }
  }
  return std::nullopt;
}

}  // namespace fedgate::sip::detail
