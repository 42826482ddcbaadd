#include "tests/bench/load/lean_sip.hpp"

#include <algorithm>
#include <charconv>
#include <random>

#include "sip/codec/serializer.hpp"

namespace fedgate::load {

namespace {

// Values the serializer writes verbatim; the template is cut where they stand.
constexpr std::string_view kBranchMark = "z9hG4bKlgMARKbranch";
constexpr std::uint32_t kCseqMark = 3999999901U;
constexpr std::string_view kCseqMarkText = "3999999901";
constexpr std::string_view kExpiresMark = "3999999902";
constexpr std::string_view kLengthZero = "Content-Length: 0\r\n\r\n";
constexpr std::uint32_t kMaxSubscriptionExpires = 3600;  // the agent's default grant

void append_number(std::string& out, std::uint64_t n) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, end);
}

// Cuts the serialized request at each mark (in order) and drops the final Content-Length.
std::vector<std::string> cut(std::string wire, std::initializer_list<std::string_view> marks) {
  std::vector<std::string> pieces;
  if (wire.size() < kLengthZero.size() ||
      wire.compare(wire.size() - kLengthZero.size(), kLengthZero.size(), kLengthZero) != 0) {
    return pieces;
  }
  wire.resize(wire.size() - kLengthZero.size());
  std::size_t from = 0;
  for (auto mark : marks) {
    const auto at = wire.find(mark, from);
    if (at == std::string::npos) {
      return {};
    }
    pieces.push_back(wire.substr(from, at - from));
    from = at + mark.size();
  }
  pieces.push_back(wire.substr(from));
  return pieces;
}

// The tag parameter's value, or empty.
std::string_view tag_of(const sip::NameAddr& a) {
  const auto* p = sip::find_param(a.params, "tag");
  return p != nullptr && p->value ? std::string_view(*p->value) : std::string_view{};
}

}  // namespace

LeanSip::LeanSip(std::size_t users, std::string via_host, std::uint16_t via_port)
    : users_(users),
      via_host_(std::move(via_host)),
      via_port_(via_port),
      notify_(users),
      message_(users),
      subscription_tag_(users),
      session_tag_(users) {
  std::mt19937_64 random{std::random_device{}()};
  branch_prefix_ = "z9hG4bKlg";
  append_number(branch_prefix_, random() % 1000000000);
  branch_prefix_ += '.';
}

sip::Via LeanSip::via() const {
  sip::Via v;
  v.transport = "TLS";
  v.host = via_host_;
  v.port = via_port_;
  sip::set_param(v.params, "branch", std::string(kBranchMark));
  return v;
}

// Our notifier for pair j (RFC 6665 §4.2.2): the SUBSCRIBE's From is our To, its Contact our
// target, its Record-Route our route set; the remaining expiry is computed per NOTIFY.
void LeanSip::add_notifier(std::size_t j, const sip::Request& subscribe,
                           const sip::DialogId& dialog) {
  if (j >= users_ || subscribe.contact.empty()) {
    return;
  }
  sip::Request r;
  r.method = sip::Method::notify;
  r.request_uri = subscribe.contact.front().uri;
  r.via.push_back(via());
  r.from = subscribe.to;
  sip::set_param(r.from.params, "tag", dialog.local_tag);
  r.to = subscribe.from;
  r.call_id = subscribe.call_id;
  r.cseq = sip::CSeq{kCseqMark, sip::Method::notify, {}};
  r.route = subscribe.record_route;
  r.contact.push_back(
      sip::NameAddr::parse("<sip:" + via_host_ + ":" + std::to_string(via_port_) + ";transport=tls>")
          .value());
  r.max_forwards = 70;
  r.event = subscribe.event;
  r.subscription_state = sip::SubscriptionState{"active", {}};
  sip::set_param(r.subscription_state->params, "expires", std::string(kExpiresMark));
  r.content_type = sip::MediaType::parse("application/msrtc-event-categories+xml").value();
  RequestTemplate t;
  t.pieces = cut(sip::serialize(r), {kBranchMark, kCseqMarkText, kExpiresMark});
  t.call_id = r.call_id;
  const auto granted = std::min(subscribe.expires.value_or(kMaxSubscriptionExpires),
                                kMaxSubscriptionExpires);
  t.expires_at = Clock::now() + std::chrono::seconds(granted);
  notify_[j] = std::move(t);
}

void LeanSip::add_subscription(std::size_t j, const sip::DialogId& dialog) {
  if (j < users_) {
    subscription_by_call_[dialog.call_id] = j;
    subscription_tag_[j] = dialog.local_tag;
  }
}

// Our session for pair j, from fedgate's 2xx to our INVITE (RFC 3261 §12.1.2: the route set is
// the Record-Route reversed, the target its Contact).
void LeanSip::add_session(std::size_t j, const sip::DialogId& dialog) {
  auto found = invite_ok_.find(dialog.call_id);
  if (j >= users_ || found == invite_ok_.end() || found->second.contact.empty()) {
    return;
  }
  const sip::Response& ok = found->second;
  sip::Request r;
  r.method = sip::Method::message;
  r.request_uri = ok.contact.front().uri;
  r.via.push_back(via());
  r.from = ok.from;
  r.to = ok.to;
  r.call_id = ok.call_id;
  r.cseq = sip::CSeq{kCseqMark, sip::Method::message, {}};
  r.route.assign(ok.record_route.rbegin(), ok.record_route.rend());
  r.max_forwards = 70;
  r.content_type = sip::MediaType::parse("text/plain;charset=UTF-8").value();
  RequestTemplate t;
  t.pieces = cut(sip::serialize(r), {kBranchMark, kCseqMarkText});
  t.call_id = r.call_id;
  message_[j] = std::move(t);
  session_by_call_[dialog.call_id] = j;
  session_tag_[j] = dialog.local_tag;
  invite_ok_.erase(found);
}

