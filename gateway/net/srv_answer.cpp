#include "gateway/net/srv_answer.hpp"

#include <ares.h>
#include <arpa/nameser.h>

#include <string>

namespace fedgate::gateway {
namespace {

constexpr std::size_t kHeaderSize = 12;

class Reader {
 public:
  Reader(const unsigned char* message, std::size_t size) : msg_(message), size_(size) {}
  bool has(std::size_t n) const { return pos_ + n <= size_; }
  std::uint16_t u16() {
    std::uint16_t v = static_cast<std::uint16_t>(msg_[pos_] << 8 | msg_[pos_ + 1]);
    pos_ += 2;
    return v;
  }
  std::uint32_t u32() {
    std::uint32_t hi = u16();
    return hi << 16 | u16();
  }
  // RFC 1035 §4.1.4: names may be compressed; ares_expand_name follows the pointers safely.
  bool name(std::string& out) {
    char* expanded = nullptr;
    long consumed = 0;
    if (pos_ >= size_ || ares_expand_name(msg_ + pos_, msg_, static_cast<int>(size_), &expanded,
                                          &consumed) != ARES_SUCCESS) {
      return false;
    }
    out = expanded;
    ares_free_string(expanded);
    pos_ += static_cast<std::size_t>(consumed);
    return true;
  }
  void skip(std::size_t n) { pos_ += n; }
  std::size_t pos() const { return pos_; }

 private:
  const unsigned char* msg_;
  std::size_t size_;
  std::size_t pos_ = kHeaderSize;
};

bool read_srv(Reader& r, std::size_t rdlength, std::uint32_t ttl, SrvTarget& out) {
  std::size_t end = r.pos() + rdlength;
  if (rdlength < 7 || !r.has(rdlength)) {
    return false;
  }
  out.priority = r.u16();
  out.weight = r.u16();
  out.port = r.u16();
  out.ttl = ttl;
  return r.name(out.host) && r.pos() == end;
}

}  // namespace

result<std::vector<SrvTarget>> parse_srv_answer(const unsigned char* message, std::size_t size) {
  if (size < kHeaderSize) {
    return ResolverErrc::bad_response;
  }
  Reader r(message, size);
  std::size_t questions = static_cast<std::size_t>(message[4] << 8 | message[5]);
  std::size_t answers = static_cast<std::size_t>(message[6] << 8 | message[7]);
  std::string name;
  for (std::size_t i = 0; i < questions; ++i) {
    if (!r.name(name) || !r.has(4)) {
      return ResolverErrc::bad_response;
    }
    r.skip(4);
  }
  std::vector<SrvTarget> out;
  for (std::size_t i = 0; i < answers; ++i) {
    if (!r.name(name) || !r.has(10)) {
      return ResolverErrc::bad_response;
    }
    std::uint16_t type = r.u16();
    std::uint16_t klass = r.u16();
    std::uint32_t ttl = r.u32();
    std::uint16_t rdlength = r.u16();
    if (!r.has(rdlength)) {
      return ResolverErrc::bad_response;
    }
    if (type != ns_t_srv || klass != ns_c_in) {
      r.skip(rdlength);
      continue;
    }
    SrvTarget target;
    if (!read_srv(r, rdlength, ttl, target)) {
      return ResolverErrc::bad_response;
    }
    out.push_back(std::move(target));
  }
  if (out.empty()) {
    return ResolverErrc::no_data;
  }
  return out;
}

}  // namespace fedgate::gateway
