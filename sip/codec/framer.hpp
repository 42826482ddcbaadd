// sip::Framer: sans-I/O framing of SIP over stream transports (RFC 3261 §18.3, Content-Length)
// with RFC 5626 §3.5.1 CRLF keep-alives; plus parse_datagram for UDP (one message a packet).
// Owned by sip_codec; one Framer per connection, used on that connection's strand only.
// Buffers at most Limits::max_header_bytes + Limits::max_body_bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "gateway/base/result.hpp"
#include "sip/codec/limits.hpp"
#include "sip/codec/message.hpp"
#include "sip/codec/parse_error.hpp"

namespace fedgate::sip {

struct KeepAlivePing {  // "\r\n\r\n": answer with a single "\r\n" (RFC 5626 §3.5.1)
  friend bool operator==(const KeepAlivePing&, const KeepAlivePing&) = default;
};
struct KeepAlivePong {  // a lone "\r\n"
  friend bool operator==(const KeepAlivePong&, const KeepAlivePong&) = default;
};

using Frame = std::variant<Message, KeepAlivePing, KeepAlivePong>;

class Framer {
 public:
  explicit Framer(Limits limits = {}) : limits_(limits) {}

  // Appends received bytes; drain pop() after every feed. Bytes fed after a failure are
  // discarded; more than one maximal message plus 64 KiB pending is itself a failure.
  void feed(std::string_view bytes);
  // The next event: nullopt when more bytes are needed. An error for a message that was
  // framed but does not parse leaves the stream usable (rejected_bytes() has that message,
  // for make_error_response); any other error means the stream cannot be resynchronised:
  // failed() is then true and the connection must be closed.
  std::optional<result<Frame>> pop();

  bool failed() const { return failed_; }
  std::string_view rejected_bytes() const { return rejected_; }
  std::size_t buffered() const { return buffer_.size() - start_; }

 private:
  std::optional<result<Frame>> pop_keep_alive(bool& wait);
  // Sets message_size_ once the next header section is complete; an error is fatal.
  ParseErrc measure();
  std::optional<result<Frame>> fail(ParseErrc e);
  void compact();

  Limits limits_;
  std::string buffer_;
  std::size_t start_ = 0;                        // consumed prefix of buffer_
  std::size_t scan_from_ = 0;                    // where the search for CRLF CRLF resumes
  std::optional<std::size_t> message_size_;      // header section + body, once known
  ParseErrc pending_error_{};                    // reported by the next pop()
  std::string rejected_;
  bool failed_ = false;
};

// UDP: one datagram is one message (or a CRLF keep-alive).
result<Frame> parse_datagram(std::string_view datagram, const Limits& limits = {});

}  // namespace fedgate::sip
