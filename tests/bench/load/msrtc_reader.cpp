#include "tests/bench/load/msrtc_reader.hpp"

#include <charconv>

namespace fedgate::load {

namespace {

constexpr std::string_view kNsCategories = "http://schemas.microsoft.com/2006/09/sip/categories";
constexpr char kNsSeparator = ' ';

// "ns local" (expat's namespace form) -> local; the namespace through `ns`.
std::string_view local_name(std::string_view name, std::string_view* ns = nullptr) {
  const auto space = name.rfind(kNsSeparator);
  if (ns != nullptr) {
    *ns = space == std::string_view::npos ? std::string_view{} : name.substr(0, space);
  }
  return space == std::string_view::npos ? name : name.substr(space + 1);
}

std::string_view attribute(const XML_Char** attrs, std::string_view name) {
  for (; attrs != nullptr && attrs[0] != nullptr; attrs += 2) {
    if (local_name(attrs[0]) == name) {
      return attrs[1];
    }
  }
  return {};
}

}  // namespace

MsrtcReader::MsrtcReader() : parser_(XML_ParserCreateNS(nullptr, kNsSeparator)) {}

MsrtcReader::~MsrtcReader() { XML_ParserFree(parser_); }

bool MsrtcReader::read(std::string_view xml, MsrtcReading& out) {
  XML_ParserReset(parser_, nullptr);  // clears the handlers; keeps namespace processing
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, &MsrtcReader::on_start, &MsrtcReader::on_end);
  XML_SetCharacterDataHandler(parser_, &MsrtcReader::on_text);
  out_ = &out;
  depth_ = 0;
  root_ok_ = bad_ = false;
  category_.clear();
  capture_ = Capture::none;
  const bool parsed =
      XML_Parse(parser_, xml.data(), static_cast<int>(xml.size()), XML_TRUE) == XML_STATUS_OK;
  out_ = nullptr;
  return parsed && root_ok_ && !bad_;
}

void MsrtcReader::on_start(void* self, const XML_Char* name, const XML_Char** attrs) {
  static_cast<MsrtcReader*>(self)->start(name, attrs);
}

void MsrtcReader::on_end(void* self, const XML_Char* name) {
  static_cast<MsrtcReader*>(self)->end(name);
}

void MsrtcReader::on_text(void* self, const XML_Char* text, int size) {
  auto* reader = static_cast<MsrtcReader*>(self);
  if (reader->capture_ != Capture::none) {
    reader->text_.append(text, static_cast<std::size_t>(size));
  }
}

void MsrtcReader::start(std::string_view name, const XML_Char** attrs) {
  std::string_view ns;
  const auto local = local_name(name, &ns);
  ++depth_;
  if (depth_ == 1) {
    root_ok_ = local == "categories" && ns == kNsCategories;
    out_->uri = attribute(attrs, "uri");
  } else if (depth_ == 2 && local == "category") {
    category_ = attribute(attrs, "name");
  } else if (local == "availability" && category_ == "state") {
    capture_ = Capture::availability;
    text_.clear();
  } else if (local == "body" && category_ == "note") {
    capture_ = Capture::note_body;
    text_.clear();
  }
}

void MsrtcReader::end(std::string_view name) {
  const auto local = local_name(name);
  --depth_;
  if (capture_ == Capture::availability && local == "availability") {
    std::uint32_t number = 0;
    auto [end, ec] = std::from_chars(text_.data(), text_.data() + text_.size(), number);
    bad_ = bad_ || ec != std::errc{} || end != text_.data() + text_.size();
    out_->availabilities.push_back(number);
    capture_ = Capture::none;
  } else if (capture_ == Capture::note_body && local == "body") {
    out_->note += text_;
    capture_ = Capture::none;
  } else if (depth_ == 1 && local == "category") {
    category_.clear();
  }
}

}  // namespace fedgate::load
