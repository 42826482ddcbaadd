// Session-mode IM SDP (RFC 4566 line syntax, MS-SDPEXT message media).
#include "sip/codec/im_sdp.hpp"

#include <charconv>

#include "sip/codec/parse_error.hpp"

namespace fedgate::sip {
namespace {

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t sp = s.find(' ', pos);
    std::size_t end = sp == std::string_view::npos ? s.size() : sp;
    if (end > pos) {
      out.push_back(s.substr(pos, end - pos));
    }
    pos = end + 1;
  }
  return out;
}

bool read_media(std::string_view value, ImSdp& sdp) {
  auto w = words(value);
  unsigned port = 0;
  if (w.size() < 3 || w[0] != "message" || w[2] != "sip") {
    return false;
  }
  auto [p, ec] = std::from_chars(w[1].data(), w[1].data() + w[1].size(), port);
  if (ec != std::errc{} || p != w[1].data() + w[1].size() || port > 65535) {
    return false;
  }
  sdp.port = static_cast<std::uint16_t>(port);
  return true;
}

}  // namespace

result<ImSdp> parse_im_sdp(std::string_view text) {
  ImSdp sdp;
  bool media = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.empty()) {
      continue;
    }
    if (line.size() < 2 || line[1] != '=') {
      return make_error_code(ParseErrc::bad_body);
    }
    std::string_view value = line.substr(2);
    auto w = words(value);
    if (line[0] == 'o' && w.size() >= 6) {
      sdp.origin_address.assign(w[5]);
    } else if (line[0] == 'c' && w.size() >= 3) {
      sdp.connection_address.assign(w[2]);
    } else if (line[0] == 'm') {
      media = read_media(value, sdp);
    } else if (line[0] == 'a' && value.rfind("accept-types:", 0) == 0) {
      for (auto t : words(value.substr(13))) {
        sdp.accept_types.emplace_back(t);
      }
    }
  }
  if (!media) {
    return make_error_code(ParseErrc::bad_body);
  }
  return sdp;
}

std::string write_im_sdp(const ImSdp& sdp) {
  std::string out = "v=0\r\no=- 0 0 IN IP4 " + sdp.origin_address + "\r\ns=session\r\nc=IN IP4 " +
                    sdp.connection_address + "\r\nt=0 0\r\nm=message " +
                    std::to_string(sdp.port) + " sip null\r\na=accept-types:";
  for (std::size_t i = 0; i < sdp.accept_types.size(); ++i) {
    out += (i == 0 ? "" : " ") + sdp.accept_types[i];
  }
  out += "\r\n";
  return out;
}

}  // namespace fedgate::sip