void LeanSip::observe(const sip::Message& m, const sip::ConnectionHandle& from) {
  const auto* r = std::get_if<sip::Response>(&m);
  if (r == nullptr) {
    return;
  }
  out_ = from;  // answers to the agent's requests come back on the connection it sends on
  max_seen_cseq_ = std::max(max_seen_cseq_, r->cseq.sequence);
  if (r->cseq.method == sip::Method::invite && r->status >= 200 && r->status < 300) {
    invite_ok_[r->call_id] = *r;
  }
}

// Lean CSeq numbers lie above every number the agent used, so they keep rising in each dialog.
void LeanSip::enable() {
  enabled_ = true;
  base_cseq_ = max_seen_cseq_ + 1000;
}

bool LeanSip::take(sip::Message& m) {
  if (!enabled_) {
    return false;
  }
  if (auto* response = std::get_if<sip::Response>(&m)) {
    return take_response(*response);
  }
  return take_request(std::get<sip::Request>(m));
}

bool LeanSip::take_response(const sip::Response& r) {
  const auto method = r.cseq.method;
  if ((method != sip::Method::notify && method != sip::Method::message) ||
      r.cseq.sequence < base_cseq_ || r.cseq.sequence - base_cseq_ >= pending_.size()) {
    return false;
  }
  Pending& p = pending_[r.cseq.sequence - base_cseq_];
  const auto& t = method == sip::Method::notify ? notify_[p.j] : message_[p.j];
  if (r.call_id != t.call_id) {
    return false;
  }
  if (r.status >= 200 && p.open) {
    p.open = false;
    --pending_count_;
    events_->lean_answered(p.seq, p.serial, r.status);
  }
  return true;
}

// A NOTIFY in one of our subscriptions (not the terminating one: the agent ends those) or a
// MESSAGE in one of our sessions: answered 200 here, then handed up.
bool LeanSip::take_request(sip::Request& r) {
  std::size_t j = 0;
  if (r.method == sip::Method::notify) {
    auto found = subscription_by_call_.find(r.call_id);
    if (found == subscription_by_call_.end() || tag_of(r.to) != subscription_tag_[found->second] ||
        !r.subscription_state || r.subscription_state->state == "terminated") {
      return false;
    }
    j = found->second;
    answer_200(r);
    events_->lean_notify(j, r);
    return true;
  }
  if (r.method == sip::Method::message) {
    auto found = session_by_call_.find(r.call_id);
    if (found == session_by_call_.end() || tag_of(r.to) != session_tag_[found->second]) {
      return false;
    }
    j = found->second;
    answer_200(r);
    events_->lean_message(j, r);
    return true;
  }
  return false;
}

// RFC 3261 §8.2.6.2: Via, From, To, Call-ID and CSeq copied; no body.
void LeanSip::answer_200(sip::Request& r) {
  answers_ += "SIP/2.0 200 OK\r\n";
  for (const auto& v : r.via) {
    answers_ += "Via: ";
    v.append_to(answers_);
    answers_ += "\r\n";
  }
  answers_ += "From: ";
  r.from.append_to(answers_);
  answers_ += "\r\nTo: ";
  r.to.append_to(answers_);
  answers_ += "\r\nCall-ID: ";
  answers_ += r.call_id;
  answers_ += "\r\nCSeq: ";
  append_number(answers_, r.cseq.sequence);
  answers_ += ' ';
  answers_ += r.cseq.name();
  answers_ += "\r\nContent-Length: 0\r\n\r\n";
}

void LeanSip::flush_answers(const sip::ConnectionHandle& to) {
  if (!answers_.empty()) {
    (void)to.send_bytes(std::move(answers_));  // a closed connection: fedgate times out
    answers_.clear();
  }
}

bool LeanSip::send_notify(std::size_t j, std::size_t seq, std::size_t serial,
                          std::string_view body) {
  return j < users_ && send(notify_[j], j, seq, serial, body);
}

bool LeanSip::send_message(std::size_t j, std::size_t seq, std::size_t serial,
                           std::string_view text) {
  return j < users_ && send(message_[j], j, seq, serial, text);
}

bool LeanSip::send(const RequestTemplate& t, std::size_t j, std::size_t seq, std::size_t serial,
                   std::string_view body) {
  if (!t.ready() || !enabled_) {
    return false;
  }
  const auto index = pending_.size();
  pending_.push_back({static_cast<std::uint32_t>(seq), static_cast<std::uint32_t>(serial),
                      static_cast<std::uint32_t>(j), true});
  ++pending_count_;
  out_buf_ += t.pieces[0];
  out_buf_ += branch_prefix_;
  append_number(out_buf_, index);
  out_buf_ += t.pieces[1];
  append_number(out_buf_, base_cseq_ + index);
  out_buf_ += t.pieces[2];
  if (t.pieces.size() == 4) {  // a NOTIFY: Subscription-State expires, the time left
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(t.expires_at - Clock::now());
    append_number(out_buf_, static_cast<std::uint64_t>(std::max<std::int64_t>(0, left.count())));
    out_buf_ += t.pieces[3];
  }
  out_buf_ += "Content-Length: ";
  append_number(out_buf_, body.size());
  out_buf_ += "\r\n\r\n";
  out_buf_ += body;
  return true;
}

void LeanSip::flush() {
  if (!out_buf_.empty()) {
    (void)out_.send_bytes(std::move(out_buf_));  // refused: the sends stay unanswered (noans)
    out_buf_.clear();
  }
}

}  // namespace fedgate::load
